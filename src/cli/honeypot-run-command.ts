/**
 * `sakimori honeypot run --telnet ADDR:PORT [--http ADDR:PORT]`: our own IoT honeypot sensor in
 * the foreground until SIGINT/SIGTERM; `honeypot ship`: deliver a spool once (a sensor run with
 * --no-ship, or one whose delivery failed).
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { configFrom, fmtInt } from './common.js';
import { SakimoriError } from '../errors.js';
import { DEFAULT_REJECT_VALID_FRACTION } from '../honeypot/sensor/valid-login-rejection.js';
import { DEFAULT_STORES_EVERY_MS, sensorRounds, serverTarget } from './sensor-delivery.js';
import { viaStoresOrServer } from './with-context.js';

interface RunOptions {
  telnet: string; http?: string; name?: string; credentials?: string; spool?: string; ship: boolean; hostname?: string;
  maxSessions?: string; perAddress?: string; idle?: string; lineTimeout?: string; lifetime?: string; storesEvery?: string; rejectValid: string;
}

const positive = (v: string | undefined, option: string, scale = 1): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new SakimoriError('CONFIG_INVALID', `${option}: expected a positive number, got ${JSON.stringify(v)}`, { field: option });
  return Math.round(n * scale);
};

const fraction = (v: string, option: string): number => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new SakimoriError('CONFIG_INVALID', `${option}: expected a fraction from 0 to 1, got ${JSON.stringify(v)}`, { field: option });
  return n;
};

export function spoolOf(dataDir: string, name: string): string {
  return join(dataDir, 'honeypot-spool', name.replace(/[^A-Za-z0-9._-]/g, '_'));
}

export function registerHoneypotRun(honeypot: Command): void {
  honeypot
    .command('run')
    .description('run our own IoT honeypot: telnet that looks like a BusyBox device and, with --http, the exploit paths IoT botnets use; it records, never runs, fetches or connects')
    .requiredOption('--telnet <address>', 'telnet ADDRESS:PORT to listen on (IPv6 in brackets), e.g. 0.0.0.0:23')
    .option('--http <address>', 'HTTP ADDRESS:PORT to listen on, e.g. 0.0.0.0:80')
    .option('--name <sensor>', 'the sensor name in its events (default: the configured sensor)')
    .option('--credentials <file>', 'user:password pairs the login accepts, one a line (default: the Mirai dictionary)')
    .option('--spool <dir>', 'journal directory (default: DATA_DIR/honeypot-spool/NAME)')
    .option('--no-ship', 'only journal: deliver later with `sakimori honeypot ship` (the sensor never loads the stores)')
    .option('--stores-every <seconds>', 'with no server running, open the stores, deliver and close them this often (default 10); other commands may use them in between')
    .option('--hostname <name>', 'the device name in the banner and prompt', 'router')
    .option('--max-sessions <n>', 'connections at once (default 20000)')
    .option('--per-address <n>', 'connections at once from one address (default 32)')
    .option('--idle <seconds>', 'close a session silent this long (default 60)')
    .option('--line-timeout <seconds>', 'a line must be complete this long after its prompt (default 30)')
    .option('--lifetime <seconds>', 'longest session (default 600)')
    .option('--reject-valid <fraction>', 'share of client addresses whose first valid login is answered "Login incorrect" (recorded as a failed login; their next valid one gets in), 0 to 1', String(DEFAULT_REJECT_VALID_FRACTION))
    .action(async (opts: RunOptions, cmd: Command) => {
      const config = configFrom(cmd);
      const { parseListenAddress } = await import('../honeypot/sensor/listen-address.js');
      const { loadCredentials } = await import('../honeypot/sensor/credentials.js');
      const { startSensor } = await import('../honeypot/sensor/sensor.js');
      const name = opts.name ?? config.sensor;
      const spool = opts.spool ?? spoolOf(config.dataDir, name);
      const rounds = opts.ship ? sensorRounds(config, positive(opts.storesEvery, '--stores-every', 1000) ?? DEFAULT_STORES_EVERY_MS) : undefined;
      const limits = {
        ...(opts.maxSessions ? { maxSessions: positive(opts.maxSessions, '--max-sessions') } : {}),
        ...(opts.perAddress ? { perAddress: positive(opts.perAddress, '--per-address') } : {}),
        ...(opts.idle ? { idleMs: positive(opts.idle, '--idle', 1000) } : {}),
        ...(opts.lineTimeout ? { lineMs: positive(opts.lineTimeout, '--line-timeout', 1000) } : {}),
        ...(opts.lifetime ? { lifetimeMs: positive(opts.lifetime, '--lifetime', 1000) } : {}),
      } as Record<string, number>;
      let lastShipError = '';
      const sensor = await startSensor({
        telnet: parseListenAddress(opts.telnet, '--telnet'),
        ...(opts.http ? { http: parseListenAddress(opts.http, '--http') } : {}),
        name, spool, hostname: opts.hostname ?? 'router', limits,
        ...(opts.credentials ? { credentials: await loadCredentials(opts.credentials) } : {}),
        rejectValid: { fraction: fraction(opts.rejectValid, '--reject-valid') },
        ...(rounds ? { ship: rounds } : {}),
        onShipError: (e) => {
          // Once per distinct failure: a long command holding the stores fails every round alike.
          const m = e instanceof Error ? e.message : String(e);
          if (m !== lastShipError) process.stderr.write(`delivery failed, the journal keeps the events: ${m}\n`);
          lastShipError = m;
        },
        onStateProblem: (p) => process.stderr.write(`shipper state: ${p}\n`),
      });
      // One line a listener, machine-readable: tests and scripts read the ports from it.
      process.stdout.write(`${JSON.stringify({ telnet: sensor.telnetPort, ...(sensor.httpPort !== undefined ? { http: sensor.httpPort } : {}), spool, pid: process.pid })}\n`);
      const report = setInterval(() => {
        const t = sensor.telnet.counters;
        process.stderr.write(`${fmtInt(sensor.telnet.open())} open, ${fmtInt(t.sessions)} sessions, ${fmtInt(t.logins)} logins (${fmtInt(t.loginsValidRefused)} valid refused), ${fmtInt(t.commands)} commands, ${fmtInt(sensor.journal.events)} journaled, ${fmtInt(sensor.shipped.events)} delivered\n`);
      }, 60_000);
      report.unref();
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      clearInterval(report);
      await sensor.stop();
      process.stderr.write(`stopped: ${fmtInt(sensor.telnet.counters.sessions)} sessions, ${fmtInt(sensor.journal.events)} events journaled, ${fmtInt(sensor.shipped.events)} delivered\n`);
    });

  honeypot
    .command('ship')
    .description('deliver a sensor spool to the stores (or the running server) once, exactly once per journal range')
    .option('--spool <dir>', 'journal directory (default: DATA_DIR/honeypot-spool/NAME)')
    .option('--name <sensor>', 'the sensor whose default spool to ship (default: the configured sensor)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { spool?: string; name?: string; json?: boolean }, cmd: Command) => {
      const config = configFrom(cmd);
      const { shipSpool } = await import('../honeypot/sensor/journal-shipper.js');
      const { spoolHolder } = await import('../honeypot/sensor/journal.js');
      const { storesTarget } = await import('../honeypot/sensor/store-chunk.js');
      const spool = opts.spool ?? spoolOf(config.dataDir, opts.name ?? config.sensor);
      const holder = spoolHolder(spool);
      if (holder) throw new SakimoriError('STORE_LOCKED', `sensor process ${holder} is running on this spool and delivers it itself`, { dir: spool });
      const r = await viaStoresOrServer(config,
        (ctx) => shipSpool(spool, storesTarget(ctx)),
        (url) => shipSpool(spool, serverTarget(url)));
      for (const p of r.stateProblems) process.stderr.write(`shipper state: ${p}\n`);
      if (opts.json) process.stdout.write(`${JSON.stringify(r)}\n`);
      else process.stdout.write(`${fmtInt(r.events)} events in ${fmtInt(r.chunks)} chunks delivered, ${fmtInt(r.skipped)} lines skipped${r.firstProblem ? ` (first: ${r.firstProblem})` : ''}, ${fmtInt(r.tornBytes)} torn bytes\n`);
    });
}
