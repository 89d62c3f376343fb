import { setPath, type Json } from './json-tree.js';

/**
 * The environment variables that set configuration keys. One table, so that loading them and
 * naming the variable in an error ("server.port … (env=SAKIMORI_PORT)") cannot disagree.
 */
export const ENV_VARIABLES: readonly { name: string; key: string; parse?: (text: string) => unknown }[] = [
  { name: 'SAKIMORI_DATA', key: 'dataDir' },
  { name: 'SAKIMORI_CLICKHOUSE_URL', key: 'clickhouseUrl' },
  { name: 'SAKIMORI_POSTGRES_URL', key: 'postgresUrl' },
  { name: 'SAKIMORI_SENSOR', key: 'sensor' },
  { name: 'SAKIMORI_LOG_LEVEL', key: 'log.level' },
  { name: 'SAKIMORI_HOST', key: 'server.host' },
  { name: 'SAKIMORI_PORT', key: 'server.port', parse: Number },
];

/** The configuration layer of the environment; an empty variable counts as unset. */
export function fromEnv(env: NodeJS.ProcessEnv): Json {
  const out: Json = {};
  for (const { name, key, parse } of ENV_VARIABLES) {
    const text = env[name];
    if (text) setPath(out, key, parse ? parse(text) : text);
  }
  return out;
}

/** The variable that sets a dotted key, if any. */
export function envVariableFor(key: string): string | undefined {
  return ENV_VARIABLES.find((v) => v.key === key)?.name;
}
