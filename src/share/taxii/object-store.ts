/**
 * The hub's STIX object store (migration 017), used by the TAXII server, publish, import and the
 * TAXII client alike. Every stored version keeps the object's JSON text exactly as posted; a
 * version already stored is a success and is not stored again. Reads page by `date_added`,
 * which is unique and increasing within the server (see the migration), so paging by
 * `added_after` or by a cursor never skips or repeats an object.
 */
import { createHash } from 'node:crypto';
import type { StateStore } from '../../store/types.js';
import { tlpOfMarkings, isTlpMarkingId, type Tlp } from '../stix/tlp.js';
import { validateObject } from '../stix/validate.js';
import { markingRefs } from './stix-facts.js';

type Q = Pick<StateStore, 'query'>;
type Tx = Pick<StateStore, 'query' | 'transaction'>;

export interface Poster { readonly userId: string; readonly orgId: string | null }

export interface PutResult {
  readonly successes: { id: string; version: string }[];
  readonly failures: { id: string; message: string }[];
}

/** One stored version of an object. */
export interface StoredObject {
  readonly id: string;
  readonly type: string;
  readonly specVersion: string;
  /** `modified`, else `created`, else the date it was added (TAXII 2.1 section 3.6). */
  readonly version: string;
  /** RFC 3339 with microseconds, unique within the server. */
  readonly dateAdded: string;
  readonly tlp: Tlp | null;
  readonly ownerOrgId: string | null;
  readonly ownerUserId: string | null;
  /** The object's JSON text exactly as posted ('' when read without bodies). */
  readonly body: string;
}

/** `first`, `last`, `all`, or a version timestamp (TAXII 2.1 section 3.4.1 `match[version]`). */
export type VersionMatch = string;

export interface ObjectQuery {
  /** Only objects added after this time (exclusive; RFC 3339, microseconds kept). */
  readonly addedAfter?: string | null;
  readonly ids?: readonly string[];
  readonly types?: readonly string[];
  readonly specVersions?: readonly string[];
  /** Default `last`, as TAXII defines. */
  readonly versions?: readonly VersionMatch[];
  readonly limit: number;
  /** Leave the bodies out (manifests, version lists). */
  readonly withBody?: boolean;
}

export interface ObjectPage { readonly objects: StoredObject[]; readonly more: boolean }

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Microsecond RFC 3339 text of a timestamptz column, as TAXII shows `date_added`. */
const US_TEXT = (col: string): string => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

interface Candidate { index: number; id: string; type: string; specVersion: string; version: string | null; tlp: Tlp | null; body: string }

/**
 * Validates each object and stores the valid ones in one transaction. `texts[i]`, when given,
 * is object i's JSON text as it was received (the TAXII server keeps the bytes posted);
 * otherwise the object is stored as `JSON.stringify` writes it. Failures say which object and
 * what is wrong with it; the rest is stored.
 */
export async function putObjects(state: Tx, collectionId: string, objects: readonly unknown[], by: Poster, opts: { texts?: readonly string[] } = {}): Promise<PutResult> {
  const failures: { id: string; message: string }[] = [];
  const valid: Candidate[] = [];
  const idOf = (o: unknown, i: number): string => (isRecord(o) && typeof o['id'] === 'string' ? o['id'] : `objects[${i}]`);
  objects.forEach((o, i) => {
    const issues = validateObject(o);
    if (issues.length > 0 || !isRecord(o)) {
      failures.push({ id: idOf(o, i), message: issues.map((x) => (x.path ? `${x.path}: ${x.message}` : x.message)).join('; ') || 'not an object' });
      return;
    }
    const created = o['created'];
    const modified = o['modified'];
    const version = typeof modified === 'string' ? modified : typeof created === 'string' ? created : null;
    const refs = o['object_marking_refs'];
    valid.push({
      index: i, id: o['id'] as string, type: o['type'] as string, specVersion: typeof o['spec_version'] === 'string' ? o['spec_version'] : '2.1', version,
      tlp: tlpOfMarkings(Array.isArray(refs) ? refs.filter((r): r is string => typeof r === 'string') : undefined),
      body: opts.texts?.[i] ?? JSON.stringify(o),
    });
  });
  const successes: { id: string; version: string }[] = [];
  if (valid.length === 0) return { successes, failures };
  await state.transaction(async (tx) => {
    const ok = await refuseUnknownMarkings(tx, collectionId, valid, objects, failures);
    if (ok.length === 0) return;
    // SCOs carry no version: each is stored once per distinct text (re-posting it adds nothing).
    const seen = new Set<string>();
    const rows = ok.filter((c) => {
      const key = c.version === null ? `${c.id}\u0000${c.body}` : `${c.id}\u0000${Date.parse(c.version)}\u0000${c.version}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const n = rows.length;
    // Staged by COPY (PGlite takes array parameters of large texts slowly), then one insert.
    await tx.exec(`CREATE TEMP TABLE IF NOT EXISTS share_put_stage (ord text, stix_id text, type text, spec_version text, version_text text, tlp text, body text) ON COMMIT DELETE ROWS`);
    await tx.copyRows('share_put_stage', ['ord', 'stix_id', 'type', 'spec_version', 'version_text', 'tlp', 'body'],
      rows.map((c, i) => [String(i + 1), c.id, c.type, c.specVersion, c.version, c.tlp, c.body]));
    const stored = await tx.query<{ stix_id: string; version_text: string; h: string | null }>(
      `WITH clock AS (
         UPDATE share_clock SET last = greatest(clock_timestamp(), last + interval '1 microsecond') + ($2::int - 1) * interval '1 microsecond'
         RETURNING last - ($2::int - 1) * interval '1 microsecond' AS first
       ), d AS (
         SELECT r.*, clock.first + (r.ord::int - 1) * interval '1 microsecond' AS date_added FROM share_put_stage r, clock
       )
       INSERT INTO share_objects (collection_id, date_added, stix_id, type, spec_version, version, version_text, owner_org_id, owner_user_id, tlp, body)
       SELECT $1::uuid, d.date_added, d.stix_id, d.type, d.spec_version, coalesce(d.version_text::timestamptz, d.date_added),
              coalesce(d.version_text, ${US_TEXT('d.date_added')}), $3, $4, d.tlp, d.body
       FROM d
       WHERE d.version_text IS NOT NULL
          OR NOT EXISTS (SELECT 1 FROM share_objects o WHERE o.collection_id = $1::uuid AND o.stix_id = d.stix_id AND o.body = d.body)
       ON CONFLICT (collection_id, stix_id, version) DO NOTHING
       RETURNING stix_id, version_text, CASE WHEN version_text ~ '\\.\\d{6}Z$' THEN md5(body) END AS h`,
      [collectionId, n, by.orgId, by.userId],
    );
    await tx.exec('TRUNCATE share_put_stage');
    // Versionless objects already stored: their success names the version stored before.
    // Keyed by the body's digest, not the body: sending every body back costs as much as the insert.
    const md5 = (t: string): string => createHash('md5').update(t, 'utf8').digest('hex');
    const addedVersion = new Map(stored.filter((s) => s.h !== null).map((s) => [`${s.stix_id}\u0000${s.h}`, s.version_text]));
    const unversioned = ok.filter((c) => c.version === null && !addedVersion.has(`${c.id}\u0000${md5(c.body)}`));
    if (unversioned.length) {
      const before = await tx.query<{ stix_id: string; version_text: string; body: string }>(
        `SELECT DISTINCT ON (stix_id, body) stix_id, version_text, body FROM share_objects
         WHERE collection_id = $1::uuid AND stix_id = ANY($2::text[]) AND body = ANY($3::text[]) ORDER BY stix_id, body, date_added`,
        [collectionId, unversioned.map((c) => c.id), unversioned.map((c) => c.body)],
      );
      for (const b of before) addedVersion.set(`${b.stix_id}\u0000${md5(b.body)}`, b.version_text);
    }
    for (const c of ok) successes.push({ id: c.id, version: c.version ?? addedVersion.get(`${c.id}\u0000${md5(c.body)}`) ?? '' });
  });
  return { successes, failures };
}

/**
 * Objects referring to a marking-definition that is neither a TLP one, nor stored in the
 * collection, nor posted (and valid) in the same batch are refused: a marking nobody can
 * resolve cannot be honoured. Returns the candidates that pass.
 */
async function refuseUnknownMarkings(tx: Q, collectionId: string, valid: readonly Candidate[], objects: readonly unknown[], failures: { id: string; message: string }[]): Promise<Candidate[]> {
  const inBatch = new Set(valid.filter((c) => c.type === 'marking-definition').map((c) => c.id));
  const wanted = new Set<string>();
  const refsOf = valid.map((c) => markingRefs(objects[c.index] as Record<string, unknown>));
  for (const refs of refsOf) for (const r of refs) if (!isTlpMarkingId(r) && !inBatch.has(r)) wanted.add(r);
  const known = new Set(inBatch);
  if (wanted.size) {
    const rows = await tx.query<{ stix_id: string }>(
      `SELECT DISTINCT stix_id FROM share_objects WHERE collection_id = $1::uuid AND type = 'marking-definition' AND stix_id = ANY($2::text[])`,
      [collectionId, [...wanted]],
    );
    for (const r of rows) known.add(r.stix_id);
  }
  return valid.filter((c, i) => {
    const unknown = (refsOf[i] ?? []).filter((r) => !isTlpMarkingId(r) && !known.has(r));
    if (unknown.length === 0) return true;
    failures.push({ id: c.id, message: `unknown marking-definition ${unknown.join(', ')}: post the marking-definition to this collection first (TLP markings are known)` });
    return false;
  });
}

interface ReadRow { stix_id: string; type: string; spec_version: string; version_text: string; date_added: string; tlp: Tlp | null; owner_org_id: string | null; owner_user_id: string | null; body: string }

/** The WHERE clause of a read and its parameters ($1 is the collection). */
function filterSql(collectionId: string, q: Omit<ObjectQuery, 'limit'>): { where: string; params: unknown[] } {
  const params: unknown[] = [collectionId];
  const p = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  const where = ['o.collection_id = $1::uuid'];
  if (q.addedAfter) where.push(`o.date_added > ${p(q.addedAfter)}::timestamptz`);
  if (q.ids?.length) where.push(`o.stix_id = ANY(${p([...q.ids])}::text[])`);
  if (q.types?.length) where.push(`o.type = ANY(${p([...q.types])}::text[])`);
  if (q.specVersions?.length) where.push(`o.spec_version = ANY(${p([...q.specVersions])}::text[])`);
  const versions = q.versions?.length ? q.versions : ['last'];
  if (!versions.includes('all')) {
    const any: string[] = [];
    const other = (cmp: '>' | '<'): string => `NOT EXISTS (SELECT 1 FROM share_objects n WHERE n.collection_id = o.collection_id AND n.stix_id = o.stix_id AND n.version ${cmp} o.version)`;
    if (versions.includes('last')) any.push(other('>'));
    if (versions.includes('first')) any.push(other('<'));
    const times = versions.filter((v) => v !== 'first' && v !== 'last');
    if (times.length) any.push(`o.version = ANY(${p(times)}::timestamptz[])`);
    where.push(`(${any.join(' OR ')})`);
  }
  return { where: where.join(' AND '), params };
}

/** A page of stored versions in the order they were added; `more` when more match beyond it. */
export async function readObjects(state: Q, collectionId: string, q: ObjectQuery): Promise<ObjectPage> {
  const { where, params } = filterSql(collectionId, q);
  params.push(q.limit + 1);
  const rows = await state.query<ReadRow>(
    `SELECT o.stix_id, o.type, o.spec_version, o.version_text, ${US_TEXT('o.date_added')} AS date_added, o.tlp, o.owner_org_id, o.owner_user_id,
            ${q.withBody === false ? "''" : 'o.body'} AS body
     FROM share_objects o WHERE ${where} ORDER BY o.date_added LIMIT $${params.length}`,
    params,
  );
  const more = rows.length > q.limit;
  return {
    more,
    objects: rows.slice(0, q.limit).map((r) => ({
      id: r.stix_id, type: r.type, specVersion: r.spec_version, version: r.version_text, dateAdded: r.date_added, tlp: r.tlp,
      ownerOrgId: r.owner_org_id, ownerUserId: r.owner_user_id, body: r.body,
    })),
  };
}

/**
 * Deletes the versions of one object that match (default: all its versions); how many went.
 * `ownerOrgId`: only versions that organisation posted (a member deletes its own, not a peer's).
 */
export async function deleteObject(state: Q, collectionId: string, id: string, q: { versions?: readonly VersionMatch[]; specVersions?: readonly string[]; ownerOrgId?: string } = {}): Promise<number> {
  const f = filterSql(collectionId, { ids: [id], versions: q.versions?.length ? q.versions : ['all'], ...(q.specVersions ? { specVersions: q.specVersions } : {}) });
  const params = f.params;
  let where = f.where;
  if (q.ownerOrgId !== undefined) {
    params.push(q.ownerOrgId);
    where += ` AND o.owner_org_id = $${params.length}`;
  }
  const gone = await state.query<{ n: number }>(
    `WITH gone AS (DELETE FROM share_objects WHERE (collection_id, date_added) IN (SELECT o.collection_id, o.date_added FROM share_objects o WHERE ${where}) RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    params,
  );
  return gone[0]?.n ?? 0;
}
