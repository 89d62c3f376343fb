/**
 * Imports a local vulnerability feed into the state store: the CISA KEV catalogue or an NVD CVE
 * JSON 2.0 file (a yearly/modified feed or saved API pages), plain or gzip, streamed record by
 * record. One import is one transaction; rows are rewritten per CVE as batches are read and,
 * when the file was complete, the feed's rows from earlier imports that this file no longer
 * holds are removed — so a re-import of the same file changes nothing and a truncated file
 * updates what it holds without deleting the rest. Bad records are skipped and counted, each
 * reported with its index (0-based position in the `vulnerabilities` array) and CVE id.
 */
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { SakimoriError, messageOf } from '../errors.js';
import type { StateStore } from '../store/types.js';
import { openFeedText } from './feed-source.js';
import { JsonArraySplitter } from './json-array-splitter.js';
import { kevRow, nvdRecord, problemOf, type KevRow, type NvdRecord } from './records.js';

export type VulnFormat = 'kev' | 'nvd';

export interface VulnImportOptions {
  readonly format: VulnFormat;
  /** NVD: the feed these records replace (default: the file name without .json/.gz). KEV: always `kev`. */
  readonly feed?: string | undefined;
  /** Records per write (default 1000). */
  readonly batchSize?: number;
  /** Problems kept in the summary (default 20; all are counted). */
  readonly maxIssues?: number;
  /** The input's name as recorded and reported (default: the file's path), e.g. an uploaded file's. */
  readonly name?: string | undefined;
}

export interface VulnImportIssue {
  /** 0-based index in the `vulnerabilities` array. */
  readonly record: number;
  readonly id?: string;
  readonly message: string;
}

export interface VulnImportSummary {
  readonly file: string;
  readonly format: VulnFormat;
  readonly feed: string;
  readonly catalogVersion: string;
  /** Records read from the array (good and bad). */
  readonly records: number;
  /** KEV entries or CVEs written. */
  readonly imported: number;
  /** CPE match criteria written (NVD). */
  readonly cpeMatches: number;
  /** NVD records with status Rejected (not stored; an earlier copy is removed). */
  readonly rejected: number;
  /** Bad records, skipped. */
  readonly skipped: number;
  /** The file was read to its end and its structure closed. */
  readonly complete: boolean;
  /** Rows of earlier imports of the feed that this (complete) file no longer holds. */
  readonly removed: number;
  readonly issues: readonly VulnImportIssue[];
  /** Why the file is not complete, naming the record. */
  readonly error?: string;
  readonly elapsedMs: number;
}

type Tx = Pick<StateStore, 'query' | 'exec'>;

interface FeedWriter {
  add(value: unknown): { id?: string; rejected?: boolean };
  readonly pending: number;
  flush(): Promise<void>;
  sweep(): Promise<number>;
  imported: number;
  cpeMatches: number;
}

export function defaultFeedName(file: string, format: VulnFormat): string {
  if (format === 'kev') return 'kev';
  return basename(file).replace(/\.gz$/i, '').replace(/\.json$/i, '') || 'nvd';
}

function idOf(value: unknown, key: 'cveID' | 'cve'): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = (value as Record<string, unknown>)[key];
  if (key === 'cveID') return typeof v === 'string' ? v : undefined;
  if (typeof v === 'object' && v !== null) {
    const id = (v as Record<string, unknown>)['id'];
    return typeof id === 'string' ? id : undefined;
  }
  return undefined;
}

class KevWriter implements FeedWriter {
  private rows = new Map<string, KevRow>();
  imported = 0;
  cpeMatches = 0;
  constructor(private readonly tx: Tx, private readonly importId: string) {}
  get pending(): number {
    return this.rows.size;
  }
  add(value: unknown): { id?: string } {
    const r = kevRow(value);
    this.rows.set(r.cveId, r);
    return { id: r.cveId };
  }
  async flush(): Promise<void> {
    if (this.rows.size === 0) return;
    const rows = [...this.rows.values()];
    this.rows = new Map();
    await this.tx.query('DELETE FROM vuln_kev WHERE cve_id = ANY($1::text[])', [rows.map((r) => r.cveId)]);
    const json = rows.map((r) => ({
      cve_id: r.cveId, vendor_project: r.vendorProject, product: r.product, vulnerability_name: r.vulnerabilityName, date_added: r.dateAdded,
      due_date: r.dueDate, short_description: r.shortDescription, required_action: r.requiredAction, known_ransomware: r.knownRansomware,
      notes: r.notes, cwes: r.cwes,
    }));
    await this.tx.query(
      `INSERT INTO vuln_kev (cve_id, vendor_project, product, vulnerability_name, date_added, due_date, short_description, required_action, known_ransomware, notes, cwes, import_id)
       SELECT r.cve_id, r.vendor_project, r.product, r.vulnerability_name, r.date_added, r.due_date, r.short_description, r.required_action, r.known_ransomware, r.notes, coalesce(r.cwes, '{}'), $2
       FROM jsonb_to_recordset($1::jsonb) AS r(cve_id text, vendor_project text, product text, vulnerability_name text, date_added date, due_date date,
         short_description text, required_action text, known_ransomware boolean, notes text, cwes text[])`,
      [JSON.stringify(json), this.importId],
    );
    this.imported += rows.length;
  }
  async sweep(): Promise<number> {
    const [r] = await this.tx.query<{ n: number }>('WITH d AS (DELETE FROM vuln_kev WHERE import_id <> $1 RETURNING 1) SELECT count(*)::int AS n FROM d', [this.importId]);
    return r?.n ?? 0;
  }
}

class NvdWriter implements FeedWriter {
  private recs = new Map<string, NvdRecord>();
  imported = 0;
  cpeMatches = 0;
  constructor(private readonly tx: Tx, private readonly feed: string, private readonly importId: string) {}
  get pending(): number {
    return this.recs.size;
  }
  add(value: unknown): { id?: string; rejected?: boolean } {
    const r = nvdRecord(value);
    this.recs.set(r.cve.id, r);
    return { id: r.cve.id, rejected: r.rejected };
  }
  async flush(): Promise<void> {
    if (this.recs.size === 0) return;
    const recs = [...this.recs.values()];
    this.recs = new Map();
    await this.tx.query('DELETE FROM vuln_cve WHERE feed = $1 AND id = ANY($2::text[])', [this.feed, recs.map((r) => r.cve.id)]);
    const kept = recs.filter((r) => !r.rejected);
    if (kept.length === 0) return;
    const cves = kept.map(({ cve: c }) => ({
      id: c.id, summary: c.summary, cvss_version: c.cvssVersion, cvss_score: c.cvssScore, cvss_severity: c.cvssSeverity, cvss_vector: c.cvssVector,
      published: c.published, last_modified: c.lastModified, status: c.status,
    }));
    await this.tx.query(
      `INSERT INTO vuln_cve (feed, id, summary, cvss_version, cvss_score, cvss_severity, cvss_vector, published, last_modified, status, import_id)
       SELECT $1, r.id, r.summary, r.cvss_version, r.cvss_score, r.cvss_severity, r.cvss_vector, r.published, r.last_modified, r.status, $3
       FROM jsonb_to_recordset($2::jsonb) AS r(id text, summary text, cvss_version text, cvss_score real, cvss_severity text, cvss_vector text,
         published timestamptz, last_modified timestamptz, status text)`,
      [this.feed, JSON.stringify(cves), this.importId],
    );
    const matches = kept.flatMap((r) => r.matches.map((m) => ({
      cve_id: m.cveId, config: m.config, node: m.node, config_operator: m.configOperator, node_operator: m.nodeOperator, negate: m.negate,
      vulnerable: m.vulnerable, part: m.part, vendor: m.vendor, product: m.product, version: m.version, cpe_update: m.update, criteria: m.criteria,
      version_start_including: m.versionStartIncluding, version_start_excluding: m.versionStartExcluding,
      version_end_including: m.versionEndIncluding, version_end_excluding: m.versionEndExcluding, match_criteria_id: m.matchCriteriaId,
    })));
    for (let i = 0; i < matches.length; i += 20_000) {
      await this.tx.query(
        `INSERT INTO vuln_cpe_match (feed, cve_id, config, node, config_operator, node_operator, negate, vulnerable, part, vendor, product, version, cpe_update,
           criteria, version_start_including, version_start_excluding, version_end_including, version_end_excluding, match_criteria_id)
         SELECT $1, r.cve_id, r.config, r.node, r.config_operator, r.node_operator, r.negate, r.vulnerable, r.part, r.vendor, r.product, r.version, r.cpe_update,
           r.criteria, r.version_start_including, r.version_start_excluding, r.version_end_including, r.version_end_excluding, r.match_criteria_id
         FROM jsonb_to_recordset($2::jsonb) AS r(cve_id text, config integer, node integer, config_operator text, node_operator text, negate boolean,
           vulnerable boolean, part text, vendor text, product text, version text, cpe_update text, criteria text, version_start_including text,
           version_start_excluding text, version_end_including text, version_end_excluding text, match_criteria_id text)`,
        [this.feed, JSON.stringify(matches.slice(i, i + 20_000))],
      );
    }
    this.imported += kept.length;
    this.cpeMatches += matches.length;
  }
  async sweep(): Promise<number> {
    const [r] = await this.tx.query<{ n: number }>(
      'WITH d AS (DELETE FROM vuln_cve WHERE feed = $1 AND import_id <> $2 RETURNING 1) SELECT count(*)::int AS n FROM d', [this.feed, this.importId],
    );
    return r?.n ?? 0;
  }
}

export async function importVulnFeed(state: StateStore, file: string, opts: VulnImportOptions): Promise<VulnImportSummary> {
  const started = Date.now();
  const format = opts.format;
  const shown = opts.name ?? file;
  const feed = format === 'kev' ? 'kev' : (opts.feed ?? defaultFeedName(shown, format));
  const batchSize = Math.max(1, opts.batchSize ?? 1000);
  const maxIssues = opts.maxIssues ?? 20;
  const importId = randomUUID();
  const text = await openFeedText(file);
  const idKey = format === 'kev' ? 'cveID' : 'cve';

  try {
    return await state.transaction(async (tx) => {
      const writer: FeedWriter = format === 'kev' ? new KevWriter(tx, importId) : new NvdWriter(tx, feed, importId);
      const splitter = new JsonArraySplitter('vulnerabilities');
      const issues: VulnImportIssue[] = [];
      let records = 0;
      let skipped = 0;
      let rejected = 0;
      const bad = (record: number, message: string, id?: string): void => {
        skipped++;
        if (issues.length < maxIssues) issues.push(id ? { record, id, message } : { record, message });
      };
      let readError: string | undefined;
      try {
        for await (const chunk of text) {
          for (const t of splitter.push(chunk as string)) {
            const index = records++;
            let value: unknown;
            try {
              value = JSON.parse(t) as unknown;
            } catch (e) {
              bad(index, `not valid JSON: ${messageOf(e)}`);
              continue;
            }
            try {
              if (writer.add(value).rejected) rejected++;
            } catch (e) {
              bad(index, problemOf(e), idOf(value, idKey));
            }
          }
          if (writer.pending >= batchSize) await writer.flush();
        }
      } catch (e) {
        if (isSakimoriStoreError(e)) throw e;
        readError = `reading stopped after record ${records - 1}: ${messageOf(e)}`;
      }
      await writer.flush();
      const end = readError ? { complete: false, error: readError } : splitter.end();
      const catalogVersion = typeof splitter.head['catalogVersion'] === 'string' ? splitter.head['catalogVersion'] : typeof splitter.head['timestamp'] === 'string' ? splitter.head['timestamp'] : '';
      if (writer.imported === 0 && rejected === 0) {
        // Nothing usable: roll back (an earlier import of the feed stays as it was).
        const first = issues[0];
        const why = records === 0 ? (end.error ?? `no record in the "vulnerabilities" array`) : `no valid ${format.toUpperCase()} record${first ? `; record ${first.record}${first.id ? ` (${first.id})` : ''}: ${first.message}` : ''}`;
        throw new SakimoriError('VULN_FEED_INVALID', why, { file: shown, ...(first ? { record: first.record } : {}) });
      }
      const removed = end.complete ? await writer.sweep() : 0;
      await tx.query(
        `INSERT INTO vuln_feeds (feed, format, file, import_id, imported_at, records, skipped, complete, catalog_version)
         VALUES ($1, $2, $3, $4, now(), $5, $6, $7, $8)
         ON CONFLICT (feed) DO UPDATE SET format = excluded.format, file = excluded.file, import_id = excluded.import_id, imported_at = excluded.imported_at,
           records = excluded.records, skipped = excluded.skipped, complete = excluded.complete, catalog_version = excluded.catalog_version`,
        [feed, format, shown, importId, records, skipped, end.complete, catalogVersion],
      );
      return {
        file: shown, format, feed, catalogVersion, records, imported: writer.imported, cpeMatches: writer.cpeMatches, rejected, skipped,
        complete: end.complete, removed, issues, ...(end.error ? { error: end.error } : {}), elapsedMs: Date.now() - started,
      };
    });
  } finally {
    text.destroy();
  }
}

function isSakimoriStoreError(e: unknown): boolean {
  return e instanceof SakimoriError;
}

/** The feeds imported so far. */
export interface VulnFeedInfo {
  feed: string;
  format: VulnFormat;
  file: string;
  importedAt: Date;
  records: number;
  skipped: number;
  complete: boolean;
  catalogVersion: string;
}

export async function listVulnFeeds(state: StateStore): Promise<VulnFeedInfo[]> {
  return state.query<VulnFeedInfo>(
    `SELECT feed, format, file, imported_at AS "importedAt", records, skipped, complete, catalog_version AS "catalogVersion" FROM vuln_feeds ORDER BY feed`,
  );
}
