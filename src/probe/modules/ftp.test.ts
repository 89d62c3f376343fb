import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { CredentialList } from '../module.js';
import { loopbackContext, type LoopbackContextOptions } from '../testing/loopback-context.js';
import { FtpReplyError, takeReply } from '../ftp/reply.js';
import { ANONYMOUS_PASSWORD } from '../ftp/login.js';
import { ftpModule } from './ftp.js';
import { peerFaultCases } from '../testing/peer-faults.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => { for (const c of closers.splice(0)) await c(); });

interface FakeFtpOptions {
  readonly greeting?: string;
  readonly anonymous?: boolean;
  readonly accounts?: Readonly<Record<string, string>>;
  /** Failed logins per connection before the server closes it (vsftpd max_login_fails, default 3). */
  readonly maxFails?: number;
  /** After this many failures in total, 421 "too many" on every later PASS. */
  readonly lockoutAfter?: number;
  readonly noFeat?: boolean;
  /** Reset the connection when PASS arrives. */
  readonly resetOnPass?: boolean;
}

interface FtpConnRecord { commands: string[]; afterLogin: string[] | null }

async function fakeFtp(o: FakeFtpOptions = {}): Promise<{ port: number; conns: FtpConnRecord[] }> {
  const conns: FtpConnRecord[] = [];
  const sockets = new Set<Socket>();
  let failsTotal = 0;
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    const rec: FtpConnRecord = { commands: [], afterLogin: null };
    conns.push(rec);
    let user = '';
    let fails = 0;
    let buf = '';
    s.write(o.greeting ?? '220-Welcome to the test FTP\r\n220-second line\r\n220 ready.\r\n');
    s.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      for (let i = buf.indexOf('\r\n'); i >= 0; i = buf.indexOf('\r\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        rec.commands.push(line);
        if (rec.afterLogin !== null) rec.afterLogin.push(line);
        const [cmd = '', ...rest] = line.split(' ');
        const arg = rest.join(' ');
        switch (cmd.toUpperCase()) {
          case 'FEAT': s.write(o.noFeat ? '500 Unknown command.\r\n' : '211-Features:\r\n EPRT\r\n PASV\r\n AUTH TLS\r\n UTF8\r\n211 End\r\n'); break;
          case 'SYST': s.write('215 UNIX Type: L8\r\n'); break;
          case 'USER': user = arg; s.write('331 Please specify the password.\r\n'); break;
          case 'PASS': {
            if (o.resetOnPass) { s.resetAndDestroy(); return; }
            const ok = (user === 'anonymous' && o.anonymous === true) || (user !== 'anonymous' && o.accounts?.[user] === arg);
            if (ok) { rec.afterLogin = []; s.write('230 Login successful.\r\n'); break; }
            fails++;
            failsTotal++;
            if (o.lockoutAfter !== undefined && failsTotal > o.lockoutAfter) { s.end('421 Too many login failures, try again later.\r\n'); return; }
            s.write('530 Login incorrect.\r\n');
            if (fails >= (o.maxFails ?? 3)) { s.end(); return; }
            break;
          }
          case 'QUIT': s.end('221 Goodbye.\r\n'); return;
          default: s.write('500 Unknown command.\r\n');
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }));
  const a = server.address();
  return { port: typeof a === 'object' && a !== null ? a.port : 0, conns };
}

async function raw(handler: (s: Socket) => void): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => { sockets.add(s); s.on('error', () => undefined); handler(s); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }));
  const a = server.address();
  return typeof a === 'object' && a !== null ? a.port : 0;
}

const PLANTED = 'Ftp-Pl4nted-9911';
const LIST: CredentialList = {
  id: 'ftp-test',
  entries: [
    { id: 'f-1', username: 'root', password: 'wrong-aaa-1' },
    { id: 'f-2', username: 'admin', password: 'wrong-bbb-2' },
    { id: 'f-3', username: 'admin', password: PLANTED },
    { id: 'f-4', username: 'user', password: 'never-ccc-4' },
  ],
};

const probe = (port: number, o: LoopbackContextOptions = {}) =>
  ftpModule.probe({ ip: '127.0.0.1', port, transport: 'tcp' }, loopbackContext({ readTimeoutMs: 1000, ...o }));
const details = (r: { finding: { details?: string } }): Record<string, unknown> => JSON.parse(r.finding.details ?? '{}') as Record<string, unknown>;
const settle = (): Promise<void> => new Promise((res) => setTimeout(res, 100));

describe('FTP replies', () => {
  it('single, multi-line, bare LF, in pieces, not FTP, over the bound', () => {
    expect(takeReply(Buffer.from('220 ready\r\n'))).toEqual({ value: { code: 220, lines: ['ready'] }, used: 11 });
    const multi = Buffer.from('211-Features:\r\n PASV\r\n211-x\r\n211 End\r\nrest');
    expect(takeReply(multi)).toEqual({ value: { code: 211, lines: ['Features:', ' PASV', 'x', 'End'] }, used: multi.length - 4 });
    expect(takeReply(Buffer.from('230 ok\n'))?.value.code).toBe(230);
    expect(takeReply(Buffer.from('220-a\r\n220'))).toBeNull();
    expect(takeReply(Buffer.from('22'))).toBeNull();
    expect(() => takeReply(Buffer.from('SSH-2.0-x\r\n'))).toThrow(FtpReplyError);
    expect(() => takeReply(Buffer.from([0, 1, 2, 3, 4]))).toThrow(/not an FTP reply/);
    expect(() => takeReply(Buffer.from(`220-${'a'.repeat(20000)}`))).toThrow(/longer than/);
    expect(() => takeReply(Buffer.from(`220-x\r\n${'l\r\n'.repeat(300)}`))).toThrow(/more than 200 lines/);
  });
});

describe('ftp module', () => {
  peerFaultCases(ftpModule);

  it('banner, FEAT, SYST and anonymous access: no_auth with tag ftp-anonymous; QUIT right after the login', async () => {
    const f = await fakeFtp({ anonymous: true });
    const r = await probe(f.port);
    expect(r.identified).toBe(true);
    expect(r.finding.service).toBe('ftp');
    expect(r.finding.status).toBe('open');
    expect(r.finding.banner).toBe('220-Welcome to the test FTP\\n220-second line\\n220 ready.');
    expect(r.finding.login_prompt).toBe(1);
    expect(r.finding.no_auth).toBe(1);
    expect(r.finding.tags).toEqual(['ftp-anonymous']);
    expect(r.finding.weak_credential ?? 0).toBe(0);
    expect(details(r)).toMatchObject({ greeting_code: 220, features: ['EPRT', 'PASV', 'AUTH TLS', 'UTF8'], auth_tls: true, syst: 'UNIX Type: L8', anonymous: { outcome: 'success', code: 230 } });
    await settle();
    expect(f.conns[0]?.commands).toEqual(['FEAT', 'SYST', 'USER anonymous', `PASS ${ANONYMOUS_PASSWORD}`, 'QUIT']);
    expect(f.conns[0]?.afterLogin).toEqual(['QUIT']);
  });

  it('anonymous refused: no_auth 0; no credential list: no other login', async () => {
    const f = await fakeFtp({ noFeat: true });
    const r = await probe(f.port);
    expect(r.finding.no_auth).toBe(0);
    expect(r.finding.tags).toBeUndefined();
    expect(details(r)).toMatchObject({ feat_code: 500, anonymous: { outcome: 'failure', code: 530 } });
    expect(f.conns).toHaveLength(1);
  });

  it('NOTICE check: stops at the first success, only QUIT after it, ids recorded, never a password', async () => {
    const f = await fakeFtp({ accounts: { admin: PLANTED } });
    const log: NonNullable<LoopbackContextOptions['log']> = [];
    const r = await probe(f.port, { credentials: LIST, log });
    expect(r.finding.weak_credential).toBe(1);
    expect(r.finding.credential_list).toBe('ftp-test');
    expect(r.finding.credential_id).toBe('f-3');
    expect(r.finding.tags).toEqual(['default-credential']);
    expect(details(r)['credential_check']).toEqual({ outcome: 'success', attempts: 3, connections: 1, entry: 'f-3', tried: ['f-1:failure:530', 'f-2:failure:530', 'f-3:success:230'] });
    await settle();
    // Connection 1: the anonymous check without the list id; connection 2: the list, audited as such.
    expect(log.map((l) => l.credentialListId ?? null)).toEqual([null, 'ftp-test']);
    expect(f.conns[1]?.afterLogin).toEqual(['QUIT']);
    expect(f.conns.flatMap((c) => c.commands).filter((c) => c.includes('never-ccc-4') || c === 'USER user')).toEqual([]);
    const json = JSON.stringify(r);
    for (const e of LIST.entries) expect(json).not.toContain(e.password);
  });

  it('attempt limit; reconnect after the server closes (max_login_fails), that close not counted', async () => {
    const list: CredentialList = { id: 'l', entries: Array.from({ length: 6 }, (_, i) => ({ id: `e-${i}`, username: 'root', password: `bad-${i}` })) };
    const f = await fakeFtp({ accounts: { root: PLANTED }, maxFails: 2 });
    const r = await probe(f.port, { credentials: list, maxCredentialAttempts: 5 });
    expect(r.finding.weak_credential ?? 0).toBe(0);
    expect(details(r)['credential_check']).toMatchObject({ outcome: 'exhausted', attempts: 5, connections: 3 });
    expect(f.conns.slice(1).flatMap((c) => c.commands).filter((c) => c.startsWith('PASS'))).toHaveLength(5);
  });

  it('lockout (421 too many) stops the check', async () => {
    const f = await fakeFtp({ accounts: { admin: PLANTED }, lockoutAfter: 2, maxFails: 10 });
    const r = await probe(f.port, { credentials: LIST });
    // The anonymous try was failure 1.
    expect(details(r)['credential_check']).toMatchObject({ outcome: 'lockout', attempts: 2 });
    expect(r.finding.weak_credential ?? 0).toBe(0);
  });

  it('reset during PASS: counted, no crash, bounded', async () => {
    const f = await fakeFtp({ resetOnPass: true });
    const r = await probe(f.port, { credentials: LIST, maxCredentialAttempts: 3 });
    expect(r.identified).toBe(true);
    expect(details(r)['anonymous']).toMatchObject({ outcome: 'closed' });
    expect(details(r)['credential_check']).toMatchObject({ outcome: 'exhausted', attempts: 3, tried: ['f-1:closed', 'f-2:closed', 'f-3:closed'] });
  });

  it('421 greeting: FTP, no login offered', async () => {
    const f = await fakeFtp({ greeting: '421 Too many users, try later.\r\n' });
    const r = await probe(f.port, { credentials: LIST });
    expect(r.identified).toBe(true);
    expect(r.finding.login_prompt ?? 0).toBe(0);
    expect(r.finding.error).toMatch(/greeting 421/);
  });

  it('garbage, another protocol, silence, refusal', async () => {
    const g = await raw((s) => s.write(Buffer.from([0x00, 0xff, 0x13, 0x37, 0x80])));
    const r1 = await probe(g);
    expect(r1.identified).toBe(false);
    expect(r1.finding.error).toMatch(/not an FTP reply/);
    expect(r1.finding.banner).toBe('\\x00\\xff\\x137\\x80');
    const sshp = await raw((s) => s.write('SSH-2.0-OpenSSH_9.2\r\n'));
    expect((await probe(sshp)).identified).toBe(false);
    const silent = await raw(() => undefined);
    const t0 = Date.now();
    const r3 = await probe(silent, { readTimeoutMs: 300 });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r3.finding.status).toBe('timeout');
    const closedPort = await raw(() => undefined);
    await closers.pop()?.();
    expect((await probe(closedPort)).finding.status).toBe('closed');
  });
});
