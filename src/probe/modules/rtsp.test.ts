import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loopbackContext, type LoopbackContextOptions } from '../testing/loopback-context.js';
import { startFakeServer } from '../ssh/testing/fake-ssh-server.js';
import { rtspModule } from './rtsp.js';
import { peerFaultCases } from '../testing/peer-faults.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => { for (const c of closers.splice(0)) await c(); });

async function serve(reply: (s: Socket, request: string) => void): Promise<{ port: number; requests: string[] }> {
  const requests: string[] = [];
  const s = await startFakeServer((sock) => {
    let got = '';
    sock.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      if (got.includes('\r\n\r\n')) { requests.push(got); reply(sock, got); got = ''; }
    });
  });
  closers.push(s.close);
  return { port: s.port, requests };
}

const probe = (port: number, o: LoopbackContextOptions = {}) =>
  rtspModule.probe({ ip: '127.0.0.1', port, transport: 'tcp' }, loopbackContext({ readTimeoutMs: 1000, ...o }));
const details = (d: string | undefined): Record<string, unknown> => JSON.parse(d ?? '{}') as Record<string, unknown>;

describe('rtsp module against scripted servers', () => {
  peerFaultCases(rtspModule);

  it('200 to OPTIONS: status, Server, Public methods, banner; the request as specified', async () => {
    const srv = await serve((s) => s.write('RTSP/1.0 200 OK\r\nCSeq: 1\r\nServer: Dahua Rtsp Server\r\nPublic: OPTIONS, DESCRIBE, ANNOUNCE, SETUP, PLAY, RECORD, PAUSE, TEARDOWN, SET_PARAMETER, GET_PARAMETER\r\n\r\n'));
    const r = await probe(srv.port, { credentials: { id: 'l', entries: [{ id: 'e', username: 'admin', password: 'Secret-Rtsp-Pw' }] } });
    expect(r.identified).toBe(true);
    expect(r.finding).toMatchObject({ service: 'rtsp', status: 'open', error: '', login_prompt: 0 });
    expect(r.finding.banner).toBe('RTSP/1.0 200 OK\\r\\nCSeq: 1\\r\\nServer: Dahua Rtsp Server\\r\\nPublic: OPTIONS, DESCRIBE, ANNOUNCE, SETUP, PLAY, RECORD, PAUSE, TEARDOWN, SET_PARAMETER, GET_PARAMETER');
    expect(details(r.finding.details)).toEqual({
      status: 200, reason: 'OK', version: 'RTSP/1.0', server: 'Dahua Rtsp Server',
      public: ['OPTIONS', 'DESCRIBE', 'ANNOUNCE', 'SETUP', 'PLAY', 'RECORD', 'PAUSE', 'TEARDOWN', 'SET_PARAMETER', 'GET_PARAMETER'],
    });
    // One OPTIONS, no credentials ever (not even with a list in the context).
    expect(srv.requests).toEqual([`OPTIONS rtsp://127.0.0.1:${srv.port}/ RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: Sakimori-Survey/1.0\r\n\r\n`]);
    expect(JSON.stringify(r)).not.toContain('Secret-Rtsp-Pw');
  });

  it('401 with WWW-Authenticate: login_prompt, schemes and realm', async () => {
    const srv = await serve((s) => s.write('RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\nWWW-Authenticate: Digest realm="Hikvision", nonce="0a1b"\r\nWWW-Authenticate: Basic realm="Hikvision"\r\n\r\n'));
    const r = await probe(srv.port);
    expect(r.identified).toBe(true);
    expect(r.finding.login_prompt).toBe(1);
    expect(details(r.finding.details)).toMatchObject({ status: 401, auth: [{ scheme: 'Digest', realm: 'Hikvision' }, { scheme: 'Basic', realm: 'Hikvision' }] });
    expect(srv.requests).toHaveLength(1);
  });

  it('401 without a challenge is not a login prompt; a wrong CSeq is noted', async () => {
    const srv = await serve((s) => s.write('RTSP/1.0 401 Unauthorized\r\nCSeq: 7\r\n\r\n'));
    const r = await probe(srv.port);
    expect(r.finding.login_prompt).toBe(0);
    expect(details(r.finding.details)).toMatchObject({ cseq_mismatch: '7' });
  });

  it('an HTTP server: not identified, banner kept', async () => {
    const srv = await serve((s) => s.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
    const r = await probe(srv.port);
    expect(r.identified).toBe(false);
    expect(r.finding.error).toMatch(/not an RTSP response/);
    expect(r.finding.banner).toContain('HTTP/1.1 400');
  });

  it('head cut short after the status line: RTSP, error', async () => {
    const srv = await serve((s) => s.end('RTSP/1.0 200 OK\r\nServer: Cam'));
    const r = await probe(srv.port);
    expect(r.identified).toBe(true);
    expect(r.finding).toMatchObject({ service: 'rtsp', status: 'error' });
    expect(r.finding.error).toMatch(/cut short/);
    expect(details(r.finding.details)).toEqual({ status: 200, cut_short: true });
  });

  it('cut inside the status line: not identified', async () => {
    const srv = await serve((s) => s.end('RTSP/1.0 2'));
    const r = await probe(srv.port);
    expect(r.identified).toBe(false);
    expect(r.finding.status).toBe('error');
  });

  it('endless header: refused at the bound', async () => {
    const srv = await serve((s) => { s.write('RTSP/1.0 200 OK\r\nX: '); for (let i = 0; i < 4; i++) s.write(Buffer.alloc(8192, 0x61)); });
    const r = await probe(srv.port);
    expect(r.identified).toBe(false);
    expect(r.finding.error).toMatch(/over 16384 bytes/);
  });

  it('random replies over real sockets: never throws, always within the read timeout', async () => {
    let seed = 7;
    const next = (): number => { seed = (seed * 1103515245 + 12345) >>> 0; return seed / 4294967296; };
    const alphabet = Buffer.from('RTSP/1.0 401\r\n:WWW-Authenticate ');
    for (let i = 0; i < 30; i++) {
      const n = Math.floor(next() * 80);
      const b = Buffer.alloc(n);
      for (let j = 0; j < n; j++) b[j] = next() < 0.85 ? (alphabet[Math.floor(next() * alphabet.length)] ?? 0) : Math.floor(next() * 256);
      if (next() < 0.5) Buffer.from('RTSP/1.0 ').copy(b);
      const srv = await serve((s) => s.end(b));
      const t0 = Date.now();
      const r = await probe(srv.port, { readTimeoutMs: 200 });
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(typeof r.identified).toBe('boolean');
    }
  });
});
