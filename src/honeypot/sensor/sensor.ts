/**
 * Our own IoT honeypot sensor (docs/honeypot.md, "Our own sensor"): telnet and, when asked, HTTP
 * listeners whose events go to the journal, and a shipper that delivers the journal every second
 * when given somewhere to deliver (the stores, or a running server). On start it first delivers
 * what a killed predecessor left in the spool.
 */
import { ConnectionGate } from './connection-gate.js';
import { credentialSet, MIRAI_CREDENTIALS } from './credentials.js';
import { startHttp, type HttpListener } from './http-server.js';
import { Journal, type JournalCounters } from './journal.js';
import { shipSpool, type ShipResult, type ShipRound } from './journal-shipper.js';
import type { ListenAddress } from './listen-address.js';
import { DEFAULT_SENSOR_LIMITS, type SensorLimits } from './sensor-limits.js';
import { startTelnet, type TelnetListener } from './telnet-server.js';
import { FirstValidLogins, type ValidLoginRejection } from './valid-login-rejection.js';

export interface SensorOptions {
  readonly telnet: ListenAddress;
  readonly http?: ListenAddress;
  readonly name: string;
  readonly spool: string;
  readonly credentials?: readonly (readonly [string, string])[];
  /** The first valid login from an address refused for this share of addresses (default none: every valid login gets in). */
  readonly rejectValid?: ValidLoginRejection;
  readonly hostname?: string;
  readonly limits?: Partial<SensorLimits>;
  /**
   * Where the journal goes, a round at a time; none: it stays in the spool for `sakimori honeypot
   * ship`. A round is run every `shipMs` when the journal has grown (and at start and stop).
   */
  readonly ship?: ShipRound;
  readonly shipMs?: number;
  readonly journal?: { flushMs?: number; syncMs?: number; maxBytes?: number };
  readonly onShipError?: (e: unknown) => void;
  /** A shipper state file found corrupt or stale (rebuilt from the store): which file, what was wrong. */
  readonly onStateProblem?: (problem: string) => void;
}

export interface ShipTotals { rounds: number; chunks: number; events: number; skipped: number; tornBytes: number; errors: number; stateProblems: number }

export interface Sensor {
  readonly telnetPort: number;
  readonly httpPort?: number;
  readonly telnet: TelnetListener;
  readonly http?: HttpListener;
  readonly journal: JournalCounters;
  readonly shipped: ShipTotals;
  readonly refused: () => number;
  /** Delivers what is written now (tests, and the last delivery at stop). */
  ship(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSensor(opts: SensorOptions): Promise<Sensor> {
  const limits: SensorLimits = { ...DEFAULT_SENSOR_LIMITS, ...opts.limits };
  const journal = new Journal({ dir: opts.spool, ...opts.journal });
  const sink = (row: Parameters<Journal['append']>[0]): void => journal.append(row);
  const gate = new ConnectionGate(limits.maxSessions, limits.perAddress);
  const shipped: ShipTotals = { rounds: 0, chunks: 0, events: 0, skipped: 0, tornBytes: 0, errors: 0, stateProblems: 0 };
  let shipping: Promise<void> | undefined;
  // Journal bytes written when the last round that succeeded began: a round with nothing new is
  // skipped (with no server, a round opens the stores). Unknown until the first round succeeds.
  let shippedBytes = -1;
  const shipOnce = (live: string | undefined, always: boolean): Promise<void> => {
    const round = opts.ship;
    if (!round) return Promise.resolve();
    if (shipping) return shipping;
    const bytes = journal.counters.bytes;
    if (!always && bytes === shippedBytes) return Promise.resolve();
    shipping = round((target) => shipSpool(opts.spool, target, live ? { live } : {}), always).then((r: ShipResult | undefined) => {
      if (!r) return; // the round let this one pass
      shippedBytes = bytes;
      shipped.rounds++;
      shipped.chunks += r.chunks; shipped.events += r.events; shipped.skipped += r.skipped; shipped.tornBytes += r.tornBytes;
      shipped.stateProblems += r.stateProblems.length;
      for (const p of r.stateProblems) opts.onStateProblem?.(p);
    }, (e: unknown) => { shippedBytes = -1; shipped.errors++; opts.onShipError?.(e); }).finally(() => { shipping = undefined; });
    return shipping;
  };
  let telnet: TelnetListener | undefined;
  let http: HttpListener | undefined;
  try {
    telnet = await startTelnet(opts.telnet, gate, sink, opts.name, {
      limits, credentials: credentialSet(opts.credentials ?? MIRAI_CREDENTIALS), hostname: opts.hostname ?? 'router',
      ...(opts.rejectValid && opts.rejectValid.fraction > 0 ? { firstValid: new FirstValidLogins(opts.rejectValid) } : {}),
    });
    if (opts.http) http = await startHttp(opts.http, gate, sink, opts.name, limits);
  } catch (e) {
    await telnet?.stop();
    journal.close();
    throw e;
  }
  void shipOnce(journal.current, true); // what a predecessor left
  const timer = setInterval(() => { journal.flush(); void shipOnce(journal.current, false); }, opts.shipMs ?? 1000);
  timer.unref();
  const t = telnet;
  return {
    telnetPort: t.port,
    ...(http ? { httpPort: http.port, http } : {}),
    telnet: t,
    journal: journal.counters,
    shipped,
    refused: () => gate.refused,
    async ship() {
      journal.flush();
      await shipping;
      await shipOnce(journal.current, true);
    },
    async stop() {
      clearInterval(timer);
      await Promise.all([t.stop(), http?.stop()]);
      journal.close();
      await shipping;
      await shipOnce(undefined, true);
    },
  };
}
