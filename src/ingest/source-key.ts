import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';

const HEAD = 1 << 20;

/**
 * A quick identity for a regular file: its size and hashes of its first and last MiB, with the
 * sensor. It only lets a repeated ingest skip a whole file early; exactly-once does not depend
 * on it (batch tokens do that). Stdin and unreadable paths have none.
 */
export async function sourceKeyOf(file: string, sensor: string): Promise<string | undefined> {
  if (file === '-') return undefined;
  let st;
  try {
    st = await stat(file);
  } catch {
    return undefined;
  }
  if (!st.isFile()) return undefined;
  const fh = await open(file, 'r');
  try {
    const h = createHash('sha256').update(`${sensor}\0${st.size}\0`);
    const head = Buffer.alloc(Math.min(HEAD, st.size));
    await fh.read(head, 0, head.length, 0);
    h.update(head);
    if (st.size > HEAD) {
      const tailLen = Math.min(HEAD, st.size - HEAD);
      const tail = Buffer.alloc(tailLen);
      await fh.read(tail, 0, tailLen, st.size - tailLen);
      h.update(tail);
    }
    return `file:${h.digest('hex')}`;
  } finally {
    await fh.close();
  }
}
