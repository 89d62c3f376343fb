import { createReadStream, statSync } from 'node:fs';
import { SakimoriError } from '../errors.js';

export interface Input {
  stream: AsyncIterable<Uint8Array>;
  /** Bytes on disk, when known (for progress). */
  size?: number;
  /** The path as given (or "stdin"), for messages. */
  name: string;
}

/** Large reads: fewer chunks means fewer records straddling two of them and less overhead. */
const CHUNK = 4 * 1024 * 1024;

/** A file, or standard input for "-", read in large chunks. */
export function openInput(path: string): Input {
  if (path === '-') return { stream: process.stdin, name: 'stdin' };
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new SakimoriError('INPUT_READ_FAILED', 'is a directory', { file: path });
    size = st.size;
  } catch (e) {
    if (e instanceof SakimoriError) throw e;
    throw new SakimoriError('INPUT_NOT_FOUND', path, { file: path });
  }
  return { stream: createReadStream(path, { highWaterMark: CHUNK }), size, name: path };
}
