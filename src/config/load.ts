import { readFileSync, existsSync } from 'node:fs';
import { SakimoriError } from '../errors.js';
import { configSchema, type Config } from './schema.js';

type Json = Record<string, unknown>;

/** Keys that were renamed: old dotted path → new dotted path. */
const RENAMED: Record<string, string> = {
  data: 'dataDir',
  'darknet.retention': 'darknet.retentionDays',
};

/**
 * Configuration from, in rising order of precedence: defaults, a JSON file (`--config`, or
 * `sakimori.json` in the working directory), environment variables (SAKIMORI_*), and flags.
 */
export function loadConfig(opts: { file?: string; env?: NodeJS.ProcessEnv; flags?: Json } = {}): Config {
  const env = opts.env ?? process.env;
  const layers: Json[] = [];
  const file = opts.file ?? env['SAKIMORI_CONFIG'] ?? (existsSync('sakimori.json') ? 'sakimori.json' : undefined);
  if (file) layers.push(renameKeys(readJson(file)));
  layers.push(fromEnv(env));
  if (opts.flags) layers.push(opts.flags);
  const merged = layers.reduce<Json>((acc, l) => deepMerge(acc, l), {});
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SakimoriError('CONFIG_INVALID', `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, file ? { file } : {});
  }
  return parsed.data;
}

function readJson(file: string): Json {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new SakimoriError('CONFIG_INVALID', 'configuration file cannot be read', { file });
  }
  try {
    const v: unknown = JSON.parse(text);
    if (!isObject(v)) throw new Error('not an object');
    return v;
  } catch (e) {
    throw new SakimoriError('CONFIG_INVALID', `not a JSON object: ${e instanceof Error ? e.message : String(e)}`, { file });
  }
}

function fromEnv(env: NodeJS.ProcessEnv): Json {
  const out: Json = {};
  const set = (path: string, v: unknown): void => {
    const parts = path.split('.');
    let o = out;
    for (const p of parts.slice(0, -1)) o = (o[p] ??= {}) as Json;
    o[parts[parts.length - 1] ?? path] = v;
  };
  if (env['SAKIMORI_DATA']) set('dataDir', env['SAKIMORI_DATA']);
  if (env['SAKIMORI_CLICKHOUSE_URL']) set('clickhouseUrl', env['SAKIMORI_CLICKHOUSE_URL']);
  if (env['SAKIMORI_POSTGRES_URL']) set('postgresUrl', env['SAKIMORI_POSTGRES_URL']);
  if (env['SAKIMORI_SENSOR']) set('sensor', env['SAKIMORI_SENSOR']);
  if (env['SAKIMORI_LOG_LEVEL']) set('log.level', env['SAKIMORI_LOG_LEVEL']);
  if (env['SAKIMORI_HOST']) set('server.host', env['SAKIMORI_HOST']);
  if (env['SAKIMORI_PORT']) set('server.port', Number(env['SAKIMORI_PORT']));
  return out;
}

function renameKeys(j: Json): Json {
  const out = structuredClone(j);
  for (const [from, to] of Object.entries(RENAMED)) {
    const v = take(out, from.split('.'));
    if (v !== undefined) out[to.split('.')[0] ?? to] = deepMerge((out[to.split('.')[0] ?? to] as Json) ?? {}, nest(to.split('.').slice(1), v)) as never;
  }
  return out;
}

function nest(path: string[], v: unknown): Json | unknown {
  return path.reduceRight<unknown>((acc, k) => ({ [k]: acc }), v);
}

function take(o: Json, path: string[]): unknown {
  const [head, ...rest] = path;
  if (head === undefined || !(head in o)) return undefined;
  if (rest.length === 0) {
    const v = o[head];
    delete o[head];
    return v;
  }
  const next = o[head];
  return isObject(next) ? take(next, rest) : undefined;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepMerge(a: Json, b: Json | unknown): Json {
  if (!isObject(b)) return a;
  const out: Json = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (v === undefined) continue;
    const cur = out[k];
    out[k] = isObject(cur) && isObject(v) ? deepMerge(cur, v) : v;
  }
  return out;
}
