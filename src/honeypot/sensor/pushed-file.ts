/**
 * A file written in a session (an `echo -e` dropper, a redirect, a copy). Its SHA-256 and size
 * cover every byte written; only the first `keep` bytes are held (for `cat`), so a session's
 * memory stays small whatever is pushed.
 */
import { createHash, type Hash } from 'node:crypto';

export class PushedFile {
  private hash: Hash = createHash('sha256');
  size = 0;
  kept = '';
  /** Written by the client (not only copied from the fake system): its hash is worth an event. */
  pushed = false;
  /** `sha256:size` last recorded as an upload, so the same content is recorded once. */
  recorded = '';
  /** Bytes refused because the file reached its cap. */
  refused = 0;

  constructor(private readonly keep: number, private readonly max: number) {}

  /** Appends latin1 text (one char per byte); returns false when the cap cut it. */
  write(text: string): boolean {
    const room = this.max - this.size;
    const part = text.length > room ? text.slice(0, Math.max(0, room)) : text;
    if (part.length) {
      this.hash.update(Buffer.from(part, 'latin1'));
      if (this.kept.length < this.keep) this.kept += part.slice(0, this.keep - this.kept.length);
      this.size += part.length;
    }
    this.refused += text.length - part.length;
    return part.length === text.length;
  }

  truncate(): void {
    this.hash = createHash('sha256');
    this.size = 0;
    this.kept = '';
    this.pushed = false;
  }

  digest(): string {
    return this.hash.copy().digest('hex');
  }

  copy(): PushedFile {
    const f = new PushedFile(this.keep, this.max);
    f.hash = this.hash.copy();
    f.size = this.size;
    f.kept = this.kept;
    f.pushed = this.pushed;
    return f;
  }
}
