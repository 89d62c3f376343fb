/**
 * Streams the lines of a text file, gunzipping on the fly when it starts with the gzip magic
 * (CAIDA publishes pfx2as as .gz; ip-location-db offers .csv.gz).
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { SakimoriError } from '../errors.js';

export async function isGzip(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/**
 * Calls `onLine` for each line with its 1-based number; `onLine` returning false stops early
 * (format sniffing reads only the start of the file).
 */
export async function forEachLine(file: string, onLine: (line: string, lineNo: number) => boolean | void): Promise<void> {
  const raw = createReadStream(file);
  let input: Readable = raw;
  if (await isGzip(file)) {
    const gunzip = createGunzip();
    // A truncated .gz must end the import with an error, not leave the stream waiting.
    raw.on('error', (e) => gunzip.destroy(e));
    input = raw.pipe(gunzip);
  }
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of lines) {
      if (onLine(line, ++n) === false) break;
    }
  } catch (e) {
    // Only stream errors arrive here: the line callbacks report problems, they do not throw.
    const code = (e as NodeJS.ErrnoException).code ?? '';
    const detail = e instanceof Error ? e.message : String(e);
    if (code.startsWith('Z_')) throw new SakimoriError('ENRICH_BAD_FORMAT', `compressed file is corrupt or truncated: ${detail}`, { file, line: n });
    throw new SakimoriError('INPUT_READ_FAILED', detail, { file, line: n });
  } finally {
    lines.close();
    raw.destroy();
    input.destroy();
  }
}
