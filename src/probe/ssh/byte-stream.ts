/**
 * Buffered, bounded reading from a socket: `read(parse)` waits until `parse` finds a complete
 * item at the start of the buffer, with a timeout per wait, a cap on the total bytes accepted,
 * and the survey's abort signal. Ends, resets and overruns become errors, never hangs.
 */
import type { Socket } from 'node:net';

export type Parse<T> = (buf: Buffer, consumedSoFar: number) => { value: T; used: number } | null;

export class ByteStream {
  private buf: Buffer = Buffer.alloc(0);
  private consumed = 0;
  private total = 0;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly sock: Socket, private readonly maxBytes: number, private readonly signal?: AbortSignal) {
    sock.on('data', (d: Buffer) => {
      this.total += d.length;
      if (this.total > maxBytes) {
        this.fail(new Error(`peer sent more than ${maxBytes} bytes`));
        sock.destroy();
        return;
      }
      this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d]);
      this.notify();
    });
    sock.on('end', () => this.fail(new Error('connection closed by peer')));
    sock.on('close', () => this.fail(new Error('connection closed')));
    sock.on('error', (e: Error) => this.fail(e));
  }

  /** Bytes received so far (all of them, including those already parsed). */
  get received(): number { return this.total; }
  /** Unparsed bytes (for error reports). */
  get pending(): Buffer { return this.buf; }

  private fail(e: Error): void {
    if (this.failure === null) this.failure = e;
    this.notify();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  async read<T>(parse: Parse<T>, timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = parse(this.buf, this.consumed);
      if (got !== null) {
        this.buf = this.buf.subarray(got.used);
        this.consumed += got.used;
        return got.value;
      }
      if (this.failure !== null) throw new Error(`${what}: ${this.failure.message} (after ${this.total} bytes)`);
      if (this.signal?.aborted === true) throw new Error(`${what}: aborted`);
      const left = deadline - Date.now();
      if (left <= 0) throw new TimeoutError(`${what}: no answer within ${timeoutMs} ms (after ${this.total} bytes)`);
      await new Promise<void>((resolve) => {
        const signal = this.signal;
        const done = (): void => {
          clearTimeout(t);
          signal?.removeEventListener('abort', done);
          this.wake = null;
          resolve();
        };
        const t = setTimeout(done, left);
        signal?.addEventListener('abort', done, { once: true });
        this.wake = done;
      });
    }
  }
}

export class TimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimeoutError';
  }
}
