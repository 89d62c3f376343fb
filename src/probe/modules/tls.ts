/**
 * The TLS module, for TLS on ports that are not HTTP (IMAPS, POP3S, SMTPS, LDAPS, MQTT over TLS,
 * …): one handshake through the probe context, the negotiated version and cipher and the
 * certificate chain (../tls/capture.ts), then a short wait for what a server-first protocol says
 * inside the TLS session (the banner). Nothing is sent inside the session.
 *
 * A TLS alert in answer to our ClientHello still identifies TLS (the handshake was refused, e.g.
 * no shared version or a client certificate required); a reply that is not TLS at all does not.
 */
import type { TLSSocket } from 'node:tls';
import type { L7Module, ModuleResult, ProbeContext, ProbeTarget } from '../module.js';
import type { ServiceFinding } from '../../schema/service-observation.js';
import { bannerText } from '../identify/banner-text.js';
import { openConnection } from '../http/survey.js';
import { captureTls, tlsFindingParts } from '../tls/capture.js';

export const TLS_DEFAULT_PORTS: readonly number[] = [993, 995, 465, 636, 8883, 990, 992, 994, 5061, 6697, 853, 3269, 5223];
const BANNER_BYTES = 4096;

/** Waits for the server to speak first inside the session: up to waitMs, 150 ms after the first bytes. */
function innerBanner(sock: TLSSocket, waitMs: number, signal: AbortSignal): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let n = 0;
    let settle: ReturnType<typeof setTimeout> | undefined;
    const done = (): void => {
      clearTimeout(timer);
      clearTimeout(settle);
      signal.removeEventListener('abort', done);
      sock.removeAllListeners('data');
      sock.destroy();
      resolve(Buffer.concat(chunks, n).subarray(0, BANNER_BYTES));
    };
    const timer = setTimeout(done, waitMs);
    signal.addEventListener('abort', done, { once: true });
    sock.on('data', (d: Buffer) => {
      chunks.push(d);
      n += d.length;
      if (n >= BANNER_BYTES) { done(); return; }
      if (settle === undefined) settle = setTimeout(done, Math.min(150, waitMs));
    });
    sock.on('error', done);
    sock.on('close', done);
  });
}

export const tlsModule: L7Module = {
  name: 'tls',
  defaultPorts: TLS_DEFAULT_PORTS,
  async probe(target: ProbeTarget, ctx: ProbeContext): Promise<ModuleResult> {
    const base: ServiceFinding = { ip: target.ip, port: target.port, transport: target.transport };
    const c = await openConnection(target, ctx, 'tls', true);
    if (!('sock' in c)) {
      if (c.tlsAlert) {
        return { identified: true, finding: { ...base, service: 'tls', status: 'error', error: `tls: handshake refused by the server: ${c.error}` } };
      }
      return { identified: false, finding: { ...base, service: 'unknown', status: c.status, error: `tls: handshake: ${c.error}` } };
    }
    const sock = c.sock as TLSSocket;
    const parts = tlsFindingParts(captureTls(sock));
    const banner = await innerBanner(sock, Math.min(ctx.readTimeoutMs, 1500), ctx.signal);
    return {
      identified: true,
      finding: {
        ...base,
        ...parts.fields,
        service: 'tls',
        status: 'open',
        error: '',
        banner: bannerText(banner),
        tags: parts.tags,
        details: JSON.stringify({ tls: parts.details, ...(banner.length > 0 ? { banner_bytes: banner.length } : {}) }),
      },
    };
  },
};
