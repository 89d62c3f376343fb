/**
 * Reads a feed file as text chunks, plain or gzip (recognised by its magic bytes, whatever the
 * name), without holding the file in memory.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline, type Readable } from 'node:stream';
import { constants, createGunzip } from 'node:zlib';
import { SakimoriError, messageOf } from '../errors.js';

export async function isGzip(file: string): Promise<boolean> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new SakimoriError('INPUT_NOT_FOUND', file, { file });
    throw new SakimoriError('INPUT_READ_FAILED', messageOf(e), { file });
  }
  try {
    const b = Buffer.alloc(2);
    const { bytesRead } = await fh.read(b, 0, 2, 0);
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/**
 * Text chunks of the file (UTF-8), decompressed when it is gzip. A truncated gzip stream yields
 * what it holds (sync flush at the end) rather than an error, so the records before the cut are
 * kept and the JSON splitter names the record where the text stops.
 */
export async function openFeedText(file: string, highWaterMark = 1 << 20): Promise<Readable> {
  const gz = await isGzip(file);
  const raw = createReadStream(file, { highWaterMark });
  const s: Readable = gz ? pipeline(raw, createGunzip({ chunkSize: highWaterMark, finishFlush: constants.Z_SYNC_FLUSH }), () => undefined) : raw;
  s.setEncoding('utf8');
  return s;
}
