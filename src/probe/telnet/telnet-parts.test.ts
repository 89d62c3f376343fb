import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../util/seeded-random.js';
import { DO, DONT, IAC, Negotiator, SB, SE, TelnetParser, WILL, WONT, encodeLine, type TelnetEvent } from './options.js';
import { hasFailureText, hasLockoutText, lastLine, otherProtocol, promptAtEnd, screenText } from './prompts.js';

/** Deterministic PRNG so a failing case can be replayed from its seed. */
const rng = seededRandom;

function feedAll(p: TelnetParser, chunks: Buffer[]): { text: Buffer; events: TelnetEvent[] } {
  const texts: Buffer[] = [];
  const events: TelnetEvent[] = [];
  for (const c of chunks) {
    const o = p.feed(c);
    texts.push(o.text);
    events.push(...o.events);
  }
  return { text: Buffer.concat(texts), events };
}

describe('telnet option parser', () => {
  it('splits text from negotiation, subnegotiation and commands; IAC IAC is a data byte', () => {
    const p = new TelnetParser();
    const o = p.feed(Buffer.from([0x41, IAC, DO, 24, 0x42, IAC, IAC, IAC, SB, 24, 1, IAC, IAC, IAC, SE, IAC, 241, 0x43]));
    expect([...o.text]).toEqual([0x41, 0x42, 0xff, 0x43]);
    expect(o.events).toEqual([
      { kind: 'negotiate', verb: 'DO', option: 24 },
      { kind: 'subnegotiation', option: 24, data: Buffer.from([1, 0xff]), truncated: false },
      { kind: 'command', code: 241 },
    ]);
    expect(p.midSequence).toBe(false);
  });

  it('sequences cut at every position give the same result as one read', () => {
    const stream = Buffer.from([IAC, WILL, 1, 0x61, IAC, SB, 31, 0, 80, 0, 24, IAC, SE, IAC, IAC, 0x62, IAC, DONT, 3]);
    const whole = new TelnetParser().feed(stream);
    for (let cut = 0; cut <= stream.length; cut++) {
      const r = feedAll(new TelnetParser(), [stream.subarray(0, cut), stream.subarray(cut)]);
      expect(r.text).toEqual(whole.text);
      expect(r.events).toEqual(whole.events);
    }
  });

  it('fuzz: random and truncated bytes, random splits: never throws, split-invariant, bounded', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const r = rng(seed);
      const len = Math.floor(r() * 600);
      // Biased towards IAC and the verbs so sequences are common.
      const pick = [IAC, IAC, DO, DONT, WILL, WONT, SB, SE, 0, 1, 3, 24, 31, 0x41, 0x0d, 0x0a];
      const bytes = Buffer.from(Array.from({ length: len }, () => (r() < 0.6 ? pick[Math.floor(r() * pick.length)] ?? 0 : Math.floor(r() * 256))));
      const whole = new TelnetParser().feed(bytes);
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length;) {
        const n = 1 + Math.floor(r() * 7);
        chunks.push(bytes.subarray(i, i + n));
        i += n;
      }
      const split = feedAll(new TelnetParser(), chunks);
      expect(split.text, `seed ${seed}`).toEqual(whole.text);
      expect(split.events, `seed ${seed}`).toEqual(whole.events);
      expect(whole.text.length).toBeLessThanOrEqual(bytes.length);
      for (const e of whole.events) if (e.kind === 'subnegotiation') expect(e.data.length).toBeLessThanOrEqual(512);
      // The negotiator answers each event with at most one 3-byte reply, and each refusal once.
      const n = new Negotiator();
      let replyBytes = 0;
      for (const e of whole.events) {
        const a = n.answer(e);
        expect(a.length === 0 || a.length === 3).toBe(true);
        replyBytes += a.length;
      }
      const negotiations = whole.events.filter((e) => e.kind === 'negotiate').length;
      expect(replyBytes).toBeLessThanOrEqual(negotiations * 3);
    }
  });

  it('the negotiator never loops: repeated requests are answered once, state changes are acknowledged', () => {
    const n = new Negotiator();
    const ask = (verb: 'WILL' | 'WONT' | 'DO' | 'DONT', option: number): number[] => [...n.answer({ kind: 'negotiate', verb, option })];
    expect(ask('DO', 24)).toEqual([IAC, WONT, 24]);
    expect(ask('DO', 24)).toEqual([]);
    expect(ask('WILL', 1)).toEqual([IAC, DO, 1]);
    expect(ask('WILL', 1)).toEqual([]);
    expect(ask('WONT', 1)).toEqual([IAC, DONT, 1]);
    expect(ask('WONT', 1)).toEqual([]);
    expect(ask('DO', 3)).toEqual([IAC, WILL, 3]);
    expect(ask('DONT', 3)).toEqual([IAC, WONT, 3]);
    expect(ask('DONT', 31)).toEqual([]);
    expect(ask('WILL', 31)).toEqual([IAC, DONT, 31]);
    expect(ask('DO', 1)).toEqual([IAC, WONT, 1]);
    expect(n.seen.replies).toEqual(['WONT TTYPE', 'DO ECHO', 'DONT ECHO', 'WILL SGA', 'WONT SGA', 'DONT NAWS', 'WONT ECHO']);
  });

  it('lines go out with CR LF and IAC doubled', () => {
    expect([...encodeLine('a\xff')]).toEqual([0x61, 0xc3, 0xbf, 0x0d, 0x0a]);
    expect([...encodeLine('')]).toEqual([0x0d, 0x0a]);
  });
});

describe('telnet prompts', () => {
  const sjis = (bytes: number[]): string => screenText(Buffer.from(bytes));
  it.each([
    ['login: ', 'login'], ['(none) login: ', 'login'], ['\r\nUsername: ', 'login'], ['User Name :', 'login'], ['user name:', 'login'],
    ['Login as: ', 'login'], ['LOGIN:', 'login'], ['ユーザー名: ', 'login'], ['ユーザ名：', 'login'], ['ログインID: ', 'login'],
    ['Password: ', 'password'], ['password:', 'password'], ['Password for admin: ', 'password'], ['パスワード：', 'password'], ['Enter Password:', 'password'],
    ['/ # ', 'shell'], ['$ ', 'shell'], ['root@OpenWrt:~# ', 'shell'], ['[admin@MikroTik] > ', 'shell'], ['[root@host ~]# ', 'shell'], ['RTX1200> ', 'shell'],
    ['\x1b[01;32muser@host\x1b[00m:\x1b[01;34m~\x1b[00m$ ', 'shell'], ['Router%', 'shell'],
  ])('%j is a %s prompt', (text, kind) => {
    expect(promptAtEnd(screenText(Buffer.from(text, 'utf8')))).toBe(kind);
  });

  it.each([
    ['Last login: Mon Jan  1 00:00:00 2024 from 10.0.0.1\r\n'], ['Welcome to the device\r\n'], ['<html><body>Hi</body></html>'],
    ['Press <Enter>'], [''], ['\r\n\r\n'], ['login: root\r\n'],
  ])('%j is no prompt', (text) => {
    expect(promptAtEnd(screenText(Buffer.from(text, 'utf8')))).toBeUndefined();
  });

  it('Japanese prompts in Shift_JIS and EUC-JP', () => {
    expect(promptAtEnd(sjis([0x83, 0x70, 0x83, 0x58, 0x83, 0x8f, 0x81, 0x5b, 0x83, 0x68, 0x3a, 0x20]))).toBe('password'); // パスワード: (Shift_JIS)
    expect(promptAtEnd(sjis([0xa5, 0xd1, 0xa5, 0xb9, 0xa5, 0xef, 0xa1, 0xbc, 0xa5, 0xc9, 0x3a, 0x20]))).toBe('password'); // パスワード: (EUC-JP)
  });

  it('failure, lockout, other protocols; last line', () => {
    expect(hasFailureText('\nLogin incorrect\n')).toBe(true);
    expect(hasFailureText('% Authentication failed.')).toBe(true);
    expect(hasFailureText('Welcome admin')).toBe(false);
    expect(hasLockoutText('Too many login failures, try again later')).toBe(true);
    expect(hasLockoutText('Login incorrect')).toBe(false);
    expect(otherProtocol('HTTP/1.1 400 Bad Request')).toBe(true);
    expect(otherProtocol('  SSH-2.0-OpenSSH_9.2')).toBe(true);
    expect(otherProtocol('login: ')).toBe(false);
    expect(lastLine('a\nb  \n\n')).toBe('b');
    expect(screenText(Buffer.from('a\r\0b\rc\x07\x1b[2Jd'))).toBe('a\nb\ncd');
  });
});
