/** The sensor's bounds, with their defaults (docs/honeypot.md, "Our own sensor"). */
import { DEFAULT_SHELL_LIMITS, type ShellLimits } from './shell.js';

export interface SensorLimits extends ShellLimits {
  /** Telnet and HTTP connections held at once; more are closed at once (counted). */
  readonly maxSessions: number;
  /** Connections held at once from one client address. */
  readonly perAddress: number;
  /** A session with no byte from its client for this long is closed. */
  readonly idleMs: number;
  /** A line (login, password, command) must be complete this long after its prompt: one byte a second does not keep a session. */
  readonly lineMs: number;
  /** A session ends after this long, whatever it does. */
  readonly lifetimeMs: number;
  /** Longest line kept; the rest of a longer line is dropped and counted. */
  readonly maxLineBytes: number;
  /** Command lines per session; the session closes after the last. */
  readonly maxCommands: number;
  /** Login attempts per session. */
  readonly maxLogins: number;
  /** Output waiting for a client that does not read; beyond it the session is closed. */
  readonly maxBacklogBytes: number;
  /** HTTP: request header bytes, body bytes kept (the rest is counted), and the time to send a request. */
  readonly httpHeaderBytes: number;
  readonly httpBodyBytes: number;
  readonly httpRequestMs: number;
}

export const DEFAULT_SENSOR_LIMITS = {
  ...DEFAULT_SHELL_LIMITS,
  maxSessions: 20_000,
  perAddress: 32,
  idleMs: 60_000,
  lineMs: 30_000,
  lifetimeMs: 600_000,
  maxLineBytes: 16_384,
  maxCommands: 1_000,
  maxLogins: 5,
  maxBacklogBytes: 256 * 1024,
  httpHeaderBytes: 8_192,
  httpBodyBytes: 65_536,
  httpRequestMs: 10_000,
} as const satisfies SensorLimits;
