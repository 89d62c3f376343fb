/**
 * A scripted telnet server for tests (loopback only): optional option negotiation, a banner, a
 * login prompt, a password prompt, accounts, a failure limit per connection, a lockout, and a
 * record of everything each connection received — so tests can check which credentials were
 * tried and that nothing at all was sent after a successful login.
 */
import { createServer, type Server, type Socket } from 'node:net';

export interface FakeTelnetOptions {
  /** Sent first (IAC sequences and/or text). */
  readonly greeting?: Buffer | string;
  readonly loginPrompt?: Buffer | string;
  readonly passwordPrompt?: Buffer | string;
  /** No user name asked: the password prompt comes first (Cisco/YAMAHA style). */
  readonly passwordOnly?: boolean;
  /** user → password; for passwordOnly, any user key with the password. */
  readonly accounts?: Readonly<Record<string, string>>;
  /** Shown after a successful login. */
  readonly shell?: Buffer | string;
  readonly failure?: string;
  /** Failures per connection before the server closes it (default 3). */
  readonly maxTries?: number;
  /** After this many failures in total, a lockout message and close on every later try. */
  readonly lockoutAfter?: number;
  /** Wait this long before answering a password. */
  readonly delayMs?: number;
  /**
   * Send the line end at once when a password arrives, before the delay (BusyBox login: the
   * no-echo password read ends its line, then it sleeps 3 s before "Login incorrect").
   */
  readonly lineEndFirst?: boolean;
  /** Reset the connection when the user name arrives. */
  readonly resetOnUser?: boolean;
}

export interface ConnRecord {
  /** Everything received, IAC sequences included. */
  raw: Buffer;
  /** Lines received (IAC removed). */
  lines: string[];
  /** (user, password) pairs tried on this connection. */
  tries: { user: string; password: string }[];
  /** Bytes received after a successful login (must stay empty). */
  afterLogin: Buffer | null;
}

export interface FakeTelnet {
  readonly port: number;
  readonly conns: ConnRecord[];
  close(): Promise<void>;
}

/** Removes client IAC sequences (3-byte negotiation, SB … IAC SE) from what a client sent. */
export function stripIac(b: Buffer): Buffer {
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) {
    const c = b[i] ?? 0;
    if (c !== 255) { out.push(c); continue; }
    const v = b[i + 1] ?? 0;
    if (v >= 251 && v <= 254) { i += 2; continue; }
    if (v === 250) { const se = b.indexOf(Buffer.from([255, 240]), i); i = se < 0 ? b.length : se + 1; continue; }
    if (v === 255) { out.push(255); i += 1; continue; }
    i += 1;
  }
  return Buffer.from(out);
}

export async function startFakeTelnet(o: FakeTelnetOptions = {}): Promise<FakeTelnet> {
  const conns: ConnRecord[] = [];
  const sockets = new Set<Socket>();
  let failuresTotal = 0;
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    const rec: ConnRecord = { raw: Buffer.alloc(0), lines: [], tries: [], afterLogin: null };
    conns.push(rec);
    const loginPrompt = o.loginPrompt ?? 'login: ';
    const passwordPrompt = o.passwordPrompt ?? 'Password: ';
    let state: 'user' | 'password' | 'shell' = o.passwordOnly ? 'password' : 'user';
    let user = '';
    let pending = '';
    let fails = 0;
    // A function, so the check below is not narrowed away (onLine changes the state).
    const inShell = (): boolean => state === 'shell';
    if (o.greeting !== undefined) s.write(o.greeting);
    s.write(o.passwordOnly ? passwordPrompt : loginPrompt);
    const onLine = (line: string): void => {
      rec.lines.push(line);
      if (state === 'user') {
        if (o.resetOnUser) { s.resetAndDestroy(); return; }
        user = line;
        state = 'password';
        s.write(`${line}\r\n${typeof passwordPrompt === 'string' ? passwordPrompt : passwordPrompt.toString('latin1')}`);
        return;
      }
      if (state === 'password') {
        rec.tries.push({ user, password: line });
        const answer = (): void => {
          if (s.destroyed) return;
          if (o.lockoutAfter !== undefined && failuresTotal >= o.lockoutAfter) {
            s.end('\r\nToo many failed login attempts. Account locked, try again later.\r\n');
            return;
          }
          const ok = o.passwordOnly ? Object.values(o.accounts ?? {}).includes(line) : o.accounts?.[user] === line;
          if (ok) {
            state = 'shell';
            rec.afterLogin = Buffer.alloc(0);
            s.write(o.shell ?? '\r\n\r\nBusyBox v1.30.1 (2020-01-01) built-in shell (ash)\r\n\r\n# ');
            return;
          }
          fails++;
          failuresTotal++;
          if (fails >= (o.maxTries ?? 3)) { s.end(`\r\n${o.failure ?? 'Login incorrect'}\r\n`); return; }
          state = o.passwordOnly ? 'password' : 'user';
          s.write(`\r\n${o.failure ?? 'Login incorrect'}\r\n`);
          s.write(o.passwordOnly ? passwordPrompt : loginPrompt);
        };
        if (o.lineEndFirst === true) s.write('\r\n');
        if (o.delayMs) setTimeout(answer, o.delayMs); else answer();
      }
    };
    s.on('data', (d: Buffer) => {
      rec.raw = Buffer.concat([rec.raw, d]);
      if (state === 'shell') { rec.afterLogin = Buffer.concat([rec.afterLogin ?? Buffer.alloc(0), d]); return; }
      pending += stripIac(d).toString('utf8');
      for (;;) {
        const m = /\r\n|\r\0|\n/.exec(pending);
        if (m === null) break;
        const line = pending.slice(0, m.index);
        pending = pending.slice(m.index + m[0].length);
        onLine(line);
        if (s.destroyed || inShell()) break;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const a = server.address();
  const port = typeof a === 'object' && a !== null ? a.port : 0;
  return {
    port, conns,
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

/** A raw scripted server: the handler owns the socket. */
export async function startRawServer(handler: (s: Socket) => void): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); s.on('error', () => undefined); handler(s); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const a = server.address();
  const port = typeof a === 'object' && a !== null ? a.port : 0;
  return { port, close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }) };
}
