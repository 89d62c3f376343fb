/**
 * Our own honeypot sensor under 10,000 concurrent telnet sessions. The sensor is a child process
 * (`sakimori honeypot run --no-ship`: it journals only, so no chDB is loaded in it); this process
 * is the loopback load generator. It opens the sessions (each negotiates nothing, logs in with a
 * Mirai pair and waits for the shell prompt), holds them all, then has each type commands at a
 * steady overall rate and times every prompt from the command's last byte sent to the prompt's
 * arrival. RSS is the sensor's VmRSS and VmHWM (peak) from /proc/PID/status, read while all
 * sessions are held. One JSON line per phase:
 *
 *   npx tsx bench/honeypot-sensor.ts [--sessions 10000] [--rate 1000] [--seconds 20] [--ramp 200] [--profile DIR]
 *
 * Target (issue 18): 10,000 sessions with RSS ≤ 1 GiB, each prompt within 50 ms at that load.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../src/util/package-root.js';
import { argValue, emit } from './lib.js';

const sessions = Number(argValue('sessions', '10000'));
const rate = Number(argValue('rate', '1000'));
const seconds = Number(argValue('seconds', '20'));
const ramp = Number(argValue('ramp', '200'));

function status(pid: number): { rssMiB: number; peakRssMiB: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string): number => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0);
  return { rssMiB: Math.round(kb('VmRSS') / 1024), peakRssMiB: Math.round(kb('VmHWM') / 1024) };
}

/** A lean session: waits for a text at the end of what arrived, nothing more is kept. */
class Session {
  private tail = '';
  private want: { text: string; resolve: () => void } | undefined;
  constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (b: Buffer) => {
      this.tail = (this.tail + b.toString('latin1')).slice(-64);
      const w = this.want;
      if (w && this.tail.includes(w.text)) { this.want = undefined; this.tail = ''; w.resolve(); }
    });
    socket.on('error', () => undefined);
  }
  until(text: string): Promise<void> {
    if (this.tail.includes(text)) { this.tail = ''; return Promise.resolve(); }
    return new Promise((resolve) => { this.want = { text, resolve }; });
  }
  send(text: string): void { this.socket.write(text); }
}

function open(port: number): Promise<Session> {
  return new Promise((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1' }, () => { s.off('error', reject); resolve(new Session(s)); });
    s.once('error', reject);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number : 0;
}

const spool = await mkdtemp(join(tmpdir(), 'sakimori-bench-sensor-'));
const root = packageRoot();
// --profile DIR: the sensor writes a V8 CPU profile there when it stops (where a ramp's time goes).
const profile = argValue('profile', '');
const sensor = spawn(process.execPath, [...(profile ? ['--cpu-prof', '--cpu-prof-dir', profile] : []), '--import', 'tsx', join(root, 'src', 'cli', 'main.ts'), 'honeypot', 'run', '--telnet', '127.0.0.1:0', '--no-ship',
  '--spool', spool, '--data', join(spool, 'data'), '--name', 'bench', '--max-sessions', String(sessions + 100), '--per-address', String(sessions + 100),
  '--idle', '3600', '--line-timeout', '3600', '--lifetime', '7200', '--reject-valid', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise<number>((resolve, reject) => {
  let out = '';
  sensor.stdout?.on('data', (d: Buffer) => { out += d.toString(); const nl = out.indexOf('\n'); if (nl >= 0) resolve((JSON.parse(out.slice(0, nl)) as { telnet: number }).telnet); });
  sensor.once('exit', (c) => reject(new Error(`sensor exited ${c}`)));
});
const pid = sensor.pid as number;
emit({ bench: 'honeypot-sensor-idle', ...status(pid), loadavg: loadavg().map((l) => Number(l.toFixed(2))) });

// Ramp: `ramp` logins in flight at a time.
const held: Session[] = [];
const loginMs: number[] = [];
const t0 = Date.now();
let next = 0;
await Promise.all(Array.from({ length: ramp }, async () => {
  while (next < sessions) {
    next++;
    const s = await open(port);
    await s.until('login: ');
    let t = performance.now();
    s.send('root\r\n');
    await s.until('Password: ');
    loginMs.push(performance.now() - t);
    t = performance.now();
    s.send('xc3511\r\n');
    await s.until('# ');
    loginMs.push(performance.now() - t);
    held.push(s);
  }
}));
loginMs.sort((a, b) => a - b);
emit({
  bench: 'honeypot-sensor-ramp', sessions: held.length, seconds: (Date.now() - t0) / 1000,
  promptP50Ms: +percentile(loginMs, 50).toFixed(2), promptP99Ms: +percentile(loginMs, 99).toFixed(2), promptMaxMs: +(loginMs[loginMs.length - 1] ?? 0).toFixed(2),
  ...status(pid), loadavg: loadavg().map((l) => Number(l.toFixed(2))),
});

// Steady load with every session held: `rate` commands/s spread over the sessions, each timed.
const latencies: number[] = [];
const end = Date.now() + seconds * 1000;
const busy = new Set<number>();
let k = 0;
let skipped = 0;
let rssDuring = status(pid);
await new Promise<void>((resolve) => {
  const tick = setInterval(() => {
    if (Date.now() >= end) { clearInterval(tick); resolve(); return; }
    for (let n = 0; n < rate / 100; n++) {
      const i = k++ % held.length;
      if (busy.has(i)) { skipped++; continue; }
      busy.add(i);
      const s = held[i] as Session;
      const t = performance.now();
      s.send(i % 3 === 0 ? 'cat /proc/mounts\r\n' : i % 3 === 1 ? '/bin/busybox ECCHI\r\n' : 'uname -a\r\n');
      void s.until('# ').then(() => { latencies.push(performance.now() - t); busy.delete(i); });
    }
  }, 10);
});
rssDuring = status(pid);
await new Promise((r) => setTimeout(r, 500));
latencies.sort((a, b) => a - b);
emit({
  bench: 'honeypot-sensor', sessions: held.length, commands: latencies.length, ratePerSecond: rate, seconds, skippedBusy: skipped,
  promptP50Ms: +percentile(latencies, 50).toFixed(2), promptP99Ms: +percentile(latencies, 99).toFixed(2), promptMaxMs: +(latencies[latencies.length - 1] ?? 0).toFixed(2),
  within50Ms: latencies.filter((l) => l <= 50).length / Math.max(1, latencies.length),
  ...rssDuring, rssTargetMiB: 1024, loadavg: loadavg().map((l) => Number(l.toFixed(2))),
});

for (const s of held) s.socket.destroy();
sensor.kill('SIGTERM');
await new Promise((r) => sensor.once('exit', r));
await rm(spool, { recursive: true, force: true });
