/**
 * A small streaming splitter for the feeds: finds the array under one key of the top-level
 * object (`vulnerabilities` in KEV and NVD JSON 2.0) and hands out each element's JSON text as
 * soon as it is complete, so a file of hundreds of MB is never parsed (or held) whole. The other
 * top-level members with scalar values (`catalogVersion`, `timestamp`, `format` …) are collected
 * in `head`.
 *
 * It only tracks what it needs: nesting depth and strings (with escapes, across chunk
 * boundaries). An element is handed out as text; its own syntax is checked by JSON.parse in the
 * caller, so a corrupt record costs that record only — unless it unbalances the brackets, in
 * which case the rest of the file is one unterminated record and `end()` names where it began.
 */
export interface SplitEnd {
  /** The array was closed and the top-level object ended. */
  readonly complete: boolean;
  /** Why not, naming the record (0-based element index) where the text stopped making sense. */
  readonly error?: string;
}

const WS = new Set([0x20, 0x0a, 0x0d, 0x09, 0xfeff]);

export class JsonArraySplitter {
  readonly head: Record<string, unknown> = {};
  /** Elements started so far (the next element's index). */
  elements = 0;
  /** Characters consumed so far. */
  offset = 0;

  private depth = 0;
  private inString = false;
  private escaped = false;
  private rootDone = false;
  private arrayFound = false;
  private arrayDone = false;
  private inTarget = false;
  /** Element capture: pieces from earlier chunks; capStart in the current chunk, -1 when none. */
  private capPieces: string[] = [];
  private capturing = false;
  private capStart = -1;
  private capPrimitive = false;
  /** Depth-1 member parsing: 'key' | 'colon' | 'value' | 'after'. */
  private phase: 'key' | 'colon' | 'value' | 'after' = 'key';
  private key = '';
  private strPieces: string[] | undefined;
  private strStart = -1;
  private scalar = '';
  private fatal: string | undefined;

  constructor(private readonly arrayKey: string) {}

  /** Feeds a chunk; returns the texts of the elements completed in it. */
  push(chunk: string): string[] {
    const out: string[] = [];
    if (this.fatal !== undefined || this.rootDone) {
      this.offset += chunk.length;
      return out;
    }
    const n = chunk.length;
    let i = 0;
    if (this.capturing) this.capStart = 0;
    if (this.strPieces) this.strStart = 0;
    while (i < n) {
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
          i++;
          continue;
        }
        const q = chunk.indexOf('"', i);
        if (q < 0) {
          let b = 0;
          for (let k = n - 1; k >= i && chunk.charCodeAt(k) === 92; k--) b++;
          this.escaped = b % 2 === 1;
          i = n;
          break;
        }
        let b = 0;
        for (let k = q - 1; k >= i && chunk.charCodeAt(k) === 92; k--) b++;
        if (b % 2 === 1) {
          i = q + 1;
          continue;
        }
        this.inString = false;
        i = q + 1;
        if (this.strPieces) {
          this.strPieces.push(chunk.slice(this.strStart, q));
          this.endString(this.strPieces.join(''));
          this.strPieces = undefined;
          this.strStart = -1;
        }
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (WS.has(c)) {
        i++;
        continue;
      }
      if (this.depth === 0) {
        if (c !== 0x7b) {
          this.fatal = `expected a JSON object at character ${this.offset + i}, found ${JSON.stringify(chunk[i])}`;
          break;
        }
        this.depth = 1;
        this.phase = 'key';
        i++;
        continue;
      }
      if (this.depth === 1) {
        i = this.rootChar(chunk, i, c);
        if (this.rootDone || this.fatal !== undefined) break;
        continue;
      }
      if (this.inTarget && this.depth === 2) {
        // Between elements of the target array.
        if (this.capturing && this.capPrimitive && (c === 0x2c || c === 0x5d)) {
          out.push(this.takeCapture(chunk, i));
        }
        if (c === 0x2c) {
          i++;
          continue;
        }
        if (c === 0x5d) {
          this.inTarget = false;
          this.arrayDone = true;
          this.depth = 1;
          this.phase = 'after';
          i++;
          continue;
        }
        if (!this.capturing) {
          this.capturing = true;
          this.capStart = i;
          this.capPieces = [];
          this.capPrimitive = c !== 0x7b && c !== 0x5b;
          this.elements++;
        }
        if (c === 0x7b || c === 0x5b) this.depth++;
        else if (c === 0x22) this.inString = true;
        i++;
        continue;
      }
      // Inside a nested value (an element of the target, or another member's object/array).
      if (c === 0x22) this.inString = true;
      else if (c === 0x7b || c === 0x5b) this.depth++;
      else if (c === 0x7d || c === 0x5d) {
        this.depth--;
        if (this.depth === 2 && this.inTarget && this.capturing) out.push(this.takeCapture(chunk, i + 1));
        else if (this.depth === 1) this.phase = 'after';
      }
      i++;
    }
    if (this.capturing && this.capStart >= 0) this.capPieces.push(chunk.slice(this.capStart, this.fatal !== undefined ? i : n));
    if (this.strPieces && this.strStart >= 0) this.strPieces.push(chunk.slice(this.strStart, n));
    this.offset += n;
    return out;
  }

  /** Call after the last chunk. */
  end(): SplitEnd {
    if (this.fatal !== undefined) return { complete: false, error: this.fatal };
    if (this.capturing) return { complete: false, error: `input ends inside record ${this.elements - 1} (truncated or unbalanced brackets)` };
    if (!this.arrayFound) return { complete: false, error: this.offset === 0 ? 'empty input' : `no "${this.arrayKey}" array in the top-level object` };
    if (!this.arrayDone) return { complete: false, error: `input ends after record ${this.elements - 1} before the "${this.arrayKey}" array is closed (truncated)` };
    if (!this.rootDone) return { complete: false, error: 'input ends before the top-level object is closed (truncated)' };
    return { complete: true };
  }

  private takeCapture(chunk: string, endExclusive: number): string {
    this.capPieces.push(chunk.slice(this.capStart, endExclusive));
    const text = this.capPieces.join('');
    this.capPieces = [];
    this.capturing = false;
    this.capStart = -1;
    this.capPrimitive = false;
    return text.trim();
  }

  /** One character at depth 1 (members of the top-level object); returns the next index. */
  private rootChar(chunk: string, i: number, c: number): number {
    if (c === 0x22) {
      this.inString = true;
      if (this.phase === 'key' || this.phase === 'value') {
        this.strPieces = [];
        this.strStart = i + 1;
      }
      return i + 1;
    }
    if (c === 0x3a) {
      this.phase = 'value';
      this.scalar = '';
      return i + 1;
    }
    if (c === 0x2c || c === 0x7d) {
      this.endScalar();
      this.phase = 'key';
      if (c === 0x7d) {
        this.depth = 0;
        this.rootDone = true;
      }
      return i + 1;
    }
    if (c === 0x7b || c === 0x5b) {
      this.depth = 2;
      if (c === 0x5b && this.phase === 'value' && this.key === this.arrayKey && !this.arrayFound) {
        this.arrayFound = true;
        this.inTarget = true;
      }
      this.phase = 'after';
      return i + 1;
    }
    if (this.phase === 'value') this.scalar += chunk[i];
    return i + 1;
  }

  private endString(raw: string): void {
    if (this.phase === 'key') {
      this.key = parseJsonString(raw);
      this.phase = 'colon';
    } else if (this.phase === 'value') {
      this.head[this.key] = parseJsonString(raw);
      this.phase = 'after';
    }
  }

  private endScalar(): void {
    if (this.phase !== 'value' || this.scalar === '') return;
    try {
      this.head[this.key] = JSON.parse(this.scalar) as unknown;
    } catch {
      this.head[this.key] = this.scalar;
    }
    this.scalar = '';
  }
}

function parseJsonString(raw: string): string {
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}
