/**
 * Starts a throw-away PostgreSQL server from Debian's `postgresql` package for the server suite:
 * `initdb` + `pg_ctl` from the newest `/usr/lib/postgresql/<version>/bin`, in a temporary
 * directory, listening on a free port on 127.0.0.1 and on a unix socket in that directory,
 * trust authentication, durability off (it is deleted afterwards). As root the binaries run as
 * the `postgres` user (`runuser -u postgres --`), which owns the directory; PostgreSQL refuses
 * to run as root.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface PgServer {
  /** URL of the `postgres` database as the `postgres` superuser over TCP. */
  readonly url: string;
  readonly port: number;
  /** Directory of the unix socket (`postgres://postgres@/db?host=<socketDir>&port=<port>`). */
  readonly socketDir: string;
  readonly version: string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

export const INSTALL_HINT =
  'PostgreSQL binaries not found under /usr/lib/postgresql/*/bin (initdb, pg_ctl): run `apt-get install -y postgresql` ' +
  '(CI installs it; set PG_BIN=/path/to/bin to use another build)';

/** The bin directory of the newest installed PostgreSQL, or undefined. */
export function findPgBin(): string | undefined {
  const forced = process.env.PG_BIN;
  if (forced) return existsSync(join(forced, 'pg_ctl')) ? forced : undefined;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startPostgres(): Promise<PgServer> {
  const bin = findPgBin();
  if (!bin) throw new Error(INSTALL_HINT);
  const asRoot = process.getuid?.() === 0;
  const cmd = (tool: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];

  const dir = await mkdtemp(join(tmpdir(), 'sakimori-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    await chown(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const port = await freePort();

  const [initCmd, initArgs] = cmd('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
  try {
    await run(initCmd, initArgs, { cwd: dir });
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${(e as { stderr?: string }).stderr ?? String(e)}`);
  }
  const opts = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=50',
  ].join(' ');
  const [startCmd, startArgs] = cmd('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', '-o', opts, 'start']);
  const [stopCmd, stopArgs] = cmd('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
  try {
    await run(startCmd, startArgs, { cwd: dir });
  } catch (e) {
    const text = await readFile(log, 'utf8').catch(() => '');
    await rm(dir, { recursive: true, force: true });
    throw new Error(`pg_ctl start failed: ${(e as { stderr?: string }).stderr ?? String(e)}\n${text}`);
  }

  // If the test process ends without afterAll (crash, Ctrl-C), still stop the server.
  let stopped = false;
  const stopSync = (): void => {
    if (stopped) return;
    stopped = true;
    try {
      execFileSync(stopCmd, stopArgs, { stdio: 'ignore' });
    } catch {
      // already gone
    }
  };
  process.once('exit', stopSync);

  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const [{ server_version: version } = { server_version: '?' }] = (await admin.query<{ server_version: string }>('SHOW server_version')).rows;

  return {
    url,
    port,
    socketDir: dir,
    version,
    async createDatabase(name: string): Promise<string> {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
      await admin.query(`CREATE DATABASE ${name}`);
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop(): Promise<void> {
      await admin.end().catch(() => undefined);
      if (!stopped) {
        stopped = true;
        process.removeListener('exit', stopSync);
        await run(stopCmd, stopArgs).catch(() => undefined);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
