/**
 * A ProbeContext for module tests: connects only to loopback addresses (anything else is refused
 * before a packet is sent), without the scope store or the audit log. The survey runner uses the
 * real context (probe/probe-context.ts) with scope guard, rate limits and audit.
 */
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { ConnectOptions, CredentialList, ProbeContext, ProbeTarget } from '../module.js';

export interface LoopbackContextOptions {
  credentials?: CredentialList;
  maxCredentialAttempts?: number;
  connectTimeoutMs?: number;
  readTimeoutMs?: number;
  /** Every connection made, for assertions (module, credential list). */
  log?: { target: ProbeTarget; module: string; credentialListId?: string }[];
}

function isLoopback(ip: string): boolean {
  return (isIP(ip) === 4 && ip.startsWith('127.')) || ip === '::1';
}

export function loopbackContext(opts: LoopbackContextOptions = {}): ProbeContext & { abort(): void } {
  const controller = new AbortController();
  const connectTimeoutMs = opts.connectTimeoutMs ?? 2000;
  return {
    connectTimeoutMs,
    readTimeoutMs: opts.readTimeoutMs ?? 2000,
    maxCredentialAttempts: opts.maxCredentialAttempts ?? 10,
    signal: controller.signal,
    abort: () => controller.abort(),
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    connect(target: ProbeTarget, module: string, co: ConnectOptions = {}): Promise<Socket | TLSSocket> {
      if (!isLoopback(target.ip)) return Promise.reject(new Error(`test context refuses non-loopback target ${target.ip}`));
      opts.log?.push({ target, module, ...(co.credentialListId ? { credentialListId: co.credentialListId } : {}) });
      return new Promise((resolve, reject) => {
        const s = co.tls
          ? tlsConnect({ host: target.ip, port: target.port, rejectUnauthorized: false, ...(co.servername ? { servername: co.servername } : {}), ...(co.alpn ? { ALPNProtocols: [...co.alpn] } : {}) })
          : netConnect({ host: target.ip, port: target.port });
        const timer = setTimeout(() => { s.destroy(); reject(new Error('connect timeout')); }, connectTimeoutMs);
        s.once(co.tls ? 'secureConnect' : 'connect', () => { clearTimeout(timer); resolve(s); });
        s.once('error', (e) => { clearTimeout(timer); reject(e); });
      });
    },
  };
}
