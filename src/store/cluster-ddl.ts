/**
 * The ClickHouse cluster variant of the events schema, generated from the same migrations that
 * the embedded store runs (printed by `sakimori store cluster-ddl`, applied with clickhouse-client
 * by an operator, once, on any node).
 *
 * For every table `t` of the migrations:
 *
 *   CREATE TABLE IF NOT EXISTS t_local ON CLUSTER '{cluster}' (…)
 *     ENGINE = Replicated<Engine>('/clickhouse/tables/{shard}/{database}/t', '{replica}'[, engine args]) …
 *   CREATE TABLE IF NOT EXISTS t ON CLUSTER '{cluster}' AS t_local
 *     ENGINE = Distributed('{cluster}', currentDatabase(), t_local, <sharding key>)
 *
 * so every query keeps naming `t`. Rules the migrations follow for this to work:
 *
 * - MergeTree-family engines are written `ENGINE = {engine:MergeTree}` (`{engine:AggregatingMergeTree}`,
 *   `{engine:SummingMergeTree(cols)}`, `{engine:ReplacingMergeTree(ver)}` …); a literal
 *   `…MergeTree` engine is refused here. Other engines (Null, Memory) stay as they are, with a
 *   Distributed table in front. `non_replicated_deduplication_window` becomes
 *   `replicated_deduplication_window`.
 * - Materialized views `TO t` become `… ON CLUSTER … TO t_local AS SELECT … FROM s_local`: every
 *   table of the migrations named after FROM/JOIN/TO is replaced by its local table, so each shard
 *   aggregates the rows inserted on it. Rows inserted into the Distributed `darknet_ingest` (over
 *   the Null `darknet_ingest_local`) are therefore spread by its sharding key and fanned out
 *   locally. A view with its own ENGINE becomes `v_local` plus a Distributed `v`.
 * - Sharding key of a Distributed table: the migration's `sharding[table]`, else
 *   `cityHash64(src)` when the table has a `src` column (all rows of one source on one shard, so
 *   per-source aggregates stay whole), else `rand()`.
 * - ALTER TABLE runs on the local tables; column changes run on the Distributed tables too.
 *   DROP drops both. CREATE VIEW/FUNCTION/DICTIONARY get ON CLUSTER; INSERT stays as written.
 *   Anything else is refused.
 *
 * The output ends with a `schema_migrations` table replicated to every node (ZooKeeper path
 * without `{shard}`) and the records of the migrations it contains, with the same checksums
 * `migrate.ts` computes: a sakimori started with `--clickhouse-url` on this cluster then finds
 * the schema applied. It needs the usual macros (`{cluster}`, `{shard}`, `{replica}`, unique
 * per node) in the servers' configuration.
 */
import { SakimoriError } from '../errors.js';
import { ENGINE_PLACEHOLDER, checkMigrationList, migrationChecksum, type Migration } from './migrate.js';
import { EVENTS_MIGRATIONS } from './migrations/events/index.js';

export interface ClusterDdlOptions {
  /** Defaults to the events migrations (`migrations/events/index.ts`). */
  readonly migrations?: readonly Migration[];
  /** Cluster name for ON CLUSTER and Distributed (default the macro `{cluster}`). */
  readonly cluster?: string;
  /** Sharding keys by table, overriding the migrations' own. */
  readonly shardingKeys?: Readonly<Record<string, string>>;
}

const IDENT = '`?([A-Za-z_][A-Za-z0-9_]*)`?';
const CREATE_TABLE = new RegExp(`^\\s*CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?${IDENT}(?![\\w.])\\s*([\\s\\S]*)$`, 'i');
const CREATE_MV = new RegExp(`^\\s*CREATE\\s+MATERIALIZED\\s+VIEW\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?${IDENT}(?![\\w.])\\s*([\\s\\S]*)$`, 'i');
const CREATE_OTHER = new RegExp(
  `^\\s*CREATE\\s+(?:OR\\s+REPLACE\\s+)?(VIEW|FUNCTION|DICTIONARY)\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?${IDENT}(?![\\w.])\\s*([\\s\\S]*)$`,
  'i',
);
const ALTER_TABLE = new RegExp(`^\\s*ALTER\\s+TABLE\\s+${IDENT}(?![\\w.])\\s+([\\s\\S]*)$`, 'i');
const DROP = new RegExp(`^\\s*DROP\\s+(TABLE|VIEW|DICTIONARY|FUNCTION)\\s+(?:IF\\s+EXISTS\\s+)?${IDENT}(?![\\w.])\\s*([\\s\\S]*)$`, 'i');
const COLUMN_OP = /^(ADD|DROP|MODIFY|RENAME|COMMENT)\s+COLUMN\b/i;

function lit(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function fail(m: Migration, index: number, detail: string): SakimoriError {
  return new SakimoriError('STORE_MIGRATION_FAILED', `cluster DDL: migration ${m.id} (${m.name}), statement ${index + 1}: ${detail}`, {
    store: 'events',
    migration: m.id,
    statement: index + 1,
  });
}

/** Index of the parenthesis closing the one at `open`, skipping quoted text. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"' || c === '`') {
      i = skipQuoted(text, i);
    } else if (c === '(') {
      depth++;
    } else if (c === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function skipQuoted(text: string, start: number): number {
  const q = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === q) return i;
  }
  return text.length;
}

/** Splits at top-level commas (not inside parentheses or quotes). */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"' || c === '`') i = skipQuoted(text, i);
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(text.slice(from));
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** Column names of a `(…)` column list (indexes, projections and constraints left out). */
function columnNames(list: string): string[] {
  return splitTopLevel(list)
    .filter((d) => !/^(INDEX|PROJECTION|CONSTRAINT)\b/i.test(d))
    .map((d) => /^`?([A-Za-z_][A-Za-z0-9_]*)`?/.exec(d)?.[1] ?? '')
    .filter(Boolean);
}

interface Context {
  readonly on: string;
  readonly clusterLit: string;
  /** Tables (and views with their own engine) that get a `_local` table + a Distributed one. */
  readonly sharded: Set<string>;
  readonly shardingKeys: Readonly<Record<string, string>>;
}

/** Replaces tables of the migrations named after FROM, JOIN or TO by their local tables. */
function localRefs(sql: string, ctx: Context): string {
  return sql.replace(/\b(FROM|JOIN|TO)(\s+)`?([A-Za-z_][A-Za-z0-9_]*)`?(?![\w.(`])/gi, (all, kw: string, sp: string, name: string) =>
    ctx.sharded.has(name) ? `${kw}${sp}${name}_local` : all,
  );
}

/** Replaces the engine of a local table by its replicated form; refuses literal MergeTree engines. */
function replicatedEngine(rest: string, table: string, m: Migration, index: number): string {
  let found = false;
  const out = rest.replace(ENGINE_PLACEHOLDER, (_all, engine: string, args: string | undefined) => {
    found = true;
    const inner = args ? args.slice(1, -1).trim() : '';
    const path = lit(`/clickhouse/tables/{shard}/{database}/${table}`);
    return `Replicated${engine}(${path}, '{replica}'${inner ? `, ${inner}` : ''})`;
  });
  if (!found && /\bENGINE\s*=\s*\w*MergeTree\b/i.test(rest)) {
    throw fail(m, index, `table ${table} names a MergeTree engine literally; write ENGINE = {engine:…MergeTree} so it can be replicated`);
  }
  return out.replace(/\bnon_replicated_deduplication_window\b/g, 'replicated_deduplication_window');
}

function distributed(table: string, key: string, ctx: Context): string {
  return `CREATE TABLE IF NOT EXISTS ${table} ${ctx.on} AS ${table}_local\nENGINE = Distributed(${ctx.clusterLit}, currentDatabase(), ${table}_local, ${key})`;
}

function shardingKey(table: string, columns: readonly string[], m: Migration, ctx: Context): string {
  return ctx.shardingKeys[table] ?? m.sharding?.[table] ?? (columns.includes('src') ? 'cityHash64(src)' : 'rand()');
}

function clusterStatements(sql: string, m: Migration, index: number, ctx: Context): string[] {
  let g: RegExpExecArray | null;
  if ((g = CREATE_TABLE.exec(sql))) {
    const table = g[1] as string;
    let rest = g[2] as string;
    let columns: string[] = [];
    if (rest.startsWith('(')) {
      const end = closingParen(rest, 0);
      columns = columnNames(rest.slice(1, end));
    } else {
      // CREATE TABLE t AS other …: copy the local structure.
      rest = rest.replace(new RegExp(`^AS\\s+${IDENT}(?![\\w.(])`, 'i'), (all, other: string) =>
        ctx.sharded.has(other) ? `AS ${other}_local` : all,
      );
    }
    const local = `CREATE TABLE IF NOT EXISTS ${table}_local ${ctx.on} ${localRefs(replicatedEngine(rest, table, m, index), ctx)}`;
    return [local, distributed(table, shardingKey(table, columns, m, ctx), ctx)];
  }
  if ((g = CREATE_MV.exec(sql))) {
    const view = g[1] as string;
    const rest = g[2] as string;
    if (/^TO\s/i.test(rest)) return [`CREATE MATERIALIZED VIEW IF NOT EXISTS ${view} ${ctx.on} ${localRefs(rest, ctx)}`];
    const local = `CREATE MATERIALIZED VIEW IF NOT EXISTS ${view}_local ${ctx.on} ${localRefs(replicatedEngine(rest, view, m, index), ctx)}`;
    return [local, distributed(view, shardingKey(view, [], m, ctx), ctx)];
  }
  if ((g = CREATE_OTHER.exec(sql))) {
    const head = sql.slice(0, sql.length - (g[3] as string).length).trimEnd();
    return [`${head} ${ctx.on} ${g[3] as string}`];
  }
  if ((g = ALTER_TABLE.exec(sql))) {
    const table = g[1] as string;
    const ops = splitTopLevel(g[2] as string);
    if (!ctx.sharded.has(table)) return [`ALTER TABLE ${table} ${ctx.on} ${ops.join(', ')}`];
    const out = [`ALTER TABLE ${table}_local ${ctx.on} ${ops.join(', ')}`];
    const columnOps = ops.filter((o) => COLUMN_OP.test(o));
    if (columnOps.length > 0) out.push(`ALTER TABLE ${table} ${ctx.on} ${columnOps.join(', ')}`);
    return out;
  }
  if ((g = DROP.exec(sql))) {
    const kind = (g[1] as string).toUpperCase();
    const name = g[2] as string;
    const tail = (g[3] as string).trim();
    const drop = (n: string, k: string): string => `DROP ${k} IF EXISTS ${n} ${ctx.on}${tail ? ` ${tail}` : ''}`;
    if (!ctx.sharded.has(name)) return [drop(name, kind)];
    return [drop(name, 'TABLE'), drop(`${name}_local`, kind === 'VIEW' ? 'VIEW' : 'TABLE')];
  }
  if (/^\s*INSERT\s/i.test(sql)) return [sql.trim()];
  throw fail(m, index, `no cluster form for "${sql.trim().slice(0, 60)}…" (supported: CREATE TABLE/MATERIALIZED VIEW/VIEW/FUNCTION/DICTIONARY, ALTER TABLE, DROP, INSERT)`);
}

/** The cluster DDL for the events migrations: one statement per element, without `;`. */
export function clusterDdl(opts: ClusterDdlOptions = {}): string[] {
  const migrations = opts.migrations ?? EVENTS_MIGRATIONS;
  checkMigrationList('events', migrations);
  const cluster = opts.cluster ?? '{cluster}';
  const ctx: Context = {
    on: `ON CLUSTER ${lit(cluster)}`,
    clusterLit: lit(cluster),
    sharded: new Set(),
    shardingKeys: opts.shardingKeys ?? {},
  };
  for (const m of migrations) {
    for (const sql of m.statements) {
      const t = CREATE_TABLE.exec(sql);
      if (t) ctx.sharded.add(t[1] as string);
      const v = CREATE_MV.exec(sql);
      if (v && !/^TO\s/i.test(v[2] as string)) ctx.sharded.add(v[1] as string);
    }
  }

  const out: string[] = [];
  for (const m of migrations) {
    m.statements.forEach((sql, i) => out.push(...clusterStatements(sql, m, i, ctx)));
  }
  out.push(
    `CREATE TABLE IF NOT EXISTS schema_migrations ${ctx.on} (
  id UInt32,
  name String,
  checksum String,
  applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{database}/schema_migrations', '{replica}') ORDER BY id`,
  );
  for (const m of migrations) {
    out.push(
      `INSERT INTO schema_migrations (id, name, checksum, applied_at) SELECT ${m.id}, ${lit(m.name)}, ${lit(migrationChecksum(m))}, now64(3) ` +
        `WHERE ${m.id} NOT IN (SELECT id FROM schema_migrations)`,
    );
  }
  return out;
}
