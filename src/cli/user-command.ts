import type { Command } from 'commander';
import { configFrom } from './common.js';
import { callJson, getJson, viaStoresOrServer } from './with-context.js';
import { readSecret } from './read-secret.js';
import { SakimoriError } from '../errors.js';
import type { User } from '../auth/users.js';
import type { ApiKeyInfo } from '../auth/api-keys.js';
import type { StateStore } from '../store/types.js';

/** Users with their organisation's name beside its id: an operator knows organisations by name. */
async function withOrgNames(state: Pick<StateStore, 'query'>, users: User[]): Promise<(User & { orgName: string | null })[]> {
  const names = await (await import('../orgs/org-store.js')).orgNames(state, [...new Set(users.flatMap((u) => (u.orgId ? [u.orgId] : [])))]);
  return users.map((u) => ({ ...u, orgName: u.orgId ? (names.get(u.orgId) ?? null) : null }));
}

/** The same through a running server: its organisations give the names. */
async function remoteWithOrgNames(url: string, users: User[]): Promise<(User & { orgName: string | null })[]> {
  const names = new Map((await getJson<{ id: string; name: string }[]>(`${url}api/v1/orgs`)).map((o) => [o.id, o.name]));
  return users.map((u) => ({ ...u, orgName: u.orgId ? (names.get(u.orgId) ?? null) : null }));
}

const list = (v: string): string[] => v.split(',').map((s) => s.trim()).filter(Boolean);

export function registerUser(program: Command): void {
  const user = program.command('user').description('local users of the console and API');
  user.command('add').argument('<username>')
    .requiredOption('--role <role>', 'platform-admin | analyst | org-admin | org-member')
    .option('--org <org>', 'organisation (name or id) for org-admin and org-member')
    .description('create a user; the password is read from standard input (or typed at a prompt)')
    .action(async (username: string, o: { role: string; org?: string }, cmd: Command) => {
      const password = await readSecret(`password for ${username}: `);
      const input = { username, password, role: o.role, ...(o.org ? { org: o.org } : {}) };
      const u = await viaStoresOrServer(configFrom(cmd), async (ctx) => {
        const created = await (await import('../auth/users.js')).createUser(ctx.state, input);
        return (await withOrgNames(ctx.state, [created]))[0] ?? { ...created, orgName: null };
      }, async (url) => {
        const created = await callJson<User>('POST', `${url}api/v1/users`, input);
        return (await remoteWithOrgNames(url, [created]))[0] ?? { ...created, orgName: null };
      });
      process.stdout.write(`user ${u.username} (${u.role}${u.orgId ? `, organisation ${u.orgName ?? u.orgId}` : ''}) created\n`);
    });
  user.command('list').option('--json', 'print JSON').description('list users')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const us = await viaStoresOrServer(configFrom(cmd),
        async (ctx) => withOrgNames(ctx.state, await (await import('../auth/users.js')).listUsers(ctx.state)),
        async (url) => remoteWithOrgNames(url, await getJson<User[]>(`${url}api/v1/users`)));
      process.stdout.write(o.json ? `${JSON.stringify(us, null, 2)}\n` : `${us.map((u) => `${u.username}  ${u.role}${u.orgId ? `  ${u.orgName ?? `organisation ${u.orgId} (not found)`}` : ''}${u.disabled ? '  (disabled)' : ''}`).join('\n') || 'no users'}\n`);
    });
  user.command('passwd').argument('<username>').description('set a new password (ends the user\'s sessions)')
    .action(async (username: string, _o: unknown, cmd: Command) => {
      const password = await readSecret(`new password for ${username}: `);
      // In the body, never the URL: URLs end up in logs.
      await viaStoresOrServer<unknown>(configFrom(cmd), async (ctx) => (await import('../auth/users.js')).setPassword(ctx.state, username, password),
        (url) => callJson('POST', `${url}api/v1/users/${encodeURIComponent(username)}/password`, { password }));
      process.stdout.write(`password of ${username} changed\n`);
    });
  for (const [verb, disabled] of [['disable', true], ['enable', false]] as const) {
    user.command(verb).argument('<username>').description(disabled ? 'block sign-in and API keys (ends sessions)' : 'allow sign-in again')
      .action(async (username: string, _o: unknown, cmd: Command) => {
        await viaStoresOrServer<unknown>(configFrom(cmd), async (ctx) => (await import('../auth/users.js')).setDisabled(ctx.state, username, disabled),
          (url) => callJson('POST', `${url}api/v1/users/${encodeURIComponent(username)}/disabled`, { disabled }));
        process.stdout.write(`${username} ${disabled ? 'disabled' : 'enabled'}\n`);
      });
  }

}

export function registerApiKey(program: Command): void {
  const key = program.command('apikey').description('API keys (shown once, stored hashed)');
  key.command('create').argument('<username>', 'the user the key acts for')
    .requiredOption('--name <name>', 'what the key is for')
    .option('--scope <scopes>', 'read,write,admin (at most what the role allows)', 'read')
    .option('--expires <date>', 'ISO date the key stops working')
    .description('create a key; it is printed once')
    .action(async (username: string, o: { name: string; scope: string; expires?: string }, cmd: Command) => {
      const expires = o.expires ? new Date(o.expires) : undefined;
      if (expires && Number.isNaN(expires.getTime())) throw new SakimoriError('BAD_TIME', o.expires, { field: 'expires' });
      const r = await viaStoresOrServer<{ key: string; info: ApiKeyInfo }>(configFrom(cmd),
        async (ctx) => (await import('../auth/api-keys.js')).createApiKey(ctx.state, username, o.name, list(o.scope), expires),
        (url) => callJson('POST', `${url}api/v1/api-keys`, { user: username, name: o.name, scopes: list(o.scope), ...(expires ? { expiresAt: expires.toISOString() } : {}) }));
      process.stdout.write(`${r.key}\n`);
      process.stderr.write(`key ${r.info.prefix} (${r.info.scopes.join(',')}) for ${r.info.user}: store it now, it is not shown again\n`);
    });
  key.command('list').option('--json', 'print JSON').description('list keys (never the keys themselves)')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const ks = await viaStoresOrServer<ApiKeyInfo[]>(configFrom(cmd), async (ctx) => (await import('../auth/api-keys.js')).listApiKeys(ctx.state), (url) => getJson(`${url}api/v1/api-keys`));
      process.stdout.write(o.json ? `${JSON.stringify(ks, null, 2)}\n` : `${ks.map((k) => `${k.prefix}  ${k.user}  ${k.name}  ${k.scopes.join(',')}${k.revokedAt ? '  revoked' : ''}${k.lastUsedAt ? `  last used ${k.lastUsedAt}` : ''}`).join('\n') || 'no keys'}\n`);
    });
  key.command('revoke').argument('<key>', 'id or prefix').description('revoke a key')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      await viaStoresOrServer<unknown>(configFrom(cmd), async (ctx) => (await import('../auth/api-keys.js')).revokeApiKey(ctx.state, id),
        (url) => callJson('DELETE', `${url}api/v1/api-keys/${encodeURIComponent(id)}`));
      process.stdout.write(`revoked ${id}\n`);
    });
}
