/**
 * Identification on unexpected ports with real loopback servers (SSH, HTTP, telnet, TLS, garbage,
 * silence), the real SSH module, and small request-first test modules standing in for the others.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo, Server, Socket } from 'node:net';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import type { L7Module, ModuleResult, ProbeContext, ProbeTarget } from '../module.js';
import { sshModule } from '../modules/ssh.js';
import { fakeSshHandler } from '../ssh/testing/fake-ssh-server.js';
import { loopbackContext } from '../testing/loopback-context.js';
import { SakimoriError } from '../../errors.js';
import { classifyFirstBytes } from './first-bytes.js';
import { identifyService, orderModules } from './identify.js';
import { bannerBytes, bannerText } from './banner-text.js';
import { seededRandom } from '../../util/seeded-random.js';

const servers: Server[] = [];
const sockets = new Set<Socket>();
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
});

async function listen(s: Server): Promise<number> {
  servers.push(s);
  s.on('connection', (c: Socket) => { sockets.add(c); c.on('close', () => sockets.delete(c)); c.on('error', () => undefined); });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
}

function base(t: ProbeTarget): { ip: string; port: number; transport: 'tcp' | 'udp' } {
  return { ip: t.ip, port: t.port, transport: t.transport };
}

/** Reads until the peer closes, `n` bytes arrive, or `ms` pass. */
async function readSome(sock: Socket, n: number, ms: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let len = 0;
    const done = (): void => { clearTimeout(t); sock.destroy(); resolve(Buffer.concat(chunks)); };
    const t = setTimeout(done, ms);
    sock.on('data', (d: Buffer) => { chunks.push(d); len += d.length; if (len >= n) done(); });
    sock.on('close', done);
    sock.on('error', done);
  });
}

// Small stand-ins for the real modules (request-first protocols and telnet).
const httpTest: L7Module = {
  name: 'http', defaultPorts: [80, 8080],
  async probe(t: ProbeTarget, ctx: ProbeContext): Promise<ModuleResult> {
    const s = await ctx.connect(t, 'http');
    s.write(`GET / HTTP/1.1\r\nHost: ${t.ip}\r\nConnection: close\r\n\r\n`);
    const b = await readSome(s, 4096, ctx.readTimeoutMs);
    const ok = b.subarray(0, 5).toString() === 'HTTP/';
    return { identified: ok, finding: { ...base(t), service: ok ? 'http' : 'unknown', status: ok ? 'open' : 'error', error: ok ? '' : 'http: not HTTP' } };
  },
};
const tlsTest: L7Module = {
  name: 'tls', defaultPorts: [443],
  async probe(t: ProbeTarget, ctx: ProbeContext): Promise<ModuleResult> {
    try {
      const s = await ctx.connect(t, 'tls', { tls: true });
      s.destroy();
      return { identified: true, finding: { ...base(t), service: 'tls', status: 'open' } };
    } catch (e) {
      return { identified: false, finding: { ...base(t), status: 'error', error: `tls: ${String(e)}` } };
    }
  },
};
const telnetTest: L7Module = {
  name: 'telnet', defaultPorts: [23],
  async probe(t: ProbeTarget, ctx: ProbeContext): Promise<ModuleResult> {
    const s = await ctx.connect(t, 'telnet');
    const b = await readSome(s, 3, ctx.readTimeoutMs);
    const ok = b[0] === 0xff;
    return { identified: ok, finding: { ...base(t), service: ok ? 'telnet' : 'unknown', status: ok ? 'open' : 'error', error: ok ? '' : 'telnet: no IAC' } };
  },
};
const throwing: L7Module = { name: 'mqtt', defaultPorts: [1883], probe: () => Promise.reject(new Error('boom')) };

const ALL = [sshModule, httpTest, tlsTest, telnetTest, throwing];
const ctx = (): ProbeContext => loopbackContext({ readTimeoutMs: 800 });
const tgt = (port: number): ProbeTarget => ({ ip: '127.0.0.1', port, transport: 'tcp' });

describe('first-bytes classifier', () => {
  it.each([
    ['SSH-2.0-OpenSSH_9.2p1\r\n', ['ssh']],
    ['Hello\r\nSSH-2.0-x\r\n', ['ssh']],
    ['\xff\xfd\x18\xff\xfd\x20', ['telnet']],
    ['220 ProFTPD Server ready.\r\n', ['ftp']],
    ['220 mail.example ESMTP Postfix\r\n', ['smtp', 'ftp']],
    ['HTTP/1.0 400 Bad Request\r\n', ['http']],
    ['-DENIED Redis is running in protected mode', ['redis']],
    ['\r\nlogin: ', ['telnet']],
    ['\x16\x03\x03\x00\x10', ['tls', 'https']],
    ['\x00\x01\x02', []],
    ['', []],
  ])('%j → %j', (bytes, want) => {
    expect(classifyFirstBytes(Buffer.from(bytes, 'latin1'))).toEqual(want);
  });
  it('orders silent ports request-first and talkative ones by what they said', () => {
    expect(orderModules(9999, ALL, Buffer.alloc(0)).map((m) => m.name)).toEqual(['http', 'tls', 'mqtt', 'ssh', 'telnet']);
    expect(orderModules(9999, ALL, Buffer.from('SSH-2.0-x\r\n')).map((m) => m.name)[0]).toBe('ssh');
    expect(orderModules(443, ALL, Buffer.from([0xff, 0xfb, 0x01])).map((m) => m.name).slice(0, 2)).toEqual(['telnet', 'tls']);
  });
});

describe('identifyService on unexpected ports', () => {
  it('SSH on a random port: found by its banner, after the port default failed', async () => {
    const port = await listen(createTcpServer(fakeSshHandler()));
    const r = await identifyService(tgt(port), ctx(), ALL);
    expect(r.identified).toBe(true);
    expect(r.finding.service).toBe('ssh');
    expect(r.attempts.map((a) => a.module)).toEqual(['ssh']);
    expect(r.finding.ssh_host_key_sha256).toMatch(/^SHA256:/);
  });

  it('HTTP on a random port: silent, so HTTP is tried first', async () => {
    const port = await listen(createHttpServer((_q, res) => { res.end('hi'); }));
    const r = await identifyService(tgt(port), ctx(), ALL);
    expect(r.finding.service).toBe('http');
    expect(r.attempts.map((a) => a.module)).toEqual(['http']);
  });

  it('telnet on a random port: IAC first bytes pick telnet', async () => {
    const port = await listen(createTcpServer((s) => { s.write(Buffer.from([0xff, 0xfd, 0x18, 0xff, 0xfb, 0x01])); }));
    const r = await identifyService(tgt(port), ctx(), ALL);
    expect(r.finding.service).toBe('telnet');
    expect(r.attempts.map((a) => a.module)).toEqual(['telnet']);
  });

  it('TLS on a random port: HTTP fails, TLS identifies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sakimori-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=test',
        '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem')], { stdio: 'ignore' });
      const port = await listen(createTlsServer({ key: readFileSync(join(dir, 'k.pem')), cert: readFileSync(join(dir, 'c.pem')) }, (s) => s.end()));
      const r = await identifyService(tgt(port), ctx(), ALL);
      expect(r.finding.service).toBe('tls');
      expect(r.attempts.map((a) => a.module)).toEqual(['http', 'tls']);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('what a server answered one module moves the protocol it points to ahead of the others', async () => {
    // Silent until spoken to, then a Redis error line for anything.
    const port = await listen(createTcpServer((c) => c.once('data', () => c.end('-ERR unknown command\r\n'))));
    const asking = (name: string, ok: (b: Buffer) => boolean): L7Module => ({
      name, defaultPorts: [],
      async probe(t: ProbeTarget, ctx: ProbeContext): Promise<ModuleResult> {
        const s = await ctx.connect(t, name);
        s.write('HELLO\r\n');
        const b = await readSome(s, 4096, ctx.readTimeoutMs);
        const yes = ok(b);
        return { identified: yes, finding: { ...base(t), status: yes ? 'open' : 'error', ...(yes ? {} : { banner: bannerText(b), error: `${name}: no` }) } };
      },
    });
    const mods = [asking('http', (b) => b.toString().startsWith('HTTP/')), asking('https', () => false), asking('tls', () => false), asking('redis', (b) => b[0] === 0x2d)];
    const r = await identifyService({ ip: '127.0.0.1', port, transport: 'tcp' }, loopbackContext({ readTimeoutMs: 1000 }), mods);
    expect(r.attempts.map((a) => a.module)).toEqual(['http', 'redis']);
    expect(r.finding.service).toBe('redis');
  });

  it('banner text turns back into the bytes it was made from', () => {
    const rnd = seededRandom(7);
    for (let i = 0; i < 200; i++) {
      const b = Buffer.from(Array.from({ length: Math.floor(rnd() * 64) }, () => Math.floor(rnd() * 256)));
      expect(bannerBytes(bannerText(b))).toEqual(b);
    }
  });

  it('garbage: unknown with the banner, at most K attempts, the throwing module kept to this target', async () => {
    const port = await listen(createTcpServer((s) => { s.write(Buffer.from([0x00, 0x01, 0xfe, 0x41])); s.on('data', () => undefined); }));
    const r = await identifyService(tgt(port), ctx(), ALL, { maxAttempts: 5 });
    expect(r.identified).toBe(false);
    expect(r.finding.service).toBe('unknown');
    expect(r.finding.status).toBe('open');
    expect(r.finding.banner).toBe('\\x00\\x01\\xfeA');
    expect(r.attempts.length).toBe(5);
    expect(r.attempts.find((a) => a.module === 'mqtt')?.error).toBe('mqtt: boom');
    const r2 = await identifyService(tgt(port), ctx(), ALL, { maxAttempts: 2 });
    expect(r2.attempts.length).toBe(2);
    expect(r2.finding.error).toMatch(/not identified \(tried ssh, telnet\)/);
  });

  it('silence: unknown, bounded in time', async () => {
    const port = await listen(createTcpServer(() => undefined));
    const t0 = Date.now();
    const r = await identifyService(tgt(port), loopbackContext({ readTimeoutMs: 300 }), ALL, { maxAttempts: 3 });
    expect(r.finding.service).toBe('unknown');
    expect(r.finding.banner).toBe('');
    expect(r.attempts.map((a) => a.module)).toEqual(['http', 'tls', 'mqtt']);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('closed port: status closed, no module tried', async () => {
    const s = createTcpServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    const r = await identifyService(tgt(port), ctx(), ALL);
    expect(r.finding.status).toBe('closed');
    expect(r.attempts).toEqual([]);
  });

  it('scope refusals reach the caller (the runner stops the survey) instead of becoming a row', async () => {
    const denied: ProbeContext = { ...ctx(), connect: () => Promise.reject(new SakimoriError('SCOPE_DENIED', '127.0.0.1 excluded')) };
    await expect(identifyService(tgt(2222), denied, ALL)).rejects.toMatchObject({ code: 'SCOPE_DENIED' });
    await expect(identifyService(tgt(9999), denied, ALL)).rejects.toMatchObject({ code: 'SCOPE_DENIED' });
    await expect(sshModule.probe(tgt(22), denied)).rejects.toMatchObject({ code: 'SCOPE_DENIED' });
  });
});
