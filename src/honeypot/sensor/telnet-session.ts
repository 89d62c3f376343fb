/**
 * One telnet client: negotiation, `login:` / `Password:`, then the shell, each step an event.
 * Lines are assembled from the data bytes (CR LF, CR NUL or LF end one; backspace deletes); a line
 * longer than the cap is cut, the rest dropped up to its end and counted, never held whole.
 */
import type { Socket } from 'node:net';
import { accepts, type CredentialSet } from './credentials.js';
import { SessionEvents, clientText } from './session-events.js';
import type { SensorLimits } from './sensor-limits.js';
import { Shell } from './shell.js';
import type { FirstValidLogins } from './valid-login-rejection.js';
import { ASK_TTYPE, SERVER_HELLO, TelnetDecoder } from './telnet-codec.js';

export interface TelnetSessionDeps {
  readonly limits: SensorLimits;
  readonly credentials: CredentialSet;
  readonly hostname: string;
  readonly counters: TelnetCounters;
  /** Valid logins refused the first time from an address; none: every valid login gets in. */
  readonly firstValid?: FirstValidLogins;
}

export interface TelnetCounters {
  sessions: number;
  logins: number;
  loginsAccepted: number;
  /** Valid pairs refused (the first from an address, by configuration). */
  loginsValidRefused: number;
  commands: number;
  linesCut: number;
  closed: Record<string, number>;
}

const BANNER = (host: string): string => `\r\n${host} login: `;
const SHELL_BANNER = '\r\n\r\nBusyBox v1.19.4 (2013-11-08 17:21:04 CST) built-in shell (ash)\r\nEnter \'help\' for a list of built-in commands.\r\n\r\n';
const PROMPT = '# ';

type Phase = 'login' | 'password' | 'shell' | 'closed';

export class TelnetSession {
  private phase: Phase = 'login';
  private readonly decoder: TelnetDecoder;
  private readonly shell: Shell;
  private line = '';
  /** Dropping the rest of a line that was too long, until its end. */
  private cutting = false;
  private lastCr = false;
  private username = '';
  private logins = 0;
  private commands = 0;
  private linesCut = 0;
  private bytesIn = 0;
  readonly startedAt = Date.now();
  lastByteAt = this.startedAt;
  /** When the prompt now waiting for a line was sent. */
  promptAt = this.startedAt;

  constructor(private readonly socket: Socket, readonly events: SessionEvents, private readonly deps: TelnetSessionDeps, private readonly onClosed: (s: TelnetSession) => void) {
    this.shell = new Shell(deps.limits, deps.hostname);
    this.decoder = new TelnetDecoder({
      willTtype: () => this.send(ASK_TTYPE),
      terminalType: (name) => events.emit('client.version', { client: name.slice(0, 64) }),
      windowSize: (w, h) => events.emit('client.fingerprint', { fingerprint: `naws:${w}x${h}` }),
    });
    deps.counters.sessions++;
    events.emit('session.connect');
    this.send(Buffer.concat([SERVER_HELLO, Buffer.from(BANNER(deps.hostname), 'latin1')]));
    socket.on('data', (b: Buffer) => this.data(b));
    socket.on('error', () => undefined);
    socket.on('close', () => this.close('client'));
  }

  /** Called by the server's sweep: closes a session past one of its time bounds. */
  sweep(now: number): void {
    const l = this.deps.limits;
    if (now - this.startedAt > l.lifetimeMs) this.close('lifetime');
    else if (now - this.lastByteAt > l.idleMs) this.close('idle');
    else if (now - this.promptAt > l.lineMs) this.close('slow');
  }

  close(reason: string): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    for (const { kind, ...e } of this.shell.finish()) this.events.emit(kind, e);
    const duration = (Date.now() - this.startedAt) / 1000;
    const detail: Record<string, string | number> = { reason, bytesIn: this.bytesIn };
    if (this.linesCut) detail['linesCut'] = this.linesCut;
    if (this.decoder.oversizedSubnegotiations) detail['oversizedSubnegotiations'] = this.decoder.oversizedSubnegotiations;
    this.events.emit('session.close', { duration, detail: JSON.stringify(detail) });
    this.deps.counters.closed[reason] = (this.deps.counters.closed[reason] ?? 0) + 1;
    if (reason !== 'client') {
      this.socket.end();
      setTimeout(() => this.socket.destroy(), 1000).unref();
    }
    this.onClosed(this);
  }

  private get closed(): boolean {
    return this.phase === 'closed';
  }

  private send(data: Buffer | string): void {
    if (this.phase === 'closed' || this.socket.destroyed) return;
    if (this.socket.writableLength > this.deps.limits.maxBacklogBytes) { this.close('backlog'); this.socket.destroy(); return; }
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  private data(chunk: Buffer): void {
    if (this.phase === 'closed') return;
    this.bytesIn += chunk.length;
    this.lastByteAt = Date.now();
    // What a chunk's lines answer (echo, output, prompt) goes out in one write, not one a part:
    // writes were the largest cost of a login ramp.
    this.socket.cork();
    try {
      this.lines(this.decoder.decode(chunk));
    } finally {
      this.socket.uncork();
    }
  }

  private lines(bytes: Buffer): void {
    const max = this.deps.limits.maxLineBytes;
    let start = 0;
    for (let i = 0; i < bytes.length && !this.closed; i++) {
      const b = bytes[i] as number;
      const endOfLine = b === 0x0a ? !this.lastCr : b === 0x0d;
      if (b === 0x0a && this.lastCr) { this.lastCr = false; start = i + 1; continue; }
      this.lastCr = b === 0x0d;
      if (b === 0x00 && i === start && this.line === '') { start = i + 1; continue; } // CR NUL
      if (endOfLine) {
        this.append(bytes, start, i, max);
        const line = this.line;
        this.line = '';
        start = i + 1;
        if (this.cutting) { this.cutting = false; continue; }
        this.lineDone(line);
      } else if (b === 0x08 || b === 0x7f) {
        this.append(bytes, start, i, max);
        this.line = this.line.slice(0, -1);
        start = i + 1;
      }
    }
    if (!this.closed) this.append(bytes, start, bytes.length, max);
  }

  /** Adds bytes[from, to) to the line, cutting at the cap. */
  private append(bytes: Buffer, from: number, to: number, max: number): void {
    if (to <= from || this.cutting) return;
    const room = max - this.line.length;
    if (to - from <= room) { this.line += bytes.toString('latin1', from, to); return; }
    this.line += bytes.toString('latin1', from, from + room);
    // The kept part is handled as the line; what follows, up to the line's end, is dropped.
    this.linesCut++;
    this.deps.counters.linesCut++;
    const line = this.line;
    this.line = '';
    this.lineDone(line);
    this.cutting = true;
  }

  private lineDone(raw: string): void {
    const line = raw.replace(/\0+$/, '');
    this.promptAt = Date.now();
    // The server said WILL ECHO: the client's line comes back, all but a password.
    if (this.phase !== 'password') this.send(line.slice(0, 1024));
    if (this.phase === 'login') {
      this.username = line.trim();
      this.phase = 'password';
      this.send('\r\nPassword: ');
    } else if (this.phase === 'password') {
      this.password(line);
    } else if (this.phase === 'shell') {
      this.command(line);
    }
  }

  private password(password: string): void {
    const valid = accepts(this.deps.credentials, this.username, password);
    const refused = valid && (this.deps.firstValid?.refuses(this.events.src) ?? false);
    const ok = valid && !refused;
    this.logins++;
    this.deps.counters.logins++;
    if (ok) this.deps.counters.loginsAccepted++;
    if (refused) this.deps.counters.loginsValidRefused++;
    this.events.emit('login', {
      username: clientText(this.username, 256), password: clientText(password, 256), success: ok ? 1 : 0,
      // A failed login all the same (what the bot saw); the detail says the pair is one we accept.
      ...(refused ? { detail: '{"validRefused":true}' } : {}),
    });
    if (ok) {
      this.phase = 'shell';
      this.send(`${SHELL_BANNER}${PROMPT}`);
      return;
    }
    if (this.logins >= this.deps.limits.maxLogins) { this.send('\r\nLogin incorrect\r\n'); this.close('logins'); return; }
    this.phase = 'login';
    this.send(`\r\nLogin incorrect\r\n${BANNER(this.deps.hostname)}`);
  }

  private command(line: string): void {
    if (line.trim() === '') { this.send(`\r\n${PROMPT}`); return; }
    this.commands++;
    this.deps.counters.commands++;
    const r = this.shell.run(line);
    this.events.emit('command', { input: clientText(line), success: r.known ? 1 : 0 });
    for (const { kind, ...e } of r.events) this.events.emit(kind, e);
    if (r.exit) { this.send('\r\n'); this.close('exit'); return; }
    this.send(`\r\n${r.output.replace(/\r?\n/g, '\r\n')}${PROMPT}`);
    if (this.commands >= this.deps.limits.maxCommands) this.close('commands');
  }
}
