/**
 * The contract between the survey runner and the L7 modules (telnet, ssh, http, tls, ftp, mqtt,
 * redis, rtsp, …). A module never opens a socket itself: it asks the context, which enforces the
 * scope (the target must be inside the authorised scope and outside the exclusions), the rate
 * limits, and writes the audit record — lawful probing is enforced in one place.
 */
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { ServiceFinding } from '../schema/service-observation.js';

export interface ProbeTarget {
  /** IPv4 dotted quad or IPv6 text. */
  readonly ip: string;
  readonly port: number;
  readonly transport: 'tcp' | 'udp';
}

export interface ConnectOptions {
  /** Wrap the connection in TLS (certificates are not verified: a survey records them). */
  readonly tls?: boolean;
  /** SNI for TLS; omitted for IP targets. */
  readonly servername?: string;
  /** ALPN protocols to offer. */
  readonly alpn?: readonly string[];
  /** Set when the connection is used to try credentials: recorded in the audit log. */
  readonly credentialListId?: string;
}

/** One default ID/password pair: the id is what gets recorded, never the password. */
export interface CredentialEntry {
  readonly id: string;
  readonly username: string;
  readonly password: string;
}

export interface CredentialList {
  readonly id: string;
  readonly entries: readonly CredentialEntry[];
}

export interface ProbeContext {
  /**
   * Opens a TCP (or TLS) connection through the scope guard, the rate limiters and the audit
   * log. Rejects with SCOPE_DENIED before any packet when the target is not allowed; rejects on
   * timeout (connectTimeoutMs) or refusal.
   */
  connect(target: ProbeTarget, module: string, opts?: ConnectOptions): Promise<Socket | TLSSocket>;
  /** Milliseconds for a connection to open. */
  readonly connectTimeoutMs: number;
  /** Milliseconds to wait for each expected reply (banner, response). */
  readonly readTimeoutMs: number;
  /** Present only when the scope enables credential checks. */
  readonly credentials?: CredentialList;
  /** At most this many credential attempts per host and service (stop at the first success). */
  readonly maxCredentialAttempts: number;
  /** Aborted when the survey is stopped: modules end promptly. */
  readonly signal: AbortSignal;
}

/**
 * What a module reports: the finding (identity + the fields it filled, see ServiceRow), plus
 * `identified: false` when the bytes did not look like its protocol at all (the runner then
 * tries the next likely protocol on an unexpected port, as LZR does).
 */
export interface ModuleResult {
  readonly finding: ServiceFinding;
  readonly identified: boolean;
}

export interface L7Module {
  /** Service name written to `service` (telnet, ssh, http, https, tls, ftp, mqtt, redis, rtsp). */
  readonly name: string;
  /** Ports where this protocol is expected first. */
  readonly defaultPorts: readonly number[];
  /**
   * Probes one open port. Never throws for what the peer does (garbage, silence, reset):
   * it returns a finding with `status`/`error` set instead. Reads are bounded (at most 64 KiB
   * kept per connection) and every wait has a timeout.
   */
  probe(target: ProbeTarget, ctx: ProbeContext): Promise<ModuleResult>;
}
