/** Monitors in the state store: validated on the way in, read back as typed objects. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { StateStore } from '../store/types.js';
import { parseQuery } from '../search/parser.js';
import { isSakimoriError, SakimoriError } from '../errors.js';
import { MONITOR_KINDS, type MonitorKind } from './findings.js';
import { parseCidr } from './cidr-text.js';
import { cidrBounds, UNRESTRICTED, type Restriction } from '../auth/need-to-know.js';

export interface Monitor {
  id: string;
  name: string;
  orgId: string | null;
  query: string;
  cidrs: string[];
  kinds: MonitorKind[];
  webhooks: string[];
  emails: string[];
  language: 'ja' | 'en';
  enabled: boolean;
  createdAt: string;
  lastRunAt: string | null;
  lastRunFindings: number | null;
}

export const monitorInput = z.object({
  name: z.string().trim().min(1).max(200),
  /** Search query (search/ language); `*` or empty for everything in the ranges. */
  query: z.string().max(4000).default(''),
  /** The monitor only ever sees these ranges: one's own address space. */
  cidrs: z.array(z.string()).min(1).max(10_000),
  kinds: z.array(z.enum(MONITOR_KINDS)).min(1).default([...MONITOR_KINDS]),
  webhooks: z.array(z.string().url().refine((u) => /^https?:/.test(u), 'http or https URL')).max(20).default([]),
  emails: z.array(z.string().email()).max(100).default([]),
  language: z.enum(['ja', 'en']).default('ja'),
  enabled: z.boolean().default(true),
});
export type MonitorInput = z.input<typeof monitorInput>;

interface Row {
  id: string; name: string; org_id: string | null; query: string; cidrs: string[]; kinds: string[]; webhooks: string[]; emails: string[];
  language: string; enabled: boolean; created_at: Date; last_run_at: Date | null; last_run_findings: number | null;
}

function fromRow(r: Row): Monitor {
  return {
    id: r.id, name: r.name, orgId: r.org_id, query: r.query, cidrs: r.cidrs, kinds: r.kinds as MonitorKind[], webhooks: r.webhooks, emails: r.emails,
    language: r.language === 'en' ? 'en' : 'ja', enabled: r.enabled, createdAt: r.created_at.toISOString(),
    lastRunAt: r.last_run_at ? r.last_run_at.toISOString() : null, lastRunFindings: r.last_run_findings,
  };
}

export function validateMonitor(input: unknown): z.output<typeof monitorInput> {
  const parsed = monitorInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SakimoriError('MONITOR_INVALID', issue ? `${issue.path.join('.') || 'monitor'}: ${issue.message}` : undefined, issue ? { field: issue.path.join('.') } : {});
  }
  parsed.data.cidrs.forEach((c, i) => {
    if (!parseCidr(c)) throw new SakimoriError('MONITOR_INVALID', `not a CIDR: ${c}`, { field: `cidrs.${i}` });
  });
  try {
    parseQuery(parsed.data.query);
  } catch (e) {
    if (isSakimoriError(e)) throw new SakimoriError('MONITOR_INVALID', `query: ${e.message}`, { field: 'query', ...e.where });
    throw e;
  }
  return parsed.data;
}

/** Is every address of `cidr` inside one of `outer`? */
function within(cidr: string, outer: readonly string[]): boolean {
  const big = (h: string): bigint => BigInt(`0x${h.replace(/:/g, '')}`);
  const [lo, hi] = cidrBounds(cidr).map(big) as [bigint, bigint];
  return outer.some((o) => {
    const [olo, ohi] = cidrBounds(o).map(big) as [bigint, bigint];
    return olo <= lo && hi <= ohi;
  });
}

/**
 * An organisation's member may watch only its own prefixes: a range reaching outside the
 * constituency is refused (FORBIDDEN) before anything is stored.
 */
export async function createMonitor(state: Pick<StateStore, 'query'>, input: unknown, restriction: Restriction = UNRESTRICTED): Promise<Monitor> {
  const m = validateMonitor(input);
  if (restriction.kind === 'constituency') {
    const outside = m.cidrs.find((c) => !within(c, restriction.cidrs));
    if (outside) throw new SakimoriError('FORBIDDEN', `${outside} is outside your organisation's prefixes`, { field: 'cidrs' });
  }
  const exists = await state.query<{ id: string }>('SELECT id FROM monitors WHERE name = $1', [m.name]);
  if (exists.length > 0) throw new SakimoriError('MONITOR_INVALID', `a monitor named "${m.name}" exists`, { field: 'name' });
  const [row] = await state.query<Row>(
    `INSERT INTO monitors (id, name, query, cidrs, kinds, webhooks, emails, language, enabled, org_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
    [randomUUID(), m.name, m.query, m.cidrs, m.kinds, m.webhooks, m.emails, m.language, m.enabled, restriction.kind === 'constituency' ? restriction.orgId : null],
  );
  return fromRow(row as Row);
}

const orgOf = (r: Restriction): string | null => (r.kind === 'constituency' ? r.orgId : null);

export async function listMonitors(state: Pick<StateStore, 'query'>, restriction: Restriction = UNRESTRICTED): Promise<Monitor[]> {
  return (await state.query<Row>('SELECT * FROM monitors WHERE $1::text IS NULL OR org_id = $1 ORDER BY name', [orgOf(restriction)])).map(fromRow);
}

/** By id or by name; MONITOR_INVALID-free NOT_FOUND when neither matches. */
export async function getMonitor(state: Pick<StateStore, 'query'>, idOrName: string, restriction: Restriction = UNRESTRICTED): Promise<Monitor> {
  const [row] = await state.query<Row>('SELECT * FROM monitors WHERE (id = $1 OR name = $1) AND ($2::text IS NULL OR org_id = $2)', [idOrName, orgOf(restriction)]);
  if (!row) throw new SakimoriError('NOT_FOUND', `no monitor ${idOrName}`, { monitor: idOrName });
  return fromRow(row);
}

export async function deleteMonitor(state: Pick<StateStore, 'query'>, idOrName: string, restriction: Restriction = UNRESTRICTED): Promise<void> {
  const m = await getMonitor(state, idOrName, restriction);
  await state.query('DELETE FROM monitors WHERE id = $1', [m.id]);
}

/** Mutes (or unmutes) one finding: a muted finding is never alerted again. */
export async function muteFinding(state: Pick<StateStore, 'query'>, idOrName: string, key: string, muted = true, restriction: Restriction = UNRESTRICTED): Promise<void> {
  const m = await getMonitor(state, idOrName, restriction);
  const rows = await state.query<{ key: string }>('UPDATE monitor_findings SET muted = $3 WHERE monitor_id = $1 AND key = $2 RETURNING key', [m.id, key, muted]);
  if (rows.length === 0) throw new SakimoriError('NOT_FOUND', `monitor ${m.name} has no finding ${key}`, { monitor: m.name, key });
}

export interface StoredFinding {
  key: string; kind: string; ip: string; port: number; transport: string; detail: Record<string, string>;
  firstSeen: string; lastSeen: string; present: boolean; muted: boolean; alertedAt: string | null;
}

export async function listFindings(state: Pick<StateStore, 'query'>, idOrName: string, restriction: Restriction = UNRESTRICTED): Promise<StoredFinding[]> {
  const m = await getMonitor(state, idOrName, restriction);
  const rows = await state.query<{ key: string; kind: string; ip: string; port: number; transport: string; detail: Record<string, string>; first_seen: Date; last_seen: Date; present: boolean; muted: boolean; alerted_at: Date | null }>(
    'SELECT * FROM monitor_findings WHERE monitor_id = $1 ORDER BY present DESC, first_seen DESC, key', [m.id],
  );
  return rows.map((r) => ({
    key: r.key, kind: r.kind, ip: r.ip, port: r.port, transport: r.transport, detail: r.detail,
    firstSeen: r.first_seen.toISOString(), lastSeen: r.last_seen.toISOString(), present: r.present, muted: r.muted,
    alertedAt: r.alerted_at ? r.alerted_at.toISOString() : null,
  }));
}
