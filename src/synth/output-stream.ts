import { createGzip } from 'node:zlib';

/**
 * Where capture bytes go: `out` itself, or a gzip stream feeding `out` with back-pressure.
 * `done()` resolves when every byte has been accepted by `out` (which is not ended).
 */
export function captureSink(out: NodeJS.WritableStream, gzip: boolean): { sink: NodeJS.WritableStream; done: () => Promise<void> } {
  if (!gzip) return { sink: out, done: () => Promise.resolve() };
  // Level 1: compression is for disk space here, and the generator must stay fast.
  const gz = createGzip({ level: 1 });
  let pending = 0;
  let failed: Error | undefined;
  let settle: (() => void) | undefined;
  const check = (): void => { if (pending === 0 && ended && settle) settle(); };
  let ended = false;
  gz.on('data', (chunk: Buffer) => {
    pending++;
    const ok = out.write(chunk, (err?: Error | null) => {
      if (err) failed = err;
      pending--;
      check();
    });
    if (!ok) {
      gz.pause();
      out.once('drain', () => gz.resume());
    }
  });
  const finished = new Promise<void>((resolve, reject) => {
    gz.on('end', () => { ended = true; settle = () => (failed ? reject(failed) : resolve()); check(); });
    gz.on('error', reject);
  });
  return {
    sink: gz,
    done: () => {
      gz.end();
      return finished;
    },
  };
}
