/**
 * Victim reports in the state store (migration 020): submit, consent, release, read. Who sees
 * what (need-to-know):
 * - the reporting organisation sees its reports whole, in every state;
 * - the hub's operators (platform admins, analysts) see every report's attack-technical part,
 *   and its victim-identifying part only once the organisation consented (to release it);
 * - any other member sees released reports only, generalised (sector, size band, region):
 *   never a draft, never a name; the pseudonymised STIX of released-stix.ts is what leaves.
 * Only an admin of the reporting organisation consents (draft → consented); an operator then
 * releases (consented → released). Who and when are kept for both.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { StateStore } from '../../store/types.js';
import type { Role } from '../../auth/principal.js';
import { SakimoriError } from '../../errors.js';
import { parseVictimReport, sizeBandOf, type AttackKind, type SizeBand, type VictimReportInput } from './report-input.js';

export const REPORT_STATES = ['draft', 'consented', 'released'] as const;
export type ReportState = (typeof REPORT_STATES)[number];

/** Who asks: the API's principal, or the operator's own command on the stores. */
export interface ReportViewer { readonly userId: string; readonly orgId: string | null; readonly role: Role }

export interface VictimReport {
  id: string;
  state: ReportState;
  ownerOrgId: string;
  title: string | null;
  attackKind: AttackKind;
  occurredAt: string;
  submittedAt: string;
  generalised: { sector: string; sizeBand: SizeBand; region: string };
  technical: VictimReportInput['technical'] | null;
  /** The victim-identifying part: to the reporting organisation, and to operators after consent. */
  victim: VictimReportInput['victim'] | null;
  description: string | null;
  consentedBy: string | null;
  consentedAt: string | null;
  releasedBy: string | null;
  releasedAt: string | null;
}

/** The stored row, for the functions that build the released STIX. */
export interface ReportRow {
  id: string; owner_org_id: string; owner_user_id: string; title: string; attack_kind: AttackKind; occurred_at: Date;
  technical: VictimReportInput['technical'] & { description?: string }; victim: VictimReportInput['victim'];
  sector: string; size_band: SizeBand; region: string; state: ReportState;
  consented_by: string | null; consented_at: Date | null; released_by: string | null; released_at: Date | null; submitted_at: Date;
}

type Q = Pick<StateStore, 'query'>;

const isOperator = (v: ReportViewer): boolean => v.role === 'platform-admin' || v.role === 'analyst';
const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

/** The report as `viewer` may see it; undefined when it may not see it at all. */
function viewOf(r: ReportRow, viewer: ReportViewer): VictimReport | undefined {
  const own = viewer.orgId !== null && viewer.orgId === r.owner_org_id;
  const operator = isOperator(viewer);
  if (!own && !operator && r.state !== 'released') return undefined;
  const full = own || operator;
  const { description = '', ...technical } = r.technical;
  return {
    id: r.id, state: r.state, ownerOrgId: own || operator ? r.owner_org_id : '',
    title: full ? r.title : null, attackKind: r.attack_kind, occurredAt: iso(r.occurred_at) as string, submittedAt: iso(r.submitted_at) as string,
    generalised: { sector: r.sector, sizeBand: r.size_band, region: r.region },
    technical: full ? technical : null,
    victim: own || (operator && r.state !== 'draft') ? r.victim : null,
    description: full ? description : null,
    consentedBy: full ? r.consented_by : null, consentedAt: iso(r.consented_at),
    releasedBy: full ? r.released_by : null, releasedAt: iso(r.released_at),
  };
}

/**
 * Stores a report for the submitter's organisation (an operator names it: `onBehalfOf`). The same
 * content submitted again by the same organisation is the same report, not a second one.
 */
export async function submitVictimReport(state: Q, body: unknown, by: ReportViewer, onBehalfOf?: string): Promise<{ report: VictimReport; created: boolean }> {
  const orgId = by.orgId ?? (isOperator(by) ? onBehalfOf : undefined);
  if (!orgId) throw new SakimoriError('BAD_REQUEST', 'a victim report belongs to an organisation: name it (--org) when you submit as an operator', { field: 'org' });
  if (by.orgId !== null && onBehalfOf && onBehalfOf !== by.orgId) throw new SakimoriError('FORBIDDEN', 'members submit reports for their own organisation only');
  const input = parseVictimReport(body);
  const [org] = await state.query<{ id: string }>('SELECT id FROM organisations WHERE id = $1 OR name = $1', [orgId]);
  if (!org) throw new SakimoriError('NOT_FOUND', `no organisation ${orgId}`, { field: 'org' });
  const hash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
  const { description, ...rest } = input;
  const inserted = await state.query<{ id: string }>(
    `INSERT INTO victim_reports (id, owner_org_id, owner_user_id, title, attack_kind, occurred_at, technical, victim, sector, size_band, region, content_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (owner_org_id, content_hash) DO NOTHING RETURNING id`,
    [randomUUID(), org.id, by.userId, rest.title, rest.attackKind, rest.occurredAt, JSON.stringify({ ...rest.technical, description }), JSON.stringify(rest.victim),
      rest.victim.sector, sizeBandOf(rest.victim), rest.victim.region, hash],
  );
  const [row] = inserted.length
    ? await rowsWhere(state, 'id = $1', [inserted[0]?.id])
    : await rowsWhere(state, 'owner_org_id = $1 AND content_hash = $2', [org.id, hash]);
  return { report: viewOf(row as ReportRow, { ...by, orgId: org.id }) as VictimReport, created: inserted.length > 0 };
}

async function rowsWhere(state: Q, where: string, params: readonly unknown[], limit = 1): Promise<ReportRow[]> {
  return state.query<ReportRow>(`SELECT * FROM victim_reports WHERE ${where} ORDER BY submitted_at DESC, id LIMIT ${Math.max(1, Math.floor(limit))}`, params);
}

/** The stored row, whoever asks; for the release functions (which filter themselves). */
export async function reportRow(state: Q, id: string): Promise<ReportRow> {
  const [r] = /^[0-9a-f-]{36}$/i.test(id) ? await rowsWhere(state, 'id = $1', [id.toLowerCase()]) : [];
  if (!r) throw new SakimoriError('NOT_FOUND', `no victim report ${id}`, { field: 'id' });
  return r;
}

/** One report as `viewer` may see it; NOT_FOUND (not FORBIDDEN) when it may not, so a draft's existence is not told. */
export async function getVictimReport(state: Q, id: string, viewer: ReportViewer): Promise<VictimReport> {
  const v = viewOf(await reportRow(state, id), viewer);
  if (!v) throw new SakimoriError('NOT_FOUND', `no victim report ${id}`, { field: 'id' });
  return v;
}

export async function listVictimReports(state: Q, viewer: ReportViewer, limit = 500): Promise<VictimReport[]> {
  const rows = isOperator(viewer)
    ? await rowsWhere(state, 'true', [], limit)
    : await rowsWhere(state, `(owner_org_id = $1 OR state = 'released')`, [viewer.orgId ?? ''], limit);
  return rows.map((r) => viewOf(r, viewer)).filter((v): v is VictimReport => v !== undefined);
}

/** draft → consented: an admin of the reporting organisation only. */
export async function consentVictimReport(state: Q, id: string, by: ReportViewer): Promise<VictimReport> {
  const r = await reportRow(state, id);
  const own = by.orgId !== null && by.orgId === r.owner_org_id;
  if (!own && !isOperator(by)) throw new SakimoriError('NOT_FOUND', `no victim report ${id}`, { field: 'id' });
  if (!own || by.role !== 'org-admin') throw new SakimoriError('FORBIDDEN', 'only an admin of the reporting organisation may consent to releasing its victim information');
  if (r.state !== 'draft') throw new SakimoriError('BAD_REQUEST', `the report is already ${r.state}`, { field: 'state' });
  await state.query(`UPDATE victim_reports SET state = 'consented', consented_by = $2, consented_at = now() WHERE id = $1 AND state = 'draft'`, [r.id, by.userId]);
  return getVictimReport(state, r.id, by);
}

/** consented → released: the hub's operators, once the organisation consented. */
export async function releaseVictimReport(state: Q, id: string, by: ReportViewer): Promise<VictimReport> {
  const r = await reportRow(state, id);
  const own = by.orgId !== null && by.orgId === r.owner_org_id;
  if (!isOperator(by)) {
    if (!own) throw new SakimoriError('NOT_FOUND', `no victim report ${id}`, { field: 'id' });
    throw new SakimoriError('FORBIDDEN', 'the hub\'s operators release a consented report');
  }
  if (r.state !== 'consented') throw new SakimoriError('BAD_REQUEST', r.state === 'draft' ? 'the reporting organisation has not consented' : 'the report is already released', { field: 'state' });
  await state.query(`UPDATE victim_reports SET state = 'released', released_by = $2, released_at = now() WHERE id = $1 AND state = 'consented'`, [r.id, by.userId]);
  // Loaded when used: report-stix-for.ts reads reports through this module.
  await (await import('./report-stix-for.js')).consentReleasedObjects(state, r.id);
  return getVictimReport(state, r.id, by);
}
