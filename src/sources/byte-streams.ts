import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Passes chunks through, adding their lengths to `counted.bytes` (progress against the file size). */
export async function* countBytes(input: AsyncIterable<Uint8Array>, counted: { bytes: number }): AsyncGenerator<Uint8Array> {
  for await (const c of input) {
    counted.bytes += c.length;
    yield c;
  }
}

/**
 * Reads at least `n` bytes (fewer only if the input ends) and returns them with a stream that
 * yields them again followed by the rest of the input.
 */
export async function peek(input: AsyncIterable<Uint8Array>, n: number): Promise<{ head: Uint8Array; stream: AsyncIterable<Uint8Array> }> {
  const it = input[Symbol.asyncIterator]();
  const got: Uint8Array[] = [];
  let len = 0;
  while (len < n) {
    const r = await it.next();
    if (r.done) break;
    got.push(r.value);
    len += r.value.length;
  }
  const head = got.length === 1 ? (got[0] as Uint8Array) : Buffer.concat(got);
  async function* replay(): AsyncGenerator<Uint8Array> {
    try {
      if (head.length > 0) yield head;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      // Stopped early (corrupt input, abort, a failing consumer): release the source (file handle).
      await it.return?.();
    }
  }
  return { head, stream: replay() };
}

/**
 * Decompresses a gzip stream (several members too) in large pieces. An error of the source or
 * of the decompression (a cut or damaged file) surfaces as an error of the iteration, after
 * every byte that could be decompressed before it.
 */
export function gunzip(input: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const inflate = createGunzip({ chunkSize: 1 << 20 });
  // pipeline, not pipe: an error of the source must reach (and end) the decompressor.
  pipeline(Readable.from(input, { objectMode: false }), inflate, () => undefined);
  return inflate;
}
