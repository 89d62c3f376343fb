/** Local users: created with a role (and an organisation for organisation roles). */
import { randomUUID } from 'node:crypto';
import type { StateStore } from '../store/types.js';
import { SakimoriError } from '../errors.js';
import { hashPassword, passwordProblem } from './password.js';
import { ROLES, type Role } from './principal.js';
import { forgetPrincipals } from './principal-cache.js';

export interface User { id: string; username: string; role: Role; orgId: string | null; disabled: boolean; createdAt: string }

type Q = Pick<StateStore, 'query'>;
interface Row { id: string; username: string; role: Role; org_id: string | null; disabled: boolean; created_at: Date }
const fromRow = (r: Row): User => ({ id: r.id, username: r.username, role: r.role, orgId: r.org_id, disabled: r.disabled, createdAt: r.created_at.toISOString() });

export async function createUser(state: Q, input: { username: string; password: string; role: string; org?: string }): Promise<User> {
  const username = input.username.trim();
  if (!/^[A-Za-z0-9._@-]{2,64}$/.test(username)) throw new SakimoriError('BAD_REQUEST', 'username: 2–64 letters, digits, . _ @ -', { field: 'username' });
  if (!(ROLES as readonly string[]).includes(input.role)) throw new SakimoriError('BAD_REQUEST', `role must be one of ${ROLES.join(', ')}`, { field: 'role' });
  const role = input.role as Role;
  const problem = passwordProblem(input.password, username);
  if (problem) throw new SakimoriError('BAD_REQUEST', `password: ${problem}`, { field: 'password' });
  const needsOrg = role === 'org-admin' || role === 'org-member';
  let orgId: string | null = null;
  if (needsOrg) {
    if (!input.org) throw new SakimoriError('BAD_REQUEST', `role ${role} needs an organisation`, { field: 'org' });
    const [o] = await state.query<{ id: string }>('SELECT id FROM organisations WHERE id = $1 OR name = $1', [input.org]);
    if (!o) throw new SakimoriError('NOT_FOUND', `no organisation ${input.org}`, { field: 'org' });
    orgId = o.id;
  } else if (input.org) {
    throw new SakimoriError('BAD_REQUEST', `role ${role} is not tied to an organisation`, { field: 'org' });
  }
  if ((await state.query('SELECT 1 FROM users WHERE username = $1', [username])).length) throw new SakimoriError('BAD_REQUEST', `user ${username} exists`, { field: 'username' });
  const [r] = await state.query<Row>(
    'INSERT INTO users (id, username, password_hash, role, org_id) VALUES ($1, $2, $3, $4, $5) RETURNING *',
    [randomUUID(), username, await hashPassword(input.password), role, orgId],
  );
  return fromRow(r as Row);
}

export async function listUsers(state: Q): Promise<User[]> {
  return (await state.query<Row>('SELECT * FROM users ORDER BY username')).map(fromRow);
}

export async function getUser(state: Q, idOrName: string): Promise<User> {
  const [r] = await state.query<Row>('SELECT * FROM users WHERE id = $1 OR username = $1', [idOrName]);
  if (!r) throw new SakimoriError('NOT_FOUND', `no user ${idOrName}`, { user: idOrName });
  return fromRow(r);
}

export async function setPassword(state: Q, idOrName: string, password: string): Promise<void> {
  const u = await getUser(state, idOrName);
  const problem = passwordProblem(password, u.username);
  if (problem) throw new SakimoriError('BAD_REQUEST', `password: ${problem}`, { field: 'password' });
  await state.query('UPDATE users SET password_hash = $2 WHERE id = $1', [u.id, await hashPassword(password)]);
  await state.query('DELETE FROM sessions WHERE user_id = $1', [u.id]);
  forgetPrincipals();
}

export async function setDisabled(state: Q, idOrName: string, disabled: boolean): Promise<void> {
  const u = await getUser(state, idOrName);
  await state.query('UPDATE users SET disabled = $2 WHERE id = $1', [u.id, disabled]);
  if (disabled) await state.query('DELETE FROM sessions WHERE user_id = $1', [u.id]);
  forgetPrincipals();
}

export async function userCount(state: Q): Promise<number> {
  const [r] = await state.query<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE NOT disabled');
  return r?.n ?? 0;
}
