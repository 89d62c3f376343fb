import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { loopbackContext } from '../testing/loopback-context.js';
import { caSigned, expiredSelfSigned, opensslFingerprint, selfSigned } from '../tls/testing/certs.js';
import { tlsModule } from './tls.js';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const c of closers.splice(0)) await c(); });

async function listen(s: Server): Promise<number> {
  const socks = new Set<Socket>();
  s.on('connection', (c: Socket) => { socks.add(c); c.on('close', () => socks.delete(c)); c.on('error', () => undefined); });
  s.on('tlsClientError', () => undefined);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise<void>((r) => { for (const c of socks) c.destroy(); s.close(() => r()); }));
  return (s.address() as AddressInfo).port;
}

const probe = (port: number, readTimeoutMs = 1000) => tlsModule.probe({ ip: '127.0.0.1', port, transport: 'tcp' }, loopbackContext({ readTimeoutMs }));

describe('tls module', () => {
  it('IMAPS-like server: version, cipher, certificate fields, self-signed tag, the banner inside TLS', async () => {
    const c = selfSigned('/CN=mail.example', 'DNS:mail.example');
    closers.push(() => c.remove());
    const port = await listen(createTlsServer({ key: c.key, cert: c.cert }, (s: TLSSocket) => { s.write('* OK [CAPABILITY IMAP4rev1] ready\r\n'); s.on('error', () => undefined); }));
    const r = await probe(port);
    const f = r.finding;
    expect(r.identified).toBe(true);
    expect(f).toMatchObject({ service: 'tls', status: 'open', error: '', tls_subject: 'CN=mail.example', tls_self_signed: 1, tls_chain_length: 1, tls_sans: ['mail.example'] });
    expect(f.tls_fingerprint_sha256).toBe(opensslFingerprint(c.certPath));
    expect(f.banner).toBe('* OK [CAPABILITY IMAP4rev1] ready\\r\\n');
    expect(f.tags).toEqual(['self-signed']);
    expect(f.tls_not_after).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('chain leaf + CA: length 2, not self-signed; chain summary in details', async () => {
    const c = caSigned();
    closers.push(() => c.remove());
    const port = await listen(createTlsServer({ key: c.key, cert: Buffer.concat([c.cert, c.chain ?? Buffer.alloc(0)]) }, (s: TLSSocket) => s.on('error', () => undefined)));
    const f = (await probe(port, 300)).finding;
    expect(f).toMatchObject({ tls_chain_length: 2, tls_self_signed: 0, tls_subject: 'CN=leaf.example', tls_issuer: 'CN=Sakimori Test CA,O=Sakimori Test', banner: '' });
    expect(f.tags).toEqual([]);
    const d = JSON.parse(f.details ?? '{}') as { tls: { chain: { subject: string; self_signed: boolean }[] } };
    expect(d.tls.chain.map((x) => [x.subject, x.self_signed])).toEqual([['CN=leaf.example', false], ['CN=Sakimori Test CA,O=Sakimori Test', true]]);
  });

  it('expired certificate: tagged expired and self-signed', async () => {
    const c = expiredSelfSigned();
    closers.push(() => c.remove());
    const port = await listen(createTlsServer({ key: c.key, cert: c.cert }, (s: TLSSocket) => s.on('error', () => undefined)));
    const f = (await probe(port, 200)).finding;
    expect(f.tags).toEqual(['self-signed', 'expired']);
    expect(f).toMatchObject({ tls_not_before: '2020-01-01T00:00:00Z', tls_not_after: '2020-02-01T00:00:00Z' });
  });

  it('a TLS alert in answer to the ClientHello still identifies TLS', async () => {
    const port = await listen(createNetServer((s) => { s.once('data', () => s.end(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]))); }));
    const r = await probe(port);
    expect(r.identified).toBe(true);
    expect(r.finding).toMatchObject({ service: 'tls', status: 'error' });
    expect(r.finding.error).toMatch(/handshake refused by the server: .*alert/i);
  });

  it('not TLS: an HTTP answer, garbage, silence', async () => {
    const http = await listen(createNetServer((s) => { s.once('data', () => s.end('HTTP/1.1 400 Bad Request\r\n\r\n')); }));
    const r1 = await probe(http);
    expect(r1.identified).toBe(false);
    expect(r1.finding.error).toMatch(/^tls: handshake: /);
    const silent = await listen(createNetServer(() => undefined));
    const t0 = Date.now();
    const r2 = await tlsModule.probe({ ip: '127.0.0.1', port: silent, transport: 'tcp' }, loopbackContext({ connectTimeoutMs: 300 }));
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r2).toMatchObject({ identified: false, finding: { status: 'timeout' } });
  });
});
