/** Scopes and exclusions in the state store: validated on the way in, read back as typed objects. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { isSakimoriError, messageOf, SakimoriError } from '../../errors.js';
import type { StateStore } from '../../store/types.js';
import { parseCidr } from '../../net/cidr.js';
import { notifyScopeChange } from './scope-changes.js';
import { ScopeGuard } from './scope-guard.js';
import { describeSize, scopeSize } from './scope-size.js';
import type { Exclusion, Scope } from './scope.js';

const date = z.union([z.string(), z.date()]).transform((v, ctx) => {
  const d = v instanceof Date ? v : new Date(v);
  if (Number.isNaN(d.getTime())) {
    ctx.addIssue({ code: 'custom', message: `not a date: ${String(v)}` });
    return z.NEVER;
  }
  return d;
});

export const scopeInput = z.object({
  name: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'letters, digits, . _ - (at most 100)'),
  owner: z.string().trim().min(1).max(500),
  legalBasis: z.string().trim().min(1).max(2000),
  cidrs: z.array(z.string()).min(1).max(100_000),
  credentialChecks: z.boolean().default(false),
  validFrom: date,
  validTo: date,
  note: z.string().max(4000).default(''),
  /** Required for more than a /16 (IPv4) or a /48 (IPv6): see scope-size.ts. */
  confirmLarge: z.boolean().default(false),
});
export type ScopeInput = z.input<typeof scopeInput>;

export const exclusionInput = z.object({
  cidr: z.string(),
  reason: z.string().trim().min(1).max(2000),
});

function invalid(e: z.ZodError): SakimoriError {
  const issue = e.issues[0];
  return new SakimoriError('SCOPE_INVALID', issue ? `${issue.path.join('.') || 'scope'}: ${issue.message}` : undefined, issue ? { field: issue.path.join('.') } : {});
}

interface ScopeRow {
  id: string; name: string; owner: string; legal_basis: string; cidrs: string[]; credential_checks: boolean;
  valid_from: Date; valid_to: Date; created_at: Date; note: string;
}

const SCOPE_COLUMNS = 'id, name, owner, legal_basis, cidrs::text[] AS cidrs, credential_checks, valid_from, valid_to, created_at, note';

function fromRow(r: ScopeRow): Scope {
  return {
    id: r.id, name: r.name, owner: r.owner, legalBasis: r.legal_basis, cidrs: r.cidrs, credentialChecks: r.credential_checks,
    validFrom: new Date(r.valid_from), validTo: new Date(r.valid_to), createdAt: new Date(r.created_at), note: r.note,
  };
}

/** Validates and stores a new scope; CIDRs are normalised (PostgreSQL `cidr` text). */
export async function createScope(state: Pick<StateStore, 'query'>, input: unknown): Promise<Scope> {
  const parsed = scopeInput.safeParse(input);
  if (!parsed.success) throw invalid(parsed.error);
  const s = parsed.data;
  if (s.validTo.getTime() <= s.validFrom.getTime()) {
    throw new SakimoriError('SCOPE_INVALID', `valid to (${s.validTo.toISOString()}) must be after valid from (${s.validFrom.toISOString()})`, { field: 'validTo' });
  }
  const ranges = s.cidrs.map((c, i) => {
    try {
      return parseCidr(c);
    } catch (e) {
      // parseCidr's SCOPE_INVALID already says what is wrong: it only learns which field it was in.
      if (isSakimoriError(e)) throw Object.assign(e, { where: { field: `cidrs.${i}`, ...e.where } });
      throw new SakimoriError('SCOPE_INVALID', messageOf(e), { field: `cidrs.${i}` });
    }
  });
  const cidrs = ranges.map((r) => r.text);
  const size = scopeSize(ranges);
  if (size.large && !s.confirmLarge) {
    throw new SakimoriError('SCOPE_TOO_LARGE', `"${s.name}" covers ${describeSize(size)}; if that is intended, confirm it (sakimori scope add --confirm-large, or confirmLarge: true in the API)`, { field: 'cidrs' });
  }
  const existing = await state.query<{ id: string }>('SELECT id FROM scopes WHERE name = $1', [s.name]);
  if (existing.length > 0) throw new SakimoriError('SCOPE_INVALID', `a scope named "${s.name}" already exists`, { field: 'name' });
  const id = `scope-${randomUUID().slice(0, 8)}`;
  const [row] = await state.query<ScopeRow>(
    `INSERT INTO scopes (id, name, owner, legal_basis, cidrs, credential_checks, valid_from, valid_to, note)
     VALUES ($1, $2, $3, $4, $5::cidr[], $6, $7, $8, $9) RETURNING ${SCOPE_COLUMNS}`,
    [id, s.name, s.owner, s.legalBasis, cidrs, s.credentialChecks, s.validFrom.toISOString(), s.validTo.toISOString(), s.note],
  );
  if (!row) throw new SakimoriError('INTERNAL', 'scope insert returned nothing');
  return fromRow(row);
}

export async function listScopes(state: Pick<StateStore, 'query'>): Promise<Scope[]> {
  const rows = await state.query<ScopeRow>(`SELECT ${SCOPE_COLUMNS} FROM scopes ORDER BY name`);
  return rows.map(fromRow);
}

/** By id or by name; SCOPE_NOT_FOUND otherwise. */
export async function getScope(state: Pick<StateStore, 'query'>, ref: string): Promise<Scope> {
  const [row] = await state.query<ScopeRow>(`SELECT ${SCOPE_COLUMNS} FROM scopes WHERE id = $1 OR name = $1 LIMIT 1`, [ref]);
  if (!row) throw new SakimoriError('SCOPE_NOT_FOUND', `"${ref}"`, { scope: ref });
  return fromRow(row);
}

/** Removes a scope that has no survey runs (runs keep their scope for the record). */
export async function removeScope(state: Pick<StateStore, 'query'>, ref: string): Promise<void> {
  const scope = await getScope(state, ref);
  const [runs] = await state.query<{ n: number }>('SELECT count(*)::int AS n FROM survey_runs WHERE scope_id = $1', [scope.id]);
  if ((runs?.n ?? 0) > 0) {
    throw new SakimoriError('SCOPE_INVALID', `scope "${scope.name}" has ${runs?.n} survey run(s) and is kept for the record; shorten its validity instead`, { scope: scope.name });
  }
  await state.query('DELETE FROM scopes WHERE id = $1', [scope.id]);
  notifyScopeChange();
}

interface ExclusionRow { id: number; scope_id: string | null; cidr: string; reason: string }

/** Adds an exclusion to one scope (by id or name) or, with `scopeRef` null, to every scope. */
export async function addExclusion(state: Pick<StateStore, 'query'>, scopeRef: string | null, input: unknown): Promise<Exclusion> {
  const parsed = exclusionInput.safeParse(input);
  if (!parsed.success) throw invalid(parsed.error);
  const cidr = parseCidr(parsed.data.cidr).text;
  const scopeId = scopeRef === null ? null : (await getScope(state, scopeRef)).id;
  const [row] = await state.query<ExclusionRow>(
    `INSERT INTO scope_exclusions (scope_id, cidr, reason) VALUES ($1, $2::cidr, $3)
     ON CONFLICT (coalesce(scope_id, ''), cidr) DO UPDATE SET reason = EXCLUDED.reason
     RETURNING id, scope_id, cidr::text AS cidr, reason`,
    [scopeId, cidr, parsed.data.reason],
  );
  if (!row) throw new SakimoriError('INTERNAL', 'exclusion insert returned nothing');
  // Running surveys of this process apply it now rather than at their next poll.
  notifyScopeChange();
  return { id: Number(row.id), scopeId: row.scope_id, cidr: row.cidr, reason: row.reason };
}

/** Exclusions that apply to a scope (its own and the global ones), or all when `scopeId` is undefined. */
export async function listExclusions(state: Pick<StateStore, 'query'>, scopeId?: string): Promise<Exclusion[]> {
  const rows = scopeId === undefined
    ? await state.query<ExclusionRow>('SELECT id, scope_id, cidr::text AS cidr, reason FROM scope_exclusions ORDER BY id')
    : await state.query<ExclusionRow>('SELECT id, scope_id, cidr::text AS cidr, reason FROM scope_exclusions WHERE scope_id IS NULL OR scope_id = $1 ORDER BY id', [scopeId]);
  return rows.map((r) => ({ id: Number(r.id), scopeId: r.scope_id, cidr: r.cidr, reason: r.reason }));
}

export async function removeExclusion(state: Pick<StateStore, 'query'>, id: number): Promise<boolean> {
  const rows = await state.query<{ id: number }>('DELETE FROM scope_exclusions WHERE id = $1 RETURNING id', [id]);
  if (rows.length > 0) notifyScopeChange();
  return rows.length > 0;
}

/** The guard for a scope as stored now (its CIDRs, its own and the global exclusions). */
export async function loadGuard(state: Pick<StateStore, 'query'>, ref: string): Promise<ScopeGuard> {
  const scope = await getScope(state, ref);
  return new ScopeGuard(scope, await listExclusions(state, scope.id));
}
