import { readFileSync, existsSync } from 'node:fs';
import { SakimoriError } from '../errors.js';
import { configSchema, type Config } from './schema.js';
import { envVariableFor, fromEnv } from './env.js';
import { deepMerge, isObject, suppliesPath, type Json } from './json-tree.js';
import { upgradeKeys } from './renamed-keys.js';

/** One source of settings and how an error about a value it supplied says where to look. */
interface Layer {
  values: Json;
  where: (key: string) => Record<string, string>;
}

/**
 * Configuration from, in rising order of precedence: defaults, a JSON file (`--config`, else
 * SAKIMORI_CONFIG, else `sakimori.json` in the working directory), environment variables
 * (SAKIMORI_*, env.ts), and flags. Old key names in the file are warned about (renamed-keys.ts).
 */
export function loadConfig(
  opts: { file?: string; env?: NodeJS.ProcessEnv; flags?: Json; warn?: (message: string) => void } = {},
): Config {
  const env = opts.env ?? process.env;
  const warn = opts.warn ?? ((m: string) => void process.stderr.write(`warning: ${m}\n`));
  const file = opts.file ?? env['SAKIMORI_CONFIG'] ?? (existsSync('sakimori.json') ? 'sakimori.json' : undefined);
  const layers: Layer[] = [];
  if (file) layers.push({ values: upgradeKeys(readJson(file), file, warn), where: () => ({ file }) });
  layers.push({ values: fromEnv(env), where: (key) => ({ env: envVariableFor(key) ?? 'SAKIMORI_*' }) });
  if (opts.flags) layers.push({ values: opts.flags, where: () => ({ source: 'command line' }) });
  const merged = layers.reduce<Json>((acc, l) => deepMerge(acc, l.values), {});
  const parsed = configSchema.safeParse(merged);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path ?? [];
  const key = path.map(String).join('.');
  // The error names the layer that supplied the bad value: the highest one that set it.
  const culprit = [...layers].reverse().find((l) => suppliesPath(l.values, path));
  throw new SakimoriError('CONFIG_INVALID', `${key}: ${issue?.message ?? 'invalid'}`, culprit?.where(key) ?? {});
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
