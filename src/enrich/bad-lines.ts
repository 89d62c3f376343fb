/** Counts skipped lines and keeps the first few, with their numbers, for the summary. */
import type { BadLine } from './manifest.js';

const KEEP = 10;
const TEXT_LIMIT = 120;

export class BadLineLog {
  count = 0;
  readonly first: BadLine[] = [];

  add(line: number, reason: string, text: string): void {
    this.count++;
    if (this.first.length < KEEP) {
      this.first.push({ line, reason, text: text.length > TEXT_LIMIT ? text.slice(0, TEXT_LIMIT) + '…' : text });
    }
  }
}
