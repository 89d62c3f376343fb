/** A counting semaphore: bounds open sockets (file descriptors) across the scanner and the modules. */
export class Semaphore {
  private readonly waiters: { resolve: () => void; reject: (e: unknown) => void; signal: AbortSignal | undefined; onAbort: () => void }[] = [];
  private inUse = 0;
  /** Highest number held at once (for the benchmark and tests). */
  peak = 0;

  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new RangeError(`semaphore limit must be at least 1, got ${limit}`);
  }

  get held(): number {
    return this.inUse;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.inUse < this.limit && this.waiters.length === 0) {
      this.take();
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const w = {
        resolve, reject, signal,
        onAbort: () => {
          const i = this.waiters.indexOf(w);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', w.onAbort, { once: true });
      this.waiters.push(w);
    });
  }

  release(): void {
    const w = this.waiters.shift();
    if (w) {
      // The permit passes straight to the next waiter.
      w.signal?.removeEventListener('abort', w.onAbort);
      w.resolve();
      return;
    }
    if (this.inUse <= 0) throw new Error('semaphore released more often than acquired');
    this.inUse--;
  }

  private take(): void {
    this.inUse++;
    if (this.inUse > this.peak) this.peak = this.inUse;
  }
}
