/**
 * The egress audit: every object version that left the hub, to whom (user and organisation),
 * from whose organisation, when, through which path and why the policy let it go. Written by
 * every path out after `decide()` allowed a delivery (TAXII reads, REST, exports, digests,
 * reports, console); read by platform admins (everything) and organisation admins (what went to
 * or came from their organisation).
 */
import type { StateStore } from '../../store/types.js';
import { SakimoriError } from '../../errors.js';

export const EGRESS_PATHS = ['taxii', 'rest', 'export', 'digest', 'report', 'console'] as const;
export type EgressPath = (typeof EGRESS_PATHS)[number];

export interface EgressEntry {
  /** Who received it. */
  readonly userId: string;
  readonly orgId: string | null;
  /** Which object version. */
  readonly objectId: string;
  readonly version: string;
  /** Whose it was (the publishing organisation), so that organisation can see where it went. */
  readonly ownerOrgId: string | null;
  readonly collectionId: string | null;
  readonly path: EgressPath;
  /** The decision's reason (`PolicyReason`), e.g. amber-served. */
  readonly reason: string;
}

export interface EgressRecord extends EgressEntry { readonly id: number; readonly at: string }

type Q = Pick<StateStore, 'query'>;

/** One insert for a whole page of deliveries. */
export async function recordEgress(state: Q, entries: readonly EgressEntry[], at: Date = new Date()): Promise<void> {
  if (entries.length === 0) return;
  for (const [i, e] of entries.entries()) {
    if (!(EGRESS_PATHS as readonly string[]).includes(e.path)) throw new SakimoriError('BAD_REQUEST', `egress path must be one of ${EGRESS_PATHS.join(', ')}`, { field: `entries.${i}.path` });
  }
  const col = <K extends keyof EgressEntry>(k: K): EgressEntry[K][] => entries.map((e) => e[k]);
  await state.query(
    `INSERT INTO share_egress (at, user_id, org_id, object_id, version, owner_org_id, collection_id, path, reason)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])`,
    [at, col('userId'), col('orgId'), col('objectId'), col('version'), col('ownerOrgId'), col('collectionId'), col('path'), col('reason')],
  );
}

/**
 * Who reads the audit: everything (platform admins), or the deliveries to one organisation and
 * its users (and to the reader itself, which may belong to none); `asOwner` adds where the
 * organisation's own objects went (its admins).
 */
export type EgressReader =
  | { readonly all: true }
  | { readonly all: false; readonly orgId: string | null; readonly userId?: string; readonly asOwner?: boolean };

export interface EgressQuery {
  readonly since?: Date;
  readonly until?: Date;
  readonly path?: EgressPath;
  readonly objectId?: string;
  readonly userId?: string;
  /** Newest first; entries with an id below this one (the previous page's `next`). */
  readonly before?: number;
  readonly limit?: number;
}

export interface EgressPage { readonly entries: EgressRecord[]; readonly next: number | null }

export async function readEgress(state: Q, reader: EgressReader, q: EgressQuery = {}): Promise<EgressPage> {
  const limit = Math.max(1, Math.min(q.limit ?? 100, 1000));
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown): string => `$${params.push(v)}`;
  if (!reader.all) {
    const mine: string[] = [];
    if (reader.orgId !== null) {
      const o = p(reader.orgId);
      mine.push(`org_id = ${o}`, `user_id IN (SELECT id FROM users WHERE org_id = ${o})`);
      if (reader.asOwner) mine.push(`owner_org_id = ${o}`);
    }
    if (reader.userId !== undefined) mine.push(`user_id = ${p(reader.userId)}`);
    where.push(mine.length ? `(${mine.join(' OR ')})` : 'false');
  }
  if (q.since) where.push(`at >= ${p(q.since)}`);
  if (q.until) where.push(`at < ${p(q.until)}`);
  if (q.path) where.push(`path = ${p(q.path)}`);
  if (q.objectId) where.push(`object_id = ${p(q.objectId)}`);
  if (q.userId) where.push(`user_id = ${p(q.userId)}`);
  if (q.before !== undefined) where.push(`id < ${p(q.before)}`);
  const rows = await state.query<{ id: string | number; at: Date; user_id: string; org_id: string | null; object_id: string; version: string; owner_org_id: string | null; collection_id: string | null; path: EgressPath; reason: string }>(
    `SELECT * FROM share_egress ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${limit + 1}`,
    params,
  );
  const entries = rows.slice(0, limit).map((r) => ({
    id: Number(r.id), at: r.at.toISOString(), userId: r.user_id, orgId: r.org_id, objectId: r.object_id, version: r.version,
    ownerOrgId: r.owner_org_id, collectionId: r.collection_id, path: r.path, reason: r.reason,
  }));
  return { entries, next: rows.length > limit ? (entries.at(-1)?.id ?? null) : null };
}
