/**
 * Consent to release an object version's victim-identifying fields. Expressed as a record kept
 * by the hub, keyed by object id and version (never as a property of the object: whoever posts
 * an object could write that). A consent counts only when the consenting organisation owns the
 * version (the victim's own organisation reported it), so nobody can consent for another; a new
 * version needs its own consent, since its victim fields may differ. Withdrawing stops every
 * later delivery (what has left is in the egress audit).
 */
import type { StateStore } from '../../store/types.js';
import { SakimoriError } from '../../errors.js';

type Q = Pick<StateStore, 'query'>;

export interface ConsentInput { objectId: string; version: string; orgId: string; userId: string; note?: string }
export interface Consent { objectId: string; version: string; orgId: string; consentedBy: string; note: string; consentedAt: string; withdrawnAt: string | null }

const ID = /^[a-z0-9][a-z0-9-]*--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function checkVersionRef(objectId: string, version: string, at = ''): void {
  if (!ID.test(objectId)) throw new SakimoriError('BAD_REQUEST', `not a STIX id: ${objectId}`, { field: `${at}objectId` });
  if (!version || version.length > 64) throw new SakimoriError('BAD_REQUEST', 'version: the object version (its modified time) is required', { field: `${at}version` });
}

export async function recordConsent(state: Q, c: ConsentInput): Promise<Consent> {
  checkVersionRef(c.objectId, c.version);
  const [r] = await state.query<Row>(
    `INSERT INTO share_consents (object_id, version, org_id, consented_by, note) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (object_id, version) DO UPDATE SET org_id = EXCLUDED.org_id, consented_by = EXCLUDED.consented_by, note = EXCLUDED.note, consented_at = now(), withdrawn_at = NULL
     RETURNING *`,
    [c.objectId, c.version, c.orgId, c.userId, c.note ?? ''],
  );
  if (!r) throw new SakimoriError('INTERNAL', 'consent not stored');
  return toConsent(r);
}

/** Withdraws the organisation's consent; false when it had none for that version. */
export async function withdrawConsent(state: Q, objectId: string, version: string, orgId: string): Promise<boolean> {
  const rows = await state.query('UPDATE share_consents SET withdrawn_at = now() WHERE object_id = $1 AND version = $2 AND org_id = $3 AND withdrawn_at IS NULL RETURNING 1', [objectId, version, orgId]);
  return rows.length > 0;
}

/** Standing consents for these versions: `id|version` → consenting organisation. */
export async function consentsFor(state: Q, versions: readonly { id: string; version: string }[]): Promise<Map<string, string>> {
  if (versions.length === 0) return new Map();
  const rows = await state.query<{ object_id: string; version: string; org_id: string }>(
    `SELECT c.object_id, c.version, c.org_id FROM share_consents c
     JOIN unnest($1::text[], $2::text[]) AS v(id, version) ON c.object_id = v.id AND c.version = v.version
     WHERE c.withdrawn_at IS NULL`,
    [versions.map((v) => v.id), versions.map((v) => v.version)],
  );
  return new Map(rows.map((r) => [`${r.object_id}|${r.version}`, r.org_id]));
}

interface Row { object_id: string; version: string; org_id: string; consented_by: string; note: string; consented_at: Date; withdrawn_at: Date | null }
const toConsent = (r: Row): Consent => ({
  objectId: r.object_id, version: r.version, orgId: r.org_id, consentedBy: r.consented_by, note: r.note,
  consentedAt: r.consented_at.toISOString(), withdrawnAt: r.withdrawn_at?.toISOString() ?? null,
});
