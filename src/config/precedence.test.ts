/** Defaults < file < environment < flags, with real files on disk; and how the CLI's flags get there. */
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configFrom } from '../cli/common.js';
import { ENV_VARIABLES } from './env.js';
import { loadConfig } from './load.js';
import { TempConfigDir } from './testing/temp-config.js';

describe('configuration precedence', () => {
  let tmp: TempConfigDir;
  beforeEach(() => void (tmp = new TempConfigDir()));
  afterEach(() => tmp.remove());

  const fileValues = { dataDir: '/from/file', sensor: 'file', log: { level: 'warn' }, server: { host: '10.0.0.1', port: 1001 } };
  const envValues = { SAKIMORI_DATA: '/from/env', SAKIMORI_SENSOR: 'env', SAKIMORI_LOG_LEVEL: 'error', SAKIMORI_HOST: '10.0.0.2', SAKIMORI_PORT: '1002' };
  const flagValues = { dataDir: '/from/flags', sensor: 'flags', log: { level: 'debug' }, server: { host: '10.0.0.3', port: 1003 } };
  const picked = (c: ReturnType<typeof loadConfig>): unknown => ({ dataDir: c.dataDir, sensor: c.sensor, log: c.log, server: c.server });

  it('takes the file over the defaults', () => {
    expect(picked(loadConfig({ file: tmp.write(fileValues), env: {} }))).toEqual(fileValues);
  });

  it('takes the environment over the file', () => {
    const c = loadConfig({ file: tmp.write(fileValues), env: envValues });
    expect(picked(c)).toEqual({ dataDir: '/from/env', sensor: 'env', log: { level: 'error' }, server: { host: '10.0.0.2', port: 1002 } });
  });

  it('takes flags over the environment and the file', () => {
    expect(picked(loadConfig({ file: tmp.write(fileValues), env: envValues, flags: flagValues }))).toEqual(flagValues);
  });

  it('overrides one key without losing its siblings from lower layers', () => {
    const c = loadConfig({ file: tmp.write({ server: { host: '10.0.0.1', port: 1001 } }), env: { SAKIMORI_PORT: '1002' }, flags: { log: { level: 'debug' } } });
    expect(c.server).toEqual({ host: '10.0.0.1', port: 1002 });
    expect(c.log.level).toBe('debug');
  });

  it('reads every documented environment variable over the file', () => {
    const urls = { clickhouseUrl: 'http://file:8123', postgresUrl: 'postgres://file/db' };
    const env = { SAKIMORI_CLICKHOUSE_URL: 'http://env:8123', SAKIMORI_POSTGRES_URL: 'postgres://env/db' };
    const c = loadConfig({ file: tmp.write(urls), env });
    expect([c.clickhouseUrl, c.postgresUrl]).toEqual(['http://env:8123', 'postgres://env/db']);
    expect(ENV_VARIABLES.map((v) => v.name).sort()).toEqual([...Object.keys(env), ...Object.keys(envValues)].sort());
  });

  it('treats an empty environment variable as unset', () => {
    expect(loadConfig({ file: tmp.write(fileValues), env: { SAKIMORI_DATA: '', SAKIMORI_PORT: '' } }).server.port).toBe(1001);
  });

  it('finds the file: --config over SAKIMORI_CONFIG over ./sakimori.json', () => {
    tmp.write({ sensor: 'cwd' }, 'sakimori.json');
    const fromEnvVar = tmp.write({ sensor: 'env-named' }, 'env-named.json');
    const fromFlag = tmp.write({ sensor: 'flag-named' }, 'flag-named.json');
    tmp.inside(() => {
      expect(loadConfig({ env: {} }).sensor).toBe('cwd');
      expect(loadConfig({ env: { SAKIMORI_CONFIG: fromEnvVar } }).sensor).toBe('env-named');
      expect(loadConfig({ file: fromFlag, env: { SAKIMORI_CONFIG: fromEnvVar } }).sensor).toBe('flag-named');
    });
  });

  describe('through the CLI (configFrom: global flags, then command flags)', () => {
    // The global options as src/cli/main.ts declares them (importing main.ts would run the CLI).
    function run(args: string[], commandFlags: (opts: { port?: number }) => Record<string, unknown>): ReturnType<typeof loadConfig> {
      let config: ReturnType<typeof loadConfig> | undefined;
      const program = new Command().exitOverride()
        .option('--data <dir>').option('--config <file>').option('--clickhouse-url <url>').option('--postgres-url <url>').option('--log-level <level>');
      program.command('serve').option('--port <port>', '', (v) => Number(v))
        .action((opts: { port?: number }, cmd: Command) => void (config = configFrom(cmd, commandFlags(opts))));
      program.parse(args, { from: 'user' });
      if (!config) throw new Error('the command did not run');
      return config;
    }

    it('puts --config, --data, --log-level and a command flag over the file and the environment', () => {
      const file = tmp.write(fileValues);
      const saved = { ...process.env };
      // configFrom reads process.env (the CLI has no other); restored below.
      Object.assign(process.env, envValues);
      try {
        const c = run(['--config', file, '--data', '/from/flags', '--log-level', 'debug', 'serve', '--port', '1003'], (o) => ({ server: { port: o.port } }));
        expect(picked(c)).toEqual({ dataDir: '/from/flags', sensor: 'env', log: { level: 'debug' }, server: { host: '10.0.0.2', port: 1003 } });
        const noFlags = run(['--config', file, 'serve'], () => ({}));
        expect(picked(noFlags)).toEqual({ dataDir: '/from/env', sensor: 'env', log: { level: 'error' }, server: { host: '10.0.0.2', port: 1002 } });
      } finally {
        for (const k of Object.keys(envValues)) if (!(k in saved)) delete process.env[k];
        Object.assign(process.env, saved);
      }
    });
  });
});
