import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CredentialList } from '../module.js';
import { loopbackContext, type LoopbackContextOptions } from '../testing/loopback-context.js';
import { respond, startScripted, type Script, type ScriptedOptions, type SeenRequest } from '../http/testing/scripted-server.js';
import { opensslFingerprint, selfSigned } from '../tls/testing/certs.js';
import { faviconHash } from '../../util/murmur3.js';
import { identifyService } from '../identify/identify.js';
import { httpModule, httpsModule } from './http.js';
import { tlsModule } from './tls.js';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const c of closers.splice(0)) await c(); });

async function serve(script: Script, opts: ScriptedOptions = {}) {
  const s = await startScripted(script, opts);
  closers.push(s.close);
  return s;
}

const tgt = (port: number) => ({ ip: '127.0.0.1', port, transport: 'tcp' as const });
const probe = (port: number, o: LoopbackContextOptions = {}) => httpModule.probe(tgt(port), loopbackContext({ readTimeoutMs: 1000, ...o }));
const ICON = Buffer.from(Array.from({ length: 318 }, (_, i) => (i * 131 + 7) & 0xff));
const notFound = (sock: import('node:net').Socket) => sock.end(respond('404 Not Found', {}, 'no'));

describe('http module: responses', () => {
  it('content-length page: status, server, headers, title, body hash, favicon hash, banner', async () => {
    const body = '<html><head><title>Router &amp; Co</title></head></html>';
    const s = await serve((req, sock) => {
      if (req.path === '/favicon.ico') sock.end(respond('200 OK', { 'Content-Type': 'image/x-icon' }, ICON));
      else sock.end(respond('200 OK', { Server: 'TestHTTPd/1.0', 'Content-Type': 'text/html', 'X-A': '1' }, body));
    });
    const r = await probe(s.port);
    const f = r.finding;
    expect(r.identified).toBe(true);
    expect(f).toMatchObject({ service: 'http', status: 'open', error: '', http_status: 200, http_server: 'TestHTTPd/1.0', http_title: 'Router & Co', login_prompt: 0 });
    expect(f.http_headers).toMatchObject({ server: 'TestHTTPd/1.0', 'x-a': '1', 'content-type': 'text/html' });
    expect(f.http_body_sha256).toBe(createHash('sha256').update(body).digest('hex'));
    expect(f.http_favicon_hash).toBe(faviconHash(ICON));
    expect(f.banner).toMatch(/^HTTP\/1\.1 200 OK\\r\\nServer: TestHTTPd\/1\.0\\r\\n/);
    expect(s.requests.map((q) => q.path)).toEqual(['/', '/favicon.ico']);
    const first = s.requests[0] as SeenRequest;
    expect(first.raw).toMatch(/^GET \/ HTTP\/1\.1\r\n/);
    expect(first.headers).toMatchObject({ host: `127.0.0.1:${s.port}`, connection: 'close' });
    expect(first.headers['user-agent']).toMatch(/^Sakimori\//);
    expect(JSON.parse(f.details ?? '{}')).toMatchObject({ framing: 'content-length', body_complete: true, favicon: { status: 200, bytes: ICON.length } });
  });

  it('chunked body with a Shift_JIS title', async () => {
    const title = Buffer.from([0x83, 0x8d, 0x83, 0x4f, 0x83, 0x43, 0x83, 0x93]); // ログイン
    const page = Buffer.concat([Buffer.from('<html><title>'), title, Buffer.from('</title></html>')]);
    const s = await serve((req, sock) => {
      if (req.path !== '/') { notFound(sock); return; }
      sock.write('HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=Shift_JIS\r\nTransfer-Encoding: chunked\r\n\r\n');
      sock.write(`${(10).toString(16)}\r\n`); sock.write(page.subarray(0, 10)); sock.write('\r\n');
      setTimeout(() => { sock.end(Buffer.concat([Buffer.from(`${(page.length - 10).toString(16)}\r\n`), page.subarray(10), Buffer.from('\r\n0\r\n\r\n')])); }, 30);
    });
    const f = (await probe(s.port)).finding;
    expect(f.http_title).toBe('ログイン');
    expect(f.http_body_sha256).toBe(createHash('sha256').update(page).digest('hex'));
    expect(JSON.parse(f.details ?? '{}')).toMatchObject({ framing: 'chunked', title_charset: 'shift_jis', title_charset_from: 'header' });
    expect(f.http_favicon_hash).toBeUndefined();
  });

  it('no length: body until close; truncated content-length recorded as incomplete', async () => {
    const a = await serve((req, sock) => { if (req.path === '/') sock.end('HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<title>x</title>'); else sock.destroy(); });
    const fa = (await probe(a.port)).finding;
    expect(fa).toMatchObject({ http_status: 200, http_title: 'x', error: '' });
    expect(JSON.parse(fa.details ?? '{}')).toMatchObject({ framing: 'close', favicon: { error: expect.stringMatching(/closed without a response/) } });
    const b = await serve((_req, sock) => sock.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b'));
    const rb = await probe(b.port);
    expect(rb.identified).toBe(true);
    expect(rb.finding.error).toMatch(/incomplete response: body cut at 10 of 100 bytes/);
  });

  it('garbage: not identified, banner kept', async () => {
    const s = await serve((_req, sock) => sock.end(Buffer.from([0x00, 0xff, 0x41, 0x0a])));
    const r = await probe(s.port);
    expect(r.identified).toBe(false);
    expect(r.finding).toMatchObject({ status: 'error', banner: '\\x00\\xffA\\n' });
    expect(r.finding.error).toMatch(/not HTTP: response does not start/);
    expect(s.requests.length).toBe(1);
  });

  it('silence: timeout within the bounds', async () => {
    const s = await serve(() => undefined);
    const t0 = Date.now();
    const r = await probe(s.port, { readTimeoutMs: 300 });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.identified).toBe(false);
    expect(r.finding.status).toBe('timeout');
    expect(r.finding.error).toMatch(/no response within 300 ms/);
  });

  it('huge headers and an endless body are cut at 64 KiB', async () => {
    const s = await serve((_req, sock) => {
      sock.write('HTTP/1.1 200 OK\r\n');
      const line = `X-Big: ${'a'.repeat(1000)}\r\n`;
      for (let i = 0; i < 200; i++) sock.write(line);
    });
    const r = await probe(s.port);
    expect(r.identified).toBe(true);
    expect(r.finding.http_status).toBe(200);
    expect(r.finding.error).toMatch(/header section not terminated/);
    expect(JSON.parse(r.finding.details ?? '{}')).toMatchObject({ read_bound: 65536 });
    const e = await serve((req, sock) => { if (req.path !== '/') { notFound(sock); return; } sock.write('HTTP/1.1 200 OK\r\n\r\n'); const t = setInterval(() => { if (!sock.write(Buffer.alloc(8192, 0x61))) undefined; }, 1); sock.on('close', () => clearInterval(t)); });
    const re = await probe(e.port);
    expect(re.finding.error).toMatch(/cut before the peer closed/);
    expect(JSON.parse(re.finding.details ?? '{}').body_bytes).toBeLessThanOrEqual(65536);
  });

  it('redirects: / is recorded, not followed; the favicon follows one same-host redirect only', async () => {
    const s = await serve((req, sock) => {
      if (req.path === '/') sock.end(respond('302 Found', { Location: '/login.html' }));
      else if (req.path === '/favicon.ico') sock.end(respond('301 Moved', { Location: `http://127.0.0.1:${(sock.address() as { port: number }).port}/static/icon.ico` }));
      else if (req.path === '/static/icon.ico') sock.end(respond('200 OK', {}, ICON));
      else notFound(sock);
    });
    const f = (await probe(s.port)).finding;
    expect(f.http_status).toBe(302);
    expect(f.http_headers?.['location']).toBe('/login.html');
    expect(f.http_favicon_hash).toBe(faviconHash(ICON));
    expect(s.requests.map((q) => q.path)).toEqual(['/', '/favicon.ico', '/static/icon.ico']);

    const o = await serve((req, sock) => {
      if (req.path === '/favicon.ico') sock.end(respond('302 Found', { Location: 'http://192.0.2.7/favicon.ico' }));
      else if (req.path === '/') sock.end(respond('200 OK', {}, 'ok'));
      else sock.end(respond('302 Found', { Location: '/again' }));
    });
    const fo = (await probe(o.port)).finding;
    expect(fo.http_favicon_hash).toBeUndefined();
    expect(JSON.parse(fo.details ?? '{}').favicon).toMatchObject({ status: 302, redirect_not_followed: 'http://192.0.2.7/favicon.ico' });
    expect(o.requests.map((q) => q.path)).toEqual(['/', '/favicon.ico']);
  });

  it('a stopped survey ends at once', async () => {
    const s = await serve(() => undefined);
    const c = loopbackContext({ readTimeoutMs: 10_000 });
    setTimeout(() => c.abort(), 100);
    const t0 = Date.now();
    const r = await httpModule.probe(tgt(s.port), c);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.finding.error).toMatch(/aborted/);
  });

  it('refused connection: closed', async () => {
    const s = await startScripted(() => undefined);
    await s.close();
    const r = await probe(s.port);
    expect(r.finding.status).toBe('closed');
  });
});

// ---- credentials ----

const LIST: CredentialList = {
  id: 'test-defaults-v1',
  entries: [
    { id: 'e1', username: 'admin', password: 'wrong-one-Zq7' },
    { id: 'e2', username: 'admin', password: 'S3cret-Planted!' },
    { id: 'e3', username: 'root', password: 'never-tried-Xy' },
  ],
};
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

function basicServer(good: { username: string; password: string } | null): Script {
  return (req, sock) => {
    if (req.path === '/favicon.ico') { notFound(sock); return; }
    const auth = req.headers['authorization'];
    if (good !== null && auth === basic(good.username, good.password)) sock.end(respond('200 OK', { 'Content-Type': 'text/html' }, '<title>Admin</title>'));
    else sock.end(respond('401 Unauthorized', { 'WWW-Authenticate': 'Basic realm="Router"', 'Content-Type': 'text/html' }, '<title>401</title>'));
  };
}

function expectNoSecret(json: string, list: CredentialList): void {
  for (const e of list.entries) {
    expect(json).not.toContain(e.password);
    expect(json).not.toContain(Buffer.from(`${e.username}:${e.password}`).toString('base64'));
  }
}

describe('http module: Basic default credentials', () => {
  it('stops at the first accepted entry; records the list and entry, never the password', async () => {
    const s = await serve(basicServer(LIST.entries[1] ?? null));
    const log: NonNullable<LoopbackContextOptions['log']> = [];
    const r = await probe(s.port, { credentials: LIST, maxCredentialAttempts: 10, log });
    const f = r.finding;
    expect(f).toMatchObject({ http_status: 401, login_prompt: 1, weak_credential: 1, credential_list: 'test-defaults-v1', credential_id: 'e2', http_www_authenticate: 'Basic realm="Router"', http_title: '401' });
    expect(s.requests.map((q) => [q.path, q.headers['authorization'] !== undefined])).toEqual([['/', false], ['/favicon.ico', false], ['/', true], ['/', true]]);
    expect(log.map((l) => l.credentialListId ?? '-')).toEqual(['-', '-', 'test-defaults-v1', 'test-defaults-v1']);
    expect(JSON.parse(f.details ?? '{}').credential_check).toMatchObject({ scheme: 'basic', attempts: 2, statuses: [401, 200], result: 'accepted', realm: 'Router' });
    expectNoSecret(JSON.stringify(r), LIST);
  });

  it('none accepted: weak_credential 0, the list recorded; the attempt bound holds', async () => {
    const s = await serve(basicServer(null));
    const r = await probe(s.port, { credentials: LIST, maxCredentialAttempts: 10 });
    expect(r.finding).toMatchObject({ weak_credential: 0, credential_list: 'test-defaults-v1', credential_id: '', login_prompt: 1 });
    expect(s.requests.filter((q) => q.headers['authorization'] !== undefined).length).toBe(3);
    const s2 = await serve(basicServer(LIST.entries[2] ?? null));
    const r2 = await probe(s2.port, { credentials: LIST, maxCredentialAttempts: 2 });
    expect(r2.finding.weak_credential).toBe(0);
    expect(s2.requests.filter((q) => q.headers['authorization'] !== undefined).length).toBe(2);
    expectNoSecret(JSON.stringify([r, r2]), LIST);
  });

  it('without credentials from the scope nothing is tried', async () => {
    const s = await serve(basicServer(LIST.entries[0] ?? null));
    const r = await probe(s.port);
    expect(r.finding).toMatchObject({ login_prompt: 1 });
    expect(r.finding.weak_credential).toBeUndefined();
    expect(s.requests.every((q) => q.headers['authorization'] === undefined)).toBe(true);
  });

  it('an open admin page is recorded, not tried', async () => {
    const s = await serve((req, sock) => { if (req.path === '/') sock.end(respond('200 OK', { 'Content-Type': 'text/html' }, '<title>Admin Console</title><form><input type="password" name="p"></form>')); else notFound(sock); });
    const r = await probe(s.port, { credentials: LIST });
    expect(r.finding).toMatchObject({ http_title: 'Admin Console', login_prompt: 0 });
    expect(r.finding.weak_credential).toBeUndefined();
    expect(s.requests.length).toBe(2);
    expect(JSON.parse(r.finding.details ?? '{}')).toMatchObject({ password_form: true });
  });
});

// A Digest server written from RFC 7616 independently of the module's code.
function digestServer(algorithm: 'MD5' | 'SHA-256', good: { username: string; password: string }, opts: { staleOnce?: boolean } = {}) {
  const realm = 'testrealm@sakimori';
  const nonces: string[] = [];
  let staled = false;
  const alg = algorithm === 'MD5' ? 'md5' : 'sha256';
  const H = (s: string) => createHash(alg).update(s).digest('hex');
  const challenge = (stale = false) => {
    const nonce = randomBytes(12).toString('base64');
    nonces.push(nonce);
    return `Digest realm="${realm}", qop="auth", algorithm=${algorithm}, nonce="${nonce}", opaque="opq"${stale ? ', stale=true' : ''}`;
  };
  const script: Script = (req, sock) => {
    if (req.path === '/favicon.ico') { notFound(sock); return; }
    const auth = req.headers['authorization'];
    if (auth !== undefined) {
      const p: Record<string, string> = {};
      for (const m of auth.slice(7).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) p[m[1] ?? ''] = m[2] ?? m[3] ?? '';
      const latest = nonces[nonces.length - 1];
      const ha1 = H(`${p['username']}:${realm}:${good.password}`);
      const want = H(`${ha1}:${p['nonce']}:${p['nc']}:${p['cnonce']}:${p['qop']}:${H(`GET:${p['uri']}`)}`);
      const right = p['username'] === good.username && p['response'] === want && p['opaque'] === 'opq' && p['algorithm'] === algorithm && p['nc'] === '00000001';
      if (right && opts.staleOnce === true && !staled) { staled = true; sock.end(respond('401 Unauthorized', { 'WWW-Authenticate': challenge(true) })); return; }
      if (right && p['nonce'] === latest) { sock.end(respond('200 OK', {}, 'welcome')); return; }
    }
    sock.end(respond('401 Unauthorized', { 'WWW-Authenticate': challenge() }));
  };
  return script;
}

describe('http module: Digest default credentials', () => {
  it.each(['MD5', 'SHA-256'] as const)('%s: accepted at the second entry', async (alg) => {
    const s = await serve(digestServer(alg, LIST.entries[1] ?? { username: '', password: '' }));
    const r = await probe(s.port, { credentials: LIST });
    expect(r.finding).toMatchObject({ weak_credential: 1, credential_id: 'e2', credential_list: 'test-defaults-v1', login_prompt: 1 });
    expect(JSON.parse(r.finding.details ?? '{}').credential_check).toMatchObject({ scheme: 'digest', algorithm: alg, attempts: 2, statuses: [401, 200] });
    expect(s.requests.length).toBe(4);
    expectNoSecret(JSON.stringify(r), LIST);
    for (const q of s.requests) expectNoSecret(q.raw, LIST);
  });

  it('stale nonce: the same entry once more with the new nonce', async () => {
    const s = await serve(digestServer('SHA-256', LIST.entries[1] ?? { username: '', password: '' }, { staleOnce: true }));
    const r = await probe(s.port, { credentials: LIST });
    expect(r.finding).toMatchObject({ weak_credential: 1, credential_id: 'e2' });
    expect(JSON.parse(r.finding.details ?? '{}').credential_check).toMatchObject({ attempts: 3, statuses: [401, 401, 200] });
  });

  it('wrong passwords only: none accepted within the bound', async () => {
    const s = await serve(digestServer('MD5', { username: 'nobody', password: 'x' }));
    const r = await probe(s.port, { credentials: LIST, maxCredentialAttempts: 2 });
    expect(r.finding).toMatchObject({ weak_credential: 0, credential_id: '' });
    expect(s.requests.filter((q) => q.headers['authorization'] !== undefined).length).toBe(2);
  });
});

describe('https module', () => {
  it('TLS facts and HTTP over TLS; fingerprint as openssl prints it; self-signed tag', async () => {
    const cert = selfSigned('/O=Sakimori Test/CN=device.example', 'DNS:device.example,IP:127.0.0.1');
    closers.push(() => cert.remove());
    const s = await serve((req, sock) => { if (req.path === '/') sock.end(respond('200 OK', { 'Content-Type': 'text/html' }, '<title>TLS page</title>')); else notFound(sock); }, { tls: { key: cert.key, cert: cert.cert } });
    const r = await httpsModule.probe(tgt(s.port), loopbackContext({ readTimeoutMs: 2000 }));
    const f = r.finding;
    expect(r.identified).toBe(true);
    expect(f).toMatchObject({ service: 'https', http_status: 200, http_title: 'TLS page', tls_self_signed: 1, tls_chain_length: 1, tls_subject: 'CN=device.example,O=Sakimori Test', tls_issuer: 'CN=device.example,O=Sakimori Test' });
    expect(f.tls_version).toMatch(/^TLSv1\.[23]$/);
    expect(f.tls_cipher).toMatch(/^TLS_/);
    expect(f.tls_sans).toEqual(['device.example', '127.0.0.1']);
    expect(f.tls_fingerprint_sha256).toBe(opensslFingerprint(cert.certPath));
    expect(f.tags).toEqual(['self-signed']);
    expect(JSON.parse(f.details ?? '{}').tls).toMatchObject({ chain_length: 1, chain: [{ self_signed: true, key_type: 'ec', key_curve: 'prime256v1' }] });
  });

  it('plain HTTP server on the https module: not identified, error names the handshake', async () => {
    const s = await serve((_req, sock) => sock.end(respond('400 Bad Request', {})));
    const r = await httpsModule.probe(tgt(s.port), loopbackContext({ readTimeoutMs: 1000, connectTimeoutMs: 1000 }));
    expect(r.identified).toBe(false);
    expect(r.finding.error).toMatch(/^https: TLS handshake: /);
  });
});

describe('identification on unexpected ports with the real http, https and tls modules', () => {
  const mods = [httpModule, httpsModule, tlsModule];
  it('HTTP, HTTPS, and TLS that speaks first inside the session', async () => {
    const plain = await serve((_req, sock) => sock.end(respond('200 OK', {}, '<title>p</title>')));
    const r1 = await identifyService(tgt(plain.port), loopbackContext({ readTimeoutMs: 800 }), mods);
    expect([r1.finding.service, r1.attempts.map((a) => a.module)]).toEqual(['http', ['http']]);

    const cert = selfSigned();
    closers.push(() => cert.remove());
    const secure = await serve((_req, sock) => sock.end(respond('200 OK', {}, '<title>s</title>')), { tls: { key: cert.key, cert: cert.cert } });
    const r2 = await identifyService(tgt(secure.port), loopbackContext({ readTimeoutMs: 800 }), mods);
    expect([r2.finding.service, r2.attempts.map((a) => a.module)]).toEqual(['https', ['http', 'https']]);
    expect(r2.finding).toMatchObject({ http_title: 's', tls_self_signed: 1 });

    const imaps = await serve(() => undefined, { tls: { key: cert.key, cert: cert.cert }, onConnect: (s) => { s.write('* OK IMAP ready\r\n'); } });
    const r3 = await identifyService(tgt(imaps.port), loopbackContext({ readTimeoutMs: 800 }), mods);
    expect([r3.finding.service, r3.attempts.map((a) => a.module)]).toEqual(['tls', ['http', 'https', 'tls']]);
    expect(r3.finding.banner).toBe('* OK IMAP ready\\r\\n');
  });
});

describe('http module: random and cut responses over real sockets', () => {
  it('never throws, never hangs past its bounds', async () => {
    const valid = Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n6\r\n<title\r\n3\r\n>x<\r\n0\r\n\r\n');
    let seed = 12345;
    const rnd = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 2 ** 32; };
    for (let i = 0; i < 24; i++) {
      const bytes = i % 2 === 0
        ? Buffer.from(Array.from({ length: Math.floor(rnd() * 300) }, () => Math.floor(rnd() * 256)))
        : valid.subarray(0, Math.floor(rnd() * valid.length));
      const hangUp = rnd() < 0.5;
      const s = await serve((_req, sock) => { if (hangUp) sock.end(bytes); else sock.write(bytes); });
      const t0 = Date.now();
      const r = await probe(s.port, { readTimeoutMs: 150 });
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(['open', 'error', 'timeout']).toContain(r.finding.status);
    }
  });
});
