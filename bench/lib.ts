import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { packageRoot } from '../src/util/package-root.js';

/** Prints one benchmark result as a JSON line. */
export function emit(record: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(record)}\n`);
}

export const CLI = join(packageRoot(), 'dist', 'src', 'cli', 'main.js');

export function argValue(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

export interface RunResult {
  code: number;
  seconds: number;
  peakRssBytes: number;
  stdout: string;
  stderr: string;
  /** User + system CPU seconds of the command and its threads and children (with `cpu`, from /usr/bin/time). */
  coreSeconds?: number;
}

const TIME = '/usr/bin/time';

/**
 * Runs a command and samples its peak resident set (VmHWM, which only grows) while it runs; with
 * `cpu`, under /usr/bin/time for the CPU seconds it used on all cores.
 */
export function runMeasured(cmd: string, args: string[], opts: { stdoutTo?: 'ignore' | 'pipe'; env?: NodeJS.ProcessEnv; cpu?: boolean } = {}): Promise<RunResult> {
  if (opts.cpu && existsSync(TIME)) {
    const out = join(mkdtempSync(join(tmpdir(), 'bench-time-')), 'time');
    // The peak resident set then comes from time too (%M, KiB): sampling would see time's own.
    return runMeasured(TIME, ['-f', '%U %S %M', '-o', out, cmd, ...args], { ...opts, cpu: false }).then((r) => {
      const [user, sys, maxKiB] = readFileSync(out, 'utf8').trim().split(/\s+/).slice(-3).map(Number);
      rmSync(dirname(out), { recursive: true, force: true });
      return { ...r, coreSeconds: (user ?? 0) + (sys ?? 0), peakRssBytes: (maxKiB ?? 0) * 1024 };
    });
  }
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child: ChildProcess = spawn(cmd, args, { stdio: ['ignore', opts.stdoutTo ?? 'pipe', 'pipe'], env: opts.env ?? process.env });
    let peak = 0;
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
    const timer = setInterval(() => { peak = Math.max(peak, hwm(child.pid)); }, 100);
    child.on('error', (e) => { clearInterval(timer); reject(e); });
    child.on('exit', (code) => {
      clearInterval(timer);
      resolve({ code: code ?? -1, seconds: Number(process.hrtime.bigint() - started) / 1e9, peakRssBytes: peak, stdout: out, stderr: err });
    });
  });
}

function hwm(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export function which(bin: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(':')) {
    const p = join(dir, bin);
    if (existsSync(p)) return p;
  }
  return undefined;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Starts `sakimori serve` on a data directory (any free port) and waits for the URL it prints. */
export function startServe(data: string): { server: ChildProcess; base: Promise<string> } {
  const server = spawn(process.execPath, [CLI, 'serve', '--data', data, '--port', '0', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const base = new Promise<string>((res, rej) => {
    let buf = '';
    server.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /http:\/\/[^\s]+\//.exec(buf);
      if (m) res(m[0]);
    });
    server.on('exit', () => rej(new Error('server exited')));
  });
  return { server, base };
}
