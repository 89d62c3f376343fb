/**
 * Monitors in the state store: validated on the way in, read back as typed objects. Every
 * function takes the caller's restriction (no default): an organisation's members reach only
 * its monitors, by id or by a name that is unique within the organisation (the platform's own
 * monitors, org_id NULL, have their own name space).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { StateStore } from '../store/types.js';
import { parseQuery } from '../search/parser.js';
import { isSakimoriError, SakimoriError } from '../errors.js';
import { MONITOR_KINDS, type MonitorKind } from './findings.js';
import { cidrWithin, splitCidr } from '../net/cidr.js';
import type { Restriction } from '../store/need-to-know.js';
import type { Resolve } from '../net/outbound.js';
import { checkWebhookTarget } from '../notify/channels/webhook-policy.js';

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
  /** Checked against the webhook policy too (createMonitor), and again at each delivery. */
  webhooks: z.array(z.string().url().refine((u) => /^https?:/i.test(u), 'http or https URL')).max(20).default([]),
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
    if (!splitCidr(c)) throw new SakimoriError('MONITOR_INVALID', `not a CIDR: ${c}`, { field: `cidrs.${i}` });
  });
  try {
    parseQuery(parsed.data.query);
  } catch (e) {
    if (isSakimoriError(e)) throw new SakimoriError('MONITOR_INVALID', { en: `query: ${e.message}`, ja: `query: ${e.messageIn('ja')}` }, { ...e.where, field: 'query' });
    throw e;
  }
  return parsed.data;
}

export interface WebhookCheckOptions {
  /** CIDRs webhooks may reach although private, loopback… (notify.webhookAllow); none when absent. */
  webhookAllow?: readonly string[];
  /** Host name → addresses (tests); the system resolver when absent. */
  resolve?: Resolve;
}

/**
 * Each webhook must be allowed by the webhook policy now (refused at once, with the reason,
 * rather than failing at every alert later); stored in the normalised form the URL parser gives
 * (`http://2130706433/` is kept as `http://127.0.0.1/`, the address it means).
 */
async function checkWebhooks(urls: readonly string[], opts: WebhookCheckOptions): Promise<string[]> {
  const out: string[] = [];
  for (const [i, url] of urls.entries()) {
    const t = await checkWebhookTarget(url, { allow: opts.webhookAllow ?? [], ...(opts.resolve ? { resolve: opts.resolve } : {}) }, AbortSignal.timeout(10_000));
    if (!t.ok) throw new SakimoriError('MONITOR_INVALID', `webhooks.${i}: ${url} is refused: ${t.reason}`, { field: `webhooks.${i}` });
    out.push(t.url.href);
  }
  return out;
}

const orgOf = (r: Restriction): string | null => (r.kind === 'constituency' ? r.orgId : null);

const nameTaken = (name: string): SakimoriError => new SakimoriError('MONITOR_INVALID', `a monitor named "${name}" exists`, { field: 'name' });

/**
 * An organisation's member may watch only its own prefixes: a range reaching outside the
 * constituency is refused (FORBIDDEN) before anything is stored. The name must be free within
 * the caller's organisation only, so another organisation's names are neither revealed nor taken.
 */
export async function createMonitor(state: Pick<StateStore, 'query'>, input: unknown, restriction: Restriction, opts: WebhookCheckOptions = {}): Promise<Monitor> {
  const m = validateMonitor(input);
  if (restriction.kind === 'constituency') {
    const outside = m.cidrs.find((c) => !cidrWithin(c, restriction.cidrs));
    if (outside) throw new SakimoriError('FORBIDDEN', `${outside} is outside your organisation's prefixes`, { field: 'cidrs' });
  }
  const webhooks = await checkWebhooks(m.webhooks, opts);
  const org = orgOf(restriction);
  const exists = await state.query<{ id: string }>("SELECT id FROM monitors WHERE name = $1 AND coalesce(org_id, '') = coalesce($2::text, '')", [m.name, org]);
  if (exists.length > 0) throw nameTaken(m.name);
  try {
    const [row] = await state.query<Row>(
      `INSERT INTO monitors (id, name, query, cidrs, kinds, webhooks, emails, language, enabled, org_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
      [randomUUID(), m.name, m.query, m.cidrs, m.kinds, webhooks, m.emails, m.language, m.enabled, org],
    );
    return fromRow(row as Row);
  } catch (e) {
    // Two creations of one name at once: the unique index decides.
    if (isSakimoriError(e) && e.where.sqlstate === '23505') throw nameTaken(m.name);
    throw e;
  }
}

export async function listMonitors(state: Pick<StateStore, 'query'>, restriction: Restriction): Promise<Monitor[]> {
  return (await state.query<Row>('SELECT * FROM monitors WHERE $1::text IS NULL OR org_id = $1 ORDER BY name', [orgOf(restriction)])).map(fromRow);
}

/**
 * By id, or by name within the caller's organisation; NOT_FOUND when neither matches. Someone
 * who sees every organisation gets the platform's own monitor of that name, or the only one; a
 * name several organisations use needs the id.
 */
export async function getMonitor(state: Pick<StateStore, 'query'>, idOrName: string, restriction: Restriction): Promise<Monitor> {
  const rows = await state.query<Row>(
    `SELECT * FROM monitors WHERE (id = $1 OR name = $1) AND ($2::text IS NULL OR org_id = $2)
     ORDER BY id = $1 DESC, org_id IS NULL DESC LIMIT 2`,
    [idOrName, orgOf(restriction)],
  );
  const [row, next] = rows;
  if (!row) throw new SakimoriError('NOT_FOUND', `no monitor ${idOrName}`, { monitor: idOrName });
  if (next && row.id !== idOrName && row.org_id !== null) {
    throw new SakimoriError('MONITOR_INVALID', `several organisations have a monitor named "${idOrName}": give its id`, { field: 'name', monitor: idOrName });
  }
  return fromRow(row);
}

export async function deleteMonitor(state: Pick<StateStore, 'query'>, idOrName: string, restriction: Restriction): Promise<void> {
  const m = await getMonitor(state, idOrName, restriction);
  await state.query('DELETE FROM monitors WHERE id = $1', [m.id]);
}

/** Mutes (or unmutes) one finding: a muted finding is never alerted again. */
export async function muteFinding(state: Pick<StateStore, 'query'>, idOrName: string, key: string, muted: boolean, restriction: Restriction): Promise<void> {
  const m = await getMonitor(state, idOrName, restriction);
  const rows = await state.query<{ key: string }>('UPDATE monitor_findings SET muted = $3 WHERE monitor_id = $1 AND key = $2 RETURNING key', [m.id, key, muted]);
  if (rows.length === 0) throw new SakimoriError('NOT_FOUND', `monitor ${m.name} has no finding ${key}`, { monitor: m.name, key });
}

export interface StoredFinding {
  key: string; kind: string; ip: string; port: number; transport: string; detail: Record<string, string>;
  firstSeen: string; lastSeen: string; present: boolean; muted: boolean; alertedAt: string | null;
}

export async function listFindings(state: Pick<StateStore, 'query'>, idOrName: string, restriction: Restriction): Promise<StoredFinding[]> {
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
