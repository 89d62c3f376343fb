import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/package-root.js';

/** The compiled CLI (browser suites need `npm run build` first). */
export const CLI = join(packageRoot(), 'dist', 'src', 'cli', 'main.js');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs the compiled CLI to completion (stdin text optional); rejects with its stderr when it fails. */
export function runCli(args: string[], stdin?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [CLI, ...args], { cwd: packageRoot(), stdio: [stdin === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'] });
    let err = '';
    c.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
    if (stdin !== undefined) c.stdin?.end(stdin);
    c.on('error', reject);
    c.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`sakimori ${args.join(' ')} exited with ${code}: ${err}`))));
  });
}

/**
 * `sakimori serve` (or `command`, e.g. `['demo', '--packets', '500000']`) on a free loopback port;
 * resolves with its base URL and one-time sign-in link once the API answers.
 */
export async function startServer(data: string, opts: { command?: readonly string[]; timeoutMs?: number } = {}): Promise<{ server: ChildProcess; base: string; signInLink: string }> {
  const [cmd, ...args] = opts.command ?? ['serve', '--log-level', 'warn'];
  const srv = spawn(process.execPath, [CLI, '--data', data, cmd ?? 'serve', ...args, '--port', '0', '--host', '127.0.0.1'], {
    cwd: packageRoot(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [base, signInLink] = await new Promise<[string, string]>((resolve, reject) => {
    let out = '';
    const limit = opts.timeoutMs ?? 120_000;
    const timer = setTimeout(() => reject(new Error(`${cmd} printed no URL and sign-in link within ${limit / 1000} s: ${out}`)), limit);
    srv.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      const link = /http:\/\/127\.0\.0\.1:\d+\/api\/v1\/auth\/link\?token=[\w-]+/.exec(out);
      if (m && link) { clearTimeout(timer); resolve([m[0], link[0]]); }
    });
    srv.on('error', (e) => { clearTimeout(timer); reject(e); });
    srv.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited with ${code} before listening: ${out}`)); });
  });
  for (let i = 0; ; i++) {
    const ok = await fetch(new URL('api/v1/status', base)).then((r) => r.ok, () => false);
    if (ok) break;
    if (i > 100) throw new Error(`${base}api/v1/status does not answer`);
    await sleep(200);
  }
  return { server: srv, base, signInLink };
}

/** SIGTERM, then SIGKILL after 10 s. */
export async function stopServer(srv: ChildProcess | undefined): Promise<void> {
  if (!srv || srv.exitCode !== null || srv.signalCode !== null) return;
  const exited = new Promise<void>((r) => srv.once('exit', () => r()));
  srv.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000)]);
  if (srv.exitCode === null && srv.signalCode === null) {
    srv.kill('SIGKILL');
    await exited;
  }
}
