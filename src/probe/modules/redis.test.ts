import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loopbackContext, type LoopbackContextOptions } from '../testing/loopback-context.js';
import { startFakeServer } from '../ssh/testing/fake-ssh-server.js';
import { INFO_SERVER, redisModule } from './redis.js';
import { peerFaultCases } from '../testing/peer-faults.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => { for (const c of closers.splice(0)) await c(); });

/** A scripted server that records every byte the client sends. */
async function serve(reply: (s: Socket, got: Buffer) => void, onConnect?: (s: Socket) => void): Promise<{ port: number; received: () => Buffer }> {
  let received = Buffer.alloc(0);
  const s = await startFakeServer((sock) => {
    onConnect?.(sock);
    let answered = false;
    sock.on('data', (d: Buffer) => {
      received = Buffer.concat([received, d]);
      if (!answered && received.includes('\r\nserver\r\n')) { answered = true; reply(sock, received); }
    });
  });
  closers.push(s.close);
  return { port: s.port, received: () => received };
}

const probe = (port: number, o: LoopbackContextOptions = {}) =>
  redisModule.probe({ ip: '127.0.0.1', port, transport: 'tcp' }, loopbackContext({ readTimeoutMs: 1000, ...o }));
const details = (d: string | undefined): Record<string, unknown> => JSON.parse(d ?? '{}') as Record<string, unknown>;
const settle = (ms = 100): Promise<void> => new Promise((r) => setTimeout(r, ms));

const INFO_TEXT = [
  '# Server', 'redis_version:7.0.15', 'redis_git_sha1:00000000', 'redis_build_id:abc', 'redis_mode:standalone',
  'os:Linux 6.1.0-18-amd64 x86_64', 'arch_bits:64', 'process_id:4242', 'run_id:0123456789abcdef0123456789abcdef01234567',
  'tcp_port:6379', 'uptime_in_seconds:864000', 'uptime_in_days:10', 'executable:/usr/bin/redis-server',
  'config_file:/etc/redis/redis.conf', '',
].join('\r\n');
const bulk = (text: string): string => `$${Buffer.byteLength(text, 'latin1')}\r\n${text}\r\n`;

describe('redis module against scripted servers', () => {
  peerFaultCases(redisModule);

  it('INFO answered: no_auth, tag, product/version, only the non-sensitive fields; INFO server is all that is sent', async () => {
    const srv = await serve((s) => s.write(bulk(INFO_TEXT)));
    const r = await probe(srv.port, { credentials: { id: 'l', entries: [{ id: 'e', username: 'default', password: 'Secret-Redis-Pw' }] } });
    expect(r.identified).toBe(true);
    expect(r.finding).toMatchObject({
      service: 'redis', status: 'open', error: '', no_auth: 1, login_prompt: 0, tags: ['redis-unauthenticated'],
      product: 'Redis', vendor: 'Redis', version: '7.0.15', banner: 'redis_version:7.0.15',
    });
    expect(details(r.finding.details)).toEqual({ reply: 'bulk', redis_version: '7.0.15', os: 'Linux 6.1.0-18-amd64 x86_64', redis_mode: 'standalone', uptime_in_days: '10' });
    expect(r.finding.details).not.toMatch(/executable|config_file|run_id|process_id/);
    await settle();
    expect(srv.received().toString('latin1')).toBe(INFO_SERVER.toString('latin1'));
    expect(srv.received().toString('latin1')).toBe('*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n');
    expect(JSON.stringify(r)).not.toContain('Secret-Redis-Pw');
  });

  it('Valkey names itself in server_name', async () => {
    const srv = await serve((s) => s.write(bulk('# Server\r\nredis_version:7.2.4\r\nserver_name:valkey\r\nvalkey_version:8.0.1\r\nredis_mode:standalone\r\n')));
    const r = await probe(srv.port);
    expect(r.finding).toMatchObject({ product: 'Valkey', version: '8.0.1', no_auth: 1 });
    expect(r.finding.vendor).toBeUndefined();
    expect(details(r.finding.details)).toMatchObject({ redis_version: '7.2.4', valkey_version: '8.0.1', server_name: 'valkey' });
  });

  it.each([
    ['-NOAUTH Authentication required.', 1],
    ['-ERR operation not permitted', 1],
    ['-ERR Client sent AUTH, but no password is set', 1],
    ["-ERR unknown command 'INFO', with args beginning with: 'server'", 0],
  ] as const)('%s → login_prompt %i', async (line, prompt) => {
    const srv = await serve((s) => s.write(`${line}\r\n`));
    const r = await probe(srv.port);
    expect(r.identified).toBe(true);
    expect(r.finding).toMatchObject({ service: 'redis', status: 'open', login_prompt: prompt, no_auth: 0, banner: line });
    expect(r.finding.tags).toBeUndefined();
    expect(details(r.finding.details)).toMatchObject({ reply: 'error', error_reply: line.slice(1) });
  });

  it('protected mode: the -DENIED line sent on connect', async () => {
    const srv = await serve(() => undefined, (s) => s.end('-DENIED Redis is running in protected mode because protected mode is enabled\r\n'));
    const r = await probe(srv.port);
    expect(r.identified).toBe(true);
    expect(r.finding).toMatchObject({ login_prompt: 0, no_auth: 0, tags: ['redis-protected-mode'] });
    expect(details(r.finding.details)).toMatchObject({ protected_mode: true });
  });

  it('INFO reply cut short: still Redis without a password, with the fields that arrived whole', async () => {
    const full = bulk(INFO_TEXT);
    const srv = await serve((s) => s.end(full.slice(0, full.indexOf('uptime_in_days') + 5)));
    const r = await probe(srv.port);
    expect(r.identified).toBe(true);
    expect(r.finding).toMatchObject({ status: 'error', no_auth: 1, version: '7.0.15' });
    expect(r.finding.error).toMatch(/cut short.*closed/);
    const d = details(r.finding.details);
    expect(d).toMatchObject({ cut_short: true, redis_version: '7.0.15', redis_mode: 'standalone' });
    expect(d['uptime_in_days']).toBeUndefined();
  });

  it('truncated replies without INFO content: not identified', async () => {
    for (const cut of ['$120\r\n# Ser', '-NOAU', '+O']) {
      const srv = await serve((s) => s.end(cut));
      const r = await probe(srv.port);
      expect(r.identified, cut).toBe(false);
      expect(r.finding.status).toBe('error');
    }
  });

  it('garbage: an HTTP reply is not RESP', async () => {
    const srv = await serve((s) => s.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    const r = await probe(srv.port);
    expect(r.identified).toBe(false);
    expect(r.finding.error).toMatch(/not RESP: not a RESP type byte: 0x48/);
    expect(r.finding.banner).toContain('HTTP/1.1 400');
  });

  it('an echo server (array back) is not Redis', async () => {
    const srv = await serve((s, got) => s.write(got));
    const r = await probe(srv.port);
    expect(r.identified).toBe(false);
    expect(r.finding.error).toMatch(/unexpected array reply/);
  });

  it('a huge bulk length is refused at once', async () => {
    const srv = await serve((s) => { s.write('$9999999\r\n'); s.write(Buffer.alloc(60000, 0x41)); });
    const t0 = Date.now();
    const r = await probe(srv.port, { readTimeoutMs: 5000 });
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(r.identified).toBe(false);
    expect(r.finding.error).toMatch(/9999999 bytes over the 61440-byte bound/);
  });

  it('random replies over real sockets: never throws, always within the read timeout', async () => {
    let seed = 42;
    const next = (): number => { seed = (seed * 1103515245 + 12345) >>> 0; return seed / 4294967296; };
    const alphabet = Buffer.from('+-:$*\r\n0123456789redis_version:');
    for (let i = 0; i < 40; i++) {
      const n = Math.floor(next() * 60);
      const b = Buffer.alloc(n);
      for (let j = 0; j < n; j++) b[j] = next() < 0.8 ? (alphabet[Math.floor(next() * alphabet.length)] ?? 0) : Math.floor(next() * 256);
      const srv = await serve((s) => s.end(b));
      const t0 = Date.now();
      const r = await probe(srv.port, { readTimeoutMs: 200 });
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(typeof r.identified).toBe('boolean');
    }
  });
});
