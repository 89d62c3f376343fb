import { TextEncoder } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { CredentialList } from '../module.js';
import { loopbackContext, type LoopbackContextOptions } from '../testing/loopback-context.js';
import { startFakeTelnet, startRawServer, type FakeTelnetOptions } from '../telnet/testing/fake-telnet-server.js';
import { telnetModule } from './telnet.js';
import { peerFaultCases } from '../testing/peer-faults.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => { for (const c of closers.splice(0)) await c(); });

async function fake(o: FakeTelnetOptions) {
  const f = await startFakeTelnet(o);
  closers.push(f.close);
  return f;
}
async function raw(handler: Parameters<typeof startRawServer>[0]) {
  const r = await startRawServer(handler);
  closers.push(r.close);
  return r.port;
}

const PLANTED = 'Pl4nted-Secret-7788';
const LIST: CredentialList = {
  id: 'test-list',
  entries: [
    { id: 't-1', username: 'root', password: 'wrong-one-111' },
    { id: 't-2', username: 'admin', password: 'wrong-two-222' },
    { id: 't-3', username: 'admin', password: PLANTED },
    { id: 't-4', username: 'root', password: 'never-tried-444' },
  ],
};
const ALL_PASSWORDS = LIST.entries.map((e) => e.password);

const probe = (port: number, o: LoopbackContextOptions = {}) =>
  telnetModule.probe({ ip: '127.0.0.1', port, transport: 'tcp' }, loopbackContext({ readTimeoutMs: 1000, ...o }));

function details(r: { finding: { details?: string } }): Record<string, unknown> {
  return JSON.parse(r.finding.details ?? '{}') as Record<string, unknown>;
}

function expectNoPassword(r: unknown, passwords: readonly string[] = ALL_PASSWORDS): void {
  const json = JSON.stringify(r);
  for (const p of passwords) expect(json).not.toContain(p);
}

const IAC = 255, DO = 253, DONT = 254, WILL = 251, WONT = 252;
const BUSYBOX_NEG = Buffer.from([IAC, DO, 1, IAC, DO, 31, IAC, WILL, 1, IAC, WILL, 3]);

describe('telnet module: negotiation and prompts', () => {
  peerFaultCases(telnetModule);

  it('answers DO with WONT and WILL with DONT, accepts ECHO/SGA, once per option, records them', async () => {
    // inetutils-style: TTYPE, TSPEED, NEW-ENVIRON asked first; then ECHO/SGA; then a repeat of DO TTYPE.
    const neg = Buffer.from([IAC, DO, 24, IAC, DO, 32, IAC, DO, 39, IAC, WILL, 1, IAC, WILL, 3, IAC, DO, 3, IAC, DO, 24, IAC, DONT, 24]);
    const f = await fake({ greeting: Buffer.concat([neg, Buffer.from('\r\nDebian GNU/Linux 12\r\n')]) });
    const r = await probe(f.port);
    expect(r.identified).toBe(true);
    expect(r.finding.service).toBe('telnet');
    expect(r.finding.login_prompt).toBe(1);
    expect(r.finding.no_auth).toBe(0);
    expect(r.finding.weak_credential ?? 0).toBe(0);
    expect(r.finding.credential_list ?? '').toBe('');
    expect(r.finding.banner).toBe('\\r\\nDebian GNU/Linux 12\\r\\nlogin: ');
    const d = details(r);
    expect(d['options']).toEqual({ will: ['ECHO', 'SGA'], wont: [], do: ['TTYPE', 'TSPEED', 'NEW-ENVIRON', 'SGA'], dont: ['TTYPE'], sb: [] });
    expect(d['replies']).toEqual(['WONT TTYPE', 'WONT TSPEED', 'WONT NEW-ENVIRON', 'DO ECHO', 'DO SGA', 'WILL SGA']);
    expect(d['server_echo']).toBe(true);
    expect(d['prompt']).toBe('login');
    // What reached the server: exactly our replies, no user name without a credential list.
    await new Promise((res) => setTimeout(res, 100));
    const c0 = f.conns[0];
    expect(c0?.raw).toEqual(Buffer.from([IAC, WONT, 24, IAC, WONT, 32, IAC, WONT, 39, IAC, DO, 1, IAC, DO, 3, IAC, WILL, 3]));
    expect(c0?.lines).toEqual([]);
  });

  it('recognises prompt variants: Username, User Name, Password-only, Japanese in Shift_JIS and UTF-8', async () => {
    const sjis = Buffer.from([0x83, 0x86, 0x81, 0x5b, 0x83, 0x55, 0x81, 0x5b, 0x96, 0xbc, 0x3a, 0x20]); // ユーザー名:
    const cases: [FakeTelnetOptions, string][] = [
      [{ loginPrompt: '\r\nUser Access Verification\r\n\r\nUsername: ' }, 'login'],
      [{ loginPrompt: 'User Name :' }, 'login'],
      [{ loginPrompt: '\x1b[1;32mMikroTik\x1b[0m Login: ' }, 'login'],
      [{ passwordOnly: true, passwordPrompt: '\r\nPassword: ' }, 'password'],
      [{ loginPrompt: sjis }, 'login'],
      [{ loginPrompt: Buffer.from(new TextEncoder().encode('\r\nログイン名：')) }, 'login'],
    ];
    for (const [o, want] of cases) {
      const f = await fake({ greeting: BUSYBOX_NEG, ...o });
      const r = await probe(f.port);
      expect(r.finding.login_prompt, JSON.stringify(o)).toBe(1);
      expect(details(r)['prompt']).toBe(want);
    }
  });

  it('a shell without any login is no_auth; nothing is sent, even with a credential list', async () => {
    const port = await raw((s) => {
      s.write(Buffer.concat([BUSYBOX_NEG, Buffer.from('\r\n\r\nBusyBox v1.22.1 (2015-05-05) built-in shell (ash)\r\nEnter \'help\' for a list of built-in commands.\r\n\r\n/ # ')]));
      const got: Buffer[] = [];
      s.on('data', (d: Buffer) => got.push(d));
      s.on('close', () => { received.push(Buffer.concat(got)); });
    });
    const received: Buffer[] = [];
    const log: NonNullable<LoopbackContextOptions['log']> = [];
    const r = await probe(port, { credentials: LIST, log });
    expect(r.finding.no_auth).toBe(1);
    expect(r.finding.login_prompt).toBe(0);
    expect(r.finding.weak_credential ?? 0).toBe(0);
    expect(r.finding.tags).toEqual(['telnet-no-auth']);
    await new Promise((res) => setTimeout(res, 100));
    // Only the negotiation answers went out: no line, no command.
    expect(received[0]).toEqual(Buffer.from([IAC, WONT, 1, IAC, WONT, 31, IAC, DO, 1, IAC, DO, 3]));
    expect(log).toHaveLength(1);
  });

  it('silent server: one nudge, then a timeout within the bound; not identified', async () => {
    const port = await raw(() => undefined);
    const t0 = Date.now();
    const r = await probe(port, { readTimeoutMs: 300 });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.identified).toBe(false);
    expect(r.finding.status).toBe('timeout');
    expect(r.finding.error).toMatch(/no answer within 300 ms/);
  });

  it('a server that needs Enter before its prompt is found after the nudge', async () => {
    const port = await raw((s) => {
      s.write('Welcome to the device\r\nPress Enter to continue\r\n');
      s.once('data', () => s.write('\r\nlogin: '));
    });
    const r = await probe(port, { readTimeoutMs: 400 });
    expect(r.finding.login_prompt).toBe(1);
    expect(details(r)['nudged']).toBe(true);
  });

  it('garbage and other protocols are not telnet; no crash', async () => {
    const g = await raw((s) => { s.write(Buffer.from([0x00, 0x13, 0x37, 0x80, 0x01, 0x02])); });
    const r1 = await probe(g, { readTimeoutMs: 300 });
    expect(r1.identified).toBe(false);
    expect(r1.finding.status).toBe('error');
    expect(r1.finding.banner).toBe('\\x00\\x137\\x80\\x01\\x02');
    const h = await raw((s) => { s.once('data', () => s.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 11\r\n\r\n<html></html>')); });
    const r2 = await probe(h, { readTimeoutMs: 300 });
    expect(r2.identified).toBe(false);
    expect(r2.finding.no_auth ?? 0).toBe(0);
    expect(r2.finding.error).toMatch(/another protocol/);
  });

  it('garbage with IAC bytes inside: parsed without a crash, identified by the negotiation', async () => {
    const port = await raw((s) => { s.write(Buffer.from([IAC, 250, 24, 1, 2, 3, IAC, 7, IAC, IAC, 0x41, IAC, WILL])); });
    const r = await probe(port, { readTimeoutMs: 300 });
    expect(r.identified).toBe(true);
    expect(r.finding.login_prompt).toBe(0);
  });

  it('endless output is cut at 64 KiB', async () => {
    const port = await raw((s) => { const chunk = Buffer.alloc(16384, 0x41); for (let i = 0; i < 8; i++) s.write(chunk); });
    const r = await probe(port, { readTimeoutMs: 500 });
    expect(r.identified).toBe(false);
    expect(r.finding.banner?.length).toBeLessThanOrEqual(4096);
  });

});

describe('telnet module: NOTICE default-credential check', () => {
  it('tries entries in order, stops at the first success, sends nothing after the login, records only ids', async () => {
    const f = await fake({ greeting: BUSYBOX_NEG, accounts: { admin: PLANTED }, maxTries: 5 });
    const log: NonNullable<LoopbackContextOptions['log']> = [];
    const r = await probe(f.port, { credentials: LIST, log });
    expect(r.finding.login_prompt).toBe(1);
    expect(r.finding.weak_credential).toBe(1);
    expect(r.finding.credential_list).toBe('test-list');
    expect(r.finding.credential_id).toBe('t-3');
    expect(r.finding.tags).toEqual(['default-credential']);
    expect(f.conns).toHaveLength(1);
    expect(f.conns[0]?.tries.map((t) => t.user)).toEqual(['root', 'admin', 'admin']);
    await new Promise((res) => setTimeout(res, 100));
    expect(f.conns[0]?.afterLogin).toEqual(Buffer.alloc(0));
    expect(details(r)['credential_check']).toEqual({ outcome: 'success', attempts: 3, connections: 1, entry: 't-3', password_asked: true, tried: ['t-1:failure', 't-2:failure', 't-3:success'] });
    expect(log.map((l) => l.credentialListId)).toEqual(['test-list']);
    expectNoPassword(r);
  });

  it('stops at the attempt limit', async () => {
    const f = await fake({ greeting: BUSYBOX_NEG, accounts: { admin: PLANTED }, maxTries: 10 });
    const r = await probe(f.port, { credentials: LIST, maxCredentialAttempts: 2 });
    expect(r.finding.weak_credential ?? 0).toBe(0);
    expect(r.finding.credential_list).toBe('test-list');
    expect(f.conns.flatMap((c) => c.tries)).toHaveLength(2);
    expect(details(r)['credential_check']).toMatchObject({ outcome: 'exhausted', attempts: 2 });
    expectNoPassword(r);
  });

  it('reconnects when the server closes after its failure limit; every connection carries the list id', async () => {
    const list: CredentialList = { id: 'l2', entries: [...['a', 'b', 'c', 'd'].map((x) => ({ id: `w-${x}`, username: 'root', password: `bad-${x}-pw` })), { id: 'w-ok', username: 'root', password: PLANTED }] };
    const f = await fake({ greeting: BUSYBOX_NEG, accounts: { root: PLANTED }, maxTries: 2 });
    const log: NonNullable<LoopbackContextOptions['log']> = [];
    const r = await probe(f.port, { credentials: list, log });
    expect(r.finding.credential_id).toBe('w-ok');
    expect(f.conns.map((c) => c.tries.length)).toEqual([2, 2, 1]);
    expect(log.every((l) => l.credentialListId === 'l2')).toBe(true);
    expect(log).toHaveLength(3);
    expectNoPassword(r, list.entries.map((e) => e.password));
  });

  it('a lockout message stops the check', async () => {
    const f = await fake({ greeting: BUSYBOX_NEG, accounts: { admin: PLANTED }, lockoutAfter: 2, maxTries: 10 });
    const r = await probe(f.port, { credentials: LIST });
    expect(r.finding.weak_credential ?? 0).toBe(0);
    expect(details(r)['credential_check']).toMatchObject({ outcome: 'lockout', attempts: 3 });
    expect(f.conns.flatMap((c) => c.tries)).toHaveLength(3);
  });

  it('slow answers, and a server that closes after each failure: failures, then the success on a new connection', async () => {
    const f = await fake({ greeting: BUSYBOX_NEG, accounts: { admin: PLANTED }, delayMs: 200, maxTries: 1 });
    const r = await probe(f.port, { credentials: LIST });
    expect(r.finding.credential_id).toBe('t-3');
    expect(f.conns).toHaveLength(3);
  });

  it('BusyBox login: the line end at once, the verdict after a pause longer than the idle wait: failures on one connection', async () => {
    // readTimeoutMs 1000 → idle wait 1000 ms; the verdict comes 1300 ms after the echoed line end.
    const f = await fake({ greeting: BUSYBOX_NEG, accounts: { admin: PLANTED }, delayMs: 1300, lineEndFirst: true, maxTries: 10 });
    const r = await probe(f.port, { credentials: LIST });
    expect(r.finding.credential_id).toBe('t-3');
    expect(details(r)['credential_check']).toMatchObject({ tried: ['t-1:failure', 't-2:failure', 't-3:success'] });
    expect(f.conns).toHaveLength(1);
    expectNoPassword(r);
  });

  it('password-only service: only passwords are sent, each once', async () => {
    const list: CredentialList = { id: 'p', entries: [
      { id: 'p-1', username: 'root', password: 'same-pw-1' }, { id: 'p-2', username: 'admin', password: 'same-pw-1' },
      { id: 'p-3', username: 'x', password: PLANTED },
    ] };
    const f = await fake({ passwordOnly: true, accounts: { any: PLANTED }, shell: '\r\nRTX1200> ' });
    const r = await probe(f.port, { credentials: list });
    expect(r.finding.credential_id).toBe('p-3');
    expect(f.conns[0]?.lines).toEqual(['same-pw-1', PLANTED]);
    expect(details(r)['credential_check']).toMatchObject({ attempts: 2 });
    expectNoPassword(r, ['same-pw-1', PLANTED]);
  });

  it('a colored bash prompt after "Last failed login" lines is a success', async () => {
    const f = await fake({ accounts: { root: PLANTED }, shell: '\r\nLast failed login: Mon Jan 1 on pts/0\r\nThere was 1 failed login attempt since the last successful login.\r\n\x1b[01;31mroot@host\x1b[00m:~# ' });
    const r = await probe(f.port, { credentials: { id: 'x', entries: [{ id: 'x-1', username: 'root', password: PLANTED }] } });
    expect(r.finding.weak_credential).toBe(1);
  });

  it('reset right after the user name: no crash, attempts bounded, no success', async () => {
    const f = await fake({ greeting: BUSYBOX_NEG, resetOnUser: true });
    const r = await probe(f.port, { credentials: LIST, maxCredentialAttempts: 3 });
    expect(r.identified).toBe(true);
    expect(r.finding.weak_credential ?? 0).toBe(0);
    const cc = details(r)['credential_check'] as { attempts: number; outcome: string; tried: string[] };
    expect(cc).toMatchObject({ outcome: 'exhausted', attempts: 3, tried: ['t-1:closed', 't-2:closed', 't-3:closed'] });
    expect(f.conns.length).toBeLessThanOrEqual(4);
    expectNoPassword(r);
  });

  it('entries with line breaks are never sent', async () => {
    const f = await fake({ greeting: BUSYBOX_NEG, accounts: { root: 'x' } });
    const r = await probe(f.port, { credentials: { id: 'bad', entries: [{ id: 'b-1', username: 'root\r\nrm -rf /', password: 'x' }] } });
    expect(r.finding.credential_list ?? '').toBe('');
    expect(f.conns[0]?.lines).toEqual([]);
  });

  it('a stopped survey ends the check promptly', async () => {
    const f = await fake({ greeting: BUSYBOX_NEG, delayMs: 5000 });
    const c = loopbackContext({ readTimeoutMs: 10_000, credentials: LIST });
    setTimeout(() => c.abort(), 300);
    const t0 = Date.now();
    const r = await telnetModule.probe({ ip: '127.0.0.1', port: f.port, transport: 'tcp' }, c);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(r.finding.weak_credential ?? 0).toBe(0);
  });
});
