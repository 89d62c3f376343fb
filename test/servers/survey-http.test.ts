/**
 * The http, https and tls modules against real servers started here on 127.0.0.2 (high ports):
 * Debian lighttpd with mod_auth protecting `/` (Basic with a plain user file, Digest MD5 with an
 * htdigest file, Digest SHA-256 with a plain file) and one default pair planted in each, an HTTPS
 * listener with a throw-away self-signed certificate (mod_openssl), and `openssl s_server` for
 * the tls module. Assert exactly the planted findings: the planted entry's id, the attempts it
 * took, self-signed, and the fingerprint `openssl x509 -fingerprint -sha256` prints.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CredentialList } from '../../src/probe/module.js';
import { httpModule, httpsModule } from '../../src/probe/modules/http.js';
import { tlsModule } from '../../src/probe/modules/tls.js';
import { identifyService } from '../../src/probe/identify/identify.js';
import { loopbackContext, type LoopbackContextOptions } from '../../src/probe/testing/loopback-context.js';
import { faviconHash } from '../../src/util/murmur3.js';
import { freePort, waitPort } from '../helpers/daemons.js';

const LIGHTTPD = '/usr/sbin/lighttpd';
const MOD_OPENSSL = '/usr/lib/lighttpd/mod_openssl.so';
const OPENSSL = '/usr/bin/openssl';
const HOST = '127.0.0.2';

const missingLighttpd = existsSync(LIGHTTPD) ? '' : 'lighttpd missing: apt-get install -y --no-install-recommends lighttpd';
const missingOpenssl = existsSync(OPENSSL) ? '' : 'openssl missing: apt-get install -y --no-install-recommends openssl';
const missingModOpenssl = existsSync(MOD_OPENSSL) ? '' : 'lighttpd TLS module missing: apt-get install -y --no-install-recommends lighttpd-mod-openssl';
for (const why of [missingLighttpd, missingOpenssl, missingModOpenssl]) if (why !== '') console.warn(`survey-http: skipping part of the suite: ${why}`);

const dirs: string[] = [];
const procs: ChildProcess[] = [];
afterAll(() => {
  for (const p of procs) p.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The list a scope would hand the module; the planted pair is the third entry. */
const LIST: CredentialList = {
  id: 'survey-http-test-v1',
  entries: [
    { id: 'admin-admin', username: 'admin', password: 'admin' },
    { id: 'root-root', username: 'root', password: 'root' },
    { id: 'admin-planted', username: 'admin', password: `planted-${randomBytes(4).toString('hex')}` },
    { id: 'user-user', username: 'user', password: 'user' },
  ],
};
const PLANTED = LIST.entries[2] as { id: string; username: string; password: string };


function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sakimori-http-'));
  dirs.push(dir);
  return dir;
}

interface Site { port: number; dir: string; icon: Buffer; certPath?: string }

function selfSignedCert(dir: string, cn: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(OPENSSL, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '30',
    '-subj', `/O=Sakimori Survey Test/CN=${cn}`, '-addext', `subjectAltName=DNS:${cn},IP:${HOST}`, '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert, key };
}

async function startLighttpd(auth: { method: 'basic' | 'digest'; algorithm?: 'MD5' | 'SHA-256'; backend: 'plain' | 'htdigest' }, tls = false): Promise<Site> {
  const dir = workDir();
  const www = join(dir, 'www');
  mkdirSync(www);
  writeFileSync(join(www, 'index.html'), '<html><head><title>Sakimori Test Router</title></head><body>admin</body></html>\n');
  const icon = randomBytes(318);
  writeFileSync(join(www, 'favicon.ico'), icon);
  const realm = 'Sakimori Test';
  writeFileSync(join(dir, 'users.plain'), `${PLANTED.username}:${PLANTED.password}\n`);
  const ha1 = createHash('md5').update(`${PLANTED.username}:${realm}:${PLANTED.password}`).digest('hex');
  writeFileSync(join(dir, 'users.htdigest'), `${PLANTED.username}:${realm}:${ha1}\n`);
  const port = await freePort(HOST);
  let certPath: string | undefined;
  const lines = [
    `server.document-root = "${www}"`,
    `server.bind = "${HOST}"`,
    `server.port = ${port}`,
    `server.errorlog = "${join(dir, 'error.log')}"`,
    `server.modules = ("mod_auth", "mod_authn_file"${tls ? ', "mod_openssl"' : ''})`,
    'mimetype.assign = (".html" => "text/html; charset=utf-8", ".ico" => "image/x-icon")',
    'index-file.names = ("index.html")',
    `auth.backend = "${auth.backend}"`,
    `auth.backend.plain.userfile = "${join(dir, 'users.plain')}"`,
    `auth.backend.htdigest.userfile = "${join(dir, 'users.htdigest')}"`,
    // The favicon stays public (as on most devices); everything else asks for the login.
    '$HTTP["url"] !~ "^/favicon\\.ico$" {',
    `  auth.require = ( "/" => ( "method" => "${auth.method}", ${auth.algorithm !== undefined ? `"algorithm" => "${auth.algorithm}", ` : ''}"realm" => "${realm}", "require" => "valid-user" ) )`,
    '}',
  ];
  if (tls) {
    const c = selfSignedCert(dir, 'router.test');
    certPath = c.cert;
    lines.push('ssl.engine = "enable"', `ssl.pemfile = "${c.cert}"`, `ssl.privkey = "${c.key}"`);
  }
  const conf = join(dir, 'lighttpd.conf');
  writeFileSync(conf, `${lines.join('\n')}\n`);
  execFileSync(LIGHTTPD, ['-tt', '-f', conf], { stdio: 'pipe' });
  let log = '';
  const proc = spawn(LIGHTTPD, ['-D', '-f', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  proc.stderr?.on('data', (d: Buffer) => { log += d.toString(); });
  procs.push(proc);
  await waitPort(port, proc, () => `${log}${existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : ''}`, HOST);
  return { port, dir, icon, ...(certPath !== undefined ? { certPath } : {}) };
}

const target = (port: number) => ({ ip: HOST, port, transport: 'tcp' as const });
const ctxWith = (o: LoopbackContextOptions = {}) => loopbackContext({ readTimeoutMs: 3000, ...o });

function fingerprint(certPath: string): string {
  const out = execFileSync(OPENSSL, ['x509', '-in', certPath, '-noout', '-fingerprint', '-sha256']).toString();
  return (/=([0-9A-F:]+)/.exec(out)?.[1] ?? '').replace(/:/g, '').toLowerCase();
}

/** The planted password is random, so any trace of it (or of a Basic value) would show. */
function expectNoPassword(v: unknown): void {
  const json = JSON.stringify(v);
  expect(json).not.toContain(PLANTED.password);
  for (const e of LIST.entries) expect(json).not.toContain(Buffer.from(`${e.username}:${e.password}`).toString('base64'));
}

describe.skipIf(missingLighttpd !== '')('lighttpd with mod_auth and a planted default pair', () => {
  it.each([
    ['Basic (plain user file)', { method: 'basic', backend: 'plain' }, 'basic', undefined],
    ['Digest MD5 (htdigest file)', { method: 'digest', algorithm: 'MD5', backend: 'htdigest' }, 'digest', 'MD5'],
    ['Digest SHA-256 (plain user file)', { method: 'digest', algorithm: 'SHA-256', backend: 'plain' }, 'digest', 'SHA-256'],
  ] as const)('%s: exactly the planted entry is found, after three attempts', async (_label, auth, scheme, algorithm) => {
    const site = await startLighttpd(auth);
    const log: NonNullable<LoopbackContextOptions['log']> = [];
    const r = await httpModule.probe(target(site.port), ctxWith({ credentials: LIST, maxCredentialAttempts: 10, log }));
    const f = r.finding;
    expect(r.identified).toBe(true);
    expect(f).toMatchObject({
      service: 'http', status: 'open', error: '', http_status: 401, login_prompt: 1,
      weak_credential: 1, credential_list: LIST.id, credential_id: PLANTED.id,
    });
    expect(f.http_server).toMatch(/^lighttpd\/1\./);
    expect(f.http_www_authenticate).toMatch(scheme === 'basic' ? /^Basic realm="Sakimori Test"/ : new RegExp(`^Digest realm="Sakimori Test".*algorithm=${algorithm ?? ''}`));
    expect(f.http_favicon_hash).toBe(faviconHash(site.icon));
    const d = JSON.parse(f.details ?? '{}') as Record<string, unknown>;
    expect(d['credential_check']).toEqual({
      scheme, ...(algorithm !== undefined ? { algorithm } : {}), realm: 'Sakimori Test', attempts: 3, statuses: [401, 401, 200], result: 'accepted',
    });
    // "/", the favicon, then one connection per attempt, each audited with the list; nothing after the success.
    // (lighttpd delays each rejected credential by about a second: these tests take ~2 s each.)
    expect(log.map((l) => l.credentialListId ?? '-')).toEqual(['-', '-', LIST.id, LIST.id, LIST.id]);
    expectNoPassword(r);
  });

  it('no credential list from the scope: login prompt recorded, nothing tried', async () => {
    const site = await startLighttpd({ method: 'basic', backend: 'plain' });
    const log: NonNullable<LoopbackContextOptions['log']> = [];
    const r = await httpModule.probe(target(site.port), ctxWith({ log }));
    expect(r.finding).toMatchObject({ http_status: 401, login_prompt: 1 });
    expect(r.finding.weak_credential).toBeUndefined();
    expect(log.length).toBe(2);
  });

  it('attempt bound below the planted entry: nothing found, exactly that many attempts', async () => {
    const site = await startLighttpd({ method: 'basic', backend: 'plain' });
    const log: NonNullable<LoopbackContextOptions['log']> = [];
    const r = await httpModule.probe(target(site.port), ctxWith({ credentials: LIST, maxCredentialAttempts: 2, log }));
    expect(r.finding).toMatchObject({ weak_credential: 0, credential_list: LIST.id, credential_id: '' });
    expect(log.filter((l) => l.credentialListId === LIST.id).length).toBe(2);
  });

  it.skipIf(missingModOpenssl !== '' || missingOpenssl !== '')('HTTPS listener with a self-signed certificate: TLS facts and the planted pair', async () => {
    const site = await startLighttpd({ method: 'basic', backend: 'plain' }, true);
    const r = await httpsModule.probe(target(site.port), ctxWith({ credentials: LIST }));
    const f = r.finding;
    expect(r.identified).toBe(true);
    expect(f).toMatchObject({
      service: 'https', http_status: 401, login_prompt: 1, weak_credential: 1, credential_id: PLANTED.id,
      tls_self_signed: 1, tls_chain_length: 1, tls_subject: 'CN=router.test,O=Sakimori Survey Test', tls_issuer: 'CN=router.test,O=Sakimori Survey Test',
      tls_sans: ['router.test', HOST], tags: ['self-signed'],
    });
    expect(f.tls_fingerprint_sha256).toBe(fingerprint(site.certPath ?? ''));
    expect(f.tls_version).toMatch(/^TLSv1\.[23]$/);
    expect(f.http_favicon_hash).toBe(faviconHash(site.icon));
    expectNoPassword(r);
    // On a port no module expects: http fails on TLS, https identifies.
    const id = await identifyService(target(site.port), ctxWith(), [httpModule, httpsModule, tlsModule]);
    expect(id.finding.service).toBe('https');
    expect(id.finding.tls_fingerprint_sha256).toBe(fingerprint(site.certPath ?? ''));
  });
});

describe.skipIf(missingOpenssl !== '')('openssl s_server for the tls module', () => {
  it('self-signed, fingerprint as openssl prints it, subject RFC 4514', async () => {
    const dir = workDir();
    const c = selfSignedCert(dir, 'mqtt.test');
    const port = await freePort(HOST);
    let log = '';
    const proc = spawn(OPENSSL, ['s_server', '-accept', `${HOST}:${port}`, '-cert', c.cert, '-key', c.key, '-quiet'], { stdio: ['pipe', 'ignore', 'pipe'] });
    proc.stderr?.on('data', (d: Buffer) => { log += d.toString(); });
    procs.push(proc);
    await waitPort(port, proc, () => log, HOST);
    const r = await tlsModule.probe(target(port), ctxWith({ readTimeoutMs: 1000 }));
    expect(r.identified).toBe(true);
    expect(r.finding).toMatchObject({
      service: 'tls', status: 'open', error: '', tls_self_signed: 1, tls_chain_length: 1,
      tls_subject: 'CN=mqtt.test,O=Sakimori Survey Test', tls_sans: ['mqtt.test', HOST], tags: ['self-signed'],
    });
    expect(r.finding.tls_fingerprint_sha256).toBe(fingerprint(c.cert));
    expect(r.finding.tls_version).toMatch(/^TLSv1\.[23]$/);
    expect(r.finding.tls_cipher).toMatch(/^TLS_/);
  });
});
