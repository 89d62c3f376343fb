/**
 * One telnet connection as a bounded screen: options are answered as they arrive (see
 * options.ts), text accumulates (at most `maxBytes` received per connection), and `waitFor`
 * waits for a decision on the text received since the last mark, with a first-byte timeout, an
 * idle timeout once text flows, an overall cap and the survey's abort signal. Nothing here
 * throws for what the peer does; ends and resets are reported as the wait's outcome.
 */
import type { Socket } from 'node:net';
import { Negotiator, TelnetParser, encodeLine } from './options.js';

export interface WaitLimits {
  /** No byte at all within this time: 'timeout'. */
  readonly firstMs: number;
  /** Some text came, then nothing for this long: 'idle'. */
  readonly idleMs: number;
  /** Hard cap on the whole wait. */
  readonly capMs: number;
}

export type WaitEnd = 'matched' | 'idle' | 'timeout' | 'closed' | 'aborted' | 'overflow';

export interface WaitResult<T> {
  readonly end: WaitEnd;
  readonly value?: T;
  /** Text (bytes, options removed) received since the mark. */
  readonly text: Buffer;
}

export class TelnetConnection {
  readonly parser = new TelnetParser();
  readonly negotiator: Negotiator;
  /** True once any IAC negotiation arrived. */
  sawIac = false;
  private received = 0;
  private sinceMark: Buffer[] = [];
  private sinceMarkLen = 0;
  private closedWhy: string | undefined;
  private overflow = false;
  private wake: (() => void) | null = null;
  private lastDataAt = 0;

  constructor(private readonly sock: Socket, private readonly maxBytes: number, private readonly signal: AbortSignal, negotiator?: Negotiator) {
    this.negotiator = negotiator ?? new Negotiator();
    sock.on('data', (d: Buffer) => this.onData(d));
    sock.on('end', () => this.onClose('connection closed by peer'));
    sock.on('close', () => this.onClose('connection closed'));
    sock.on('error', (e: Error) => this.onClose(e.message));
  }

  /** Why the connection ended (undefined while open). */
  get closed(): string | undefined { return this.closedWhy; }
  get bytesReceived(): number { return this.received; }

  private onData(d: Buffer): void {
    if (this.overflow) return;
    const room = this.maxBytes - this.received;
    const chunk = d.length > room ? d.subarray(0, room) : d;
    this.received += chunk.length;
    this.lastDataAt = Date.now();
    const out = this.parser.feed(chunk);
    const replies: Buffer[] = [];
    for (const e of out.events) {
      if (e.kind === 'negotiate' || e.kind === 'subnegotiation') this.sawIac = true;
      const r = this.negotiator.answer(e);
      if (r.length > 0) replies.push(r);
    }
    if (replies.length > 0) this.write(Buffer.concat(replies));
    if (out.text.length > 0) {
      this.sinceMark.push(out.text);
      this.sinceMarkLen += out.text.length;
    }
    if (d.length > room) {
      this.overflow = true;
      this.sock.destroy();
    }
    this.notify();
  }

  private onClose(why: string): void {
    this.closedWhy ??= why;
    this.notify();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private write(b: Buffer): void {
    if (this.closedWhy === undefined && !this.sock.destroyed && this.sock.writable) this.sock.write(b);
  }

  /** The text received since the last mark. */
  text(): Buffer {
    if (this.sinceMark.length > 1) this.sinceMark = [Buffer.concat(this.sinceMark, this.sinceMarkLen)];
    return this.sinceMark[0] ?? Buffer.alloc(0);
  }

  /** Forgets the text so far: the next wait looks only at what comes after. */
  mark(): void {
    this.sinceMark = [];
    this.sinceMarkLen = 0;
  }

  /** Sends one line (CR LF appended, IAC doubled). */
  sendLine(s: string): void {
    this.write(encodeLine(s));
  }

  /** Ends the connection at once (nothing more is sent). */
  destroy(): void {
    this.sock.destroy();
    this.closedWhy ??= 'closed by us';
  }

  async waitFor<T>(decide: (text: Buffer) => T | undefined, lim: WaitLimits): Promise<WaitResult<T>> {
    const started = Date.now();
    const startBytes = this.received;
    for (;;) {
      const text = this.text();
      const v = decide(text);
      if (v !== undefined) return { end: 'matched', value: v, text };
      if (this.overflow) return { end: 'overflow', text };
      if (this.closedWhy !== undefined) return { end: 'closed', text };
      if (this.signal.aborted) return { end: 'aborted', text };
      const now = Date.now();
      const capLeft = started + lim.capMs - now;
      const got = this.received > startBytes;
      const left = Math.min(capLeft, got ? this.lastDataAt + lim.idleMs - now : started + lim.firstMs - now);
      if (left <= 0) return { end: capLeft <= 0 || !got ? 'timeout' : 'idle', text };
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(t);
          this.signal.removeEventListener('abort', done);
          this.wake = null;
          resolve();
        };
        const t = setTimeout(done, left);
        this.signal.addEventListener('abort', done, { once: true });
        this.wake = done;
      });
    }
  }
}
