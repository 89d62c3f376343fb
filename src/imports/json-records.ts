/**
 * Top-level JSON objects out of a stream of text, whatever its layout: JSON lines, one array on
 * one line (`jq -c .`), an array pretty-printed over many lines (`jq .`), concatenated objects,
 * separating commas leading or trailing a line (Masscan's -oJ). Text is fed in pieces of any size;
 * an object's text is handed out as soon as its closing brace is read, so a file of many GB is
 * never held (only the record being read).
 *
 * The grammar is checked as the text goes by (strings with their escapes and control characters,
 * numbers and literals, where keys, colons, commas and values may come), so a broken record is
 * reported where it breaks — line and column — rather than when the brackets fail to balance
 * thousands of lines later. After a broken record reading starts again at the next record: in a
 * file whose records start lines (JSON lines, pretty-printed), at the next line whose `{` is in
 * the column records started in; in a one-line array, at the next `{` after a `,` or `[`.
 *
 * Lines between records are offered to the sink first (`line`): formats that mix JSON with other
 * lines, or that have a faster reading of their own common lines, take them there.
 */
export interface JsonRecordSink {
  /**
   * A line outside any record (trimmed of spaces and separating commas), before it is read as
   * JSON: true when the sink took it (a record in another form, a comment, a trailer).
   */
  line(text: string, lineNo: number): boolean;
  /** A complete top-level object: its text and the line it began on. */
  record(text: string, lineNo: number): void;
  /** A record that is not JSON: the line it began on and what is wrong where. */
  broken(lineNo: number, message: string): void;
  /**
   * After each record or line taken: the position in the current piece just after it — after the
   * separating commas and the line end that follow a record, so that where a batch ends does not
   * depend on where the pieces end.
   */
  boundary(pos: number): void;
}

/** What the innermost open container expects next. */
const enum Want { KeyOrEnd, Key, Colon, ObjValue, CommaOrObjEnd, ValueOrEnd, ArrValue, CommaOrArrEnd }

const EXPECTED: Record<Want, string> = {
  [Want.KeyOrEnd]: 'a key or "}"', [Want.Key]: 'a key', [Want.Colon]: '":"', [Want.ObjValue]: 'a value', [Want.CommaOrObjEnd]: '"," or "}"',
  [Want.ValueOrEnd]: 'a value or "]"', [Want.ArrValue]: 'a value', [Want.CommaOrArrEnd]: '"," or "]"',
};

const SCALAR = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)$/;
/** A line longer than this is read as JSON without being offered, and not carried to the next piece. */
const MAX_OFFERED_LINE = 64 * 1024;
const MAX_DEPTH = 256;

const LF = 10, CR = 13, SPACE = 32, TAB = 9, COMMA = 44, COLON = 58, QUOTE = 34, BACKSLASH = 92;
const OPEN_OBJ = 123, CLOSE_OBJ = 125, OPEN_ARR = 91, CLOSE_ARR = 93;

function isDelimiter(c: number): boolean {
  return c === SPACE || c === LF || c === CR || c === TAB || c === COMMA || c === COLON || c === QUOTE || c === OPEN_OBJ || c === CLOSE_OBJ || c === OPEN_ARR || c === CLOSE_ARR;
}

function shown(c: number): string {
  return c < 0x20 || c === 0x7f ? `U+${c.toString(16).padStart(4, '0').toUpperCase()}` : JSON.stringify(String.fromCharCode(c));
}

export class JsonRecordSplitter {
  private lineNo = 1;
  /** Absolute offset of the current line's first character, and of the text the next run starts with. */
  private lineStart = 0;
  private base = 0;
  /** Only spaces and commas so far on this line. */
  private atLineStart = true;
  /** Part of a line carried to the next piece so that it is offered whole. */
  private pending = '';
  private stopped = false;

  private inArray = false;
  private resync = false;
  /** Whether records start lines (set by the first record), and the column they start in. */
  private lineShaped: boolean | undefined;
  private recordColumn = 0;
  /** Last character outside spaces at the top level (for resynchronising inside a line). */
  private prevTop = 0;
  /** A record ended; its boundary is given after the commas and the line end that follow it. */
  private afterRecord = false;

  private readonly stack: Want[] = [];
  private recLine = 0;
  private recColumn = 0;
  private capture: string[] = [];
  private captured = 0;
  private inString = false;
  private stringIsKey = false;
  /** 0: none; 1: after a backslash; 2–5: hex digits of \uXXXX still to come, plus one. */
  private escape = 0;
  private inScalar = false;
  private scalar: string[] = [];
  private scalarLine = 0;
  private scalarColumn = 0;

  constructor(private readonly maxRecordChars: number) {}

  /** Reads no further (the sink found the input is not this format). */
  stop(): void {
    this.stopped = true;
    this.pending = '';
  }

  push(piece: string, sink: JsonRecordSink): void {
    if (this.stopped) return;
    const text = this.pending + piece;
    const shift = this.pending.length;
    this.pending = '';
    this.run(text, shift, false, sink);
  }

  end(sink: JsonRecordSink): void {
    if (!this.stopped && this.pending !== '') {
      const text = this.pending;
      this.pending = '';
      this.run(text, text.length, true, sink);
    }
    if (this.stack.length > 0 && !this.stopped) {
      const where = this.inString ? ' inside a string' : '';
      this.fail(sink, `input ends${where} before the record is closed (truncated)`, this.lineNo, this.base - this.lineStart + 1);
    }
  }

  private column(at: number): number {
    return this.base + at - this.lineStart + 1;
  }

  private run(w: string, shift: number, final: boolean, sink: JsonRecordSink): void {
    const n = w.length;
    let i = 0;
    let capFrom = this.stack.length > 0 ? 0 : -1;
    let scalarFrom = this.inScalar ? 0 : -1;
    const boundary = (pos: number): void => sink.boundary(Math.max(0, pos - shift));
    /**
     * The record is dropped; `i` is read again at the top level, as the first character of its
     * line when it was (a new record or a line of another form may begin there).
     */
    const broke = (message: string, lineStart: boolean, line = this.lineNo, column = this.column(i)): void => {
      this.fail(sink, message, line, column);
      this.atLineStart = lineStart;
      capFrom = -1;
      scalarFrom = -1;
    };

    while (i < n) {
      if (this.stopped) return;
      if (this.inString) {
        i = this.stringChars(w, i, n);
        if (i < 0) {
          i = -i - 1;
          const c = w.charCodeAt(i);
          broke(c === LF ? 'a line ends inside a string (a cut record?)' : `control character ${shown(c)} inside a string`, false);
        }
        continue;
      }
      const c = w.charCodeAt(i);
      if (this.inScalar) {
        while (i < n && !isDelimiter(w.charCodeAt(i))) i++;
        if (i === n) break;
        const text = this.scalar.join('') + w.slice(scalarFrom, i);
        this.inScalar = false;
        this.scalar = [];
        scalarFrom = -1;
        if (!SCALAR.test(text)) {
          broke(`${JSON.stringify(text.slice(0, 40))} is not a JSON value`, false, this.scalarLine, this.scalarColumn);
          continue;
        }
        this.valueDone();
        continue;
      }
      if (c === LF) {
        if (this.afterRecord) {
          this.afterRecord = false;
          boundary(i + 1);
        }
        this.lineNo++;
        this.lineStart = this.base + i + 1;
        this.atLineStart = true;
        i++;
        continue;
      }
      if (c === SPACE || c === TAB || c === CR) {
        i++;
        continue;
      }

      if (this.stack.length === 0) {
        if (this.afterRecord && c !== COMMA) {
          this.afterRecord = false;
          boundary(i);
        }
        // Between records: a line is offered first (see offered()).
        if (this.atLineStart && c !== COMMA && offered(c)) {
          const nl = w.indexOf('\n', i);
          if (nl < 0 && !final && c !== OPEN_OBJ && n - i < MAX_OFFERED_LINE) {
            // Offered whole, with the next piece.
            this.pending = w.slice(i);
            this.base += i;
            return;
          }
          const end = nl < 0 ? n : nl;
          const text = end - i < MAX_OFFERED_LINE ? trimLine(w, i, end) : undefined;
          if (text !== undefined && sink.line(text, this.lineNo)) {
            this.resync = false;
            this.atLineStart = false;
            // A '{' line taken is one record: what follows it is read as usual. Any other line is taken whole.
            this.prevTop = CLOSE_OBJ;
            if (c === OPEN_OBJ) {
              i += text.length;
              this.afterRecord = true;
            } else {
              i = end;
              boundary(nl < 0 ? n : nl + 1);
            }
            continue;
          }
          if (this.stopped) return;
        }
        const lineStartHere = this.atLineStart;
        this.atLineStart = c === COMMA && this.atLineStart;
        if (this.resync) {
          const candidate = c === OPEN_OBJ && (this.lineShaped === true
            ? lineStartHere && this.column(i) === this.recordColumn
            : lineStartHere || this.prevTop === COMMA || this.prevTop === OPEN_ARR);
          if (!candidate) {
            this.prevTop = c;
            if (this.lineShaped === true) {
              const nl = w.indexOf('\n', i);
              i = nl < 0 ? n : nl;
            } else {
              i++;
            }
            continue;
          }
          this.resync = false;
        }
        this.prevTop = c;
        if (c === OPEN_OBJ) {
          if (this.lineShaped === undefined) {
            this.lineShaped = lineStartHere;
            this.recordColumn = this.column(i);
          }
          this.recLine = this.lineNo;
          this.recColumn = this.column(i);
          this.stack.push(Want.KeyOrEnd);
          this.capture = [];
          this.captured = 0;
          capFrom = i;
          i++;
        } else if (c === COMMA) {
          i++;
        } else if (c === OPEN_ARR && !this.inArray) {
          this.inArray = true;
          i++;
        } else if (c === CLOSE_ARR && this.inArray) {
          this.inArray = false;
          i++;
        } else {
          this.fail(sink, `expected a JSON object ("{"), found ${shown(c)}`, this.lineNo, this.column(i));
          i++;
        }
        continue;
      }

      // Inside a record.
      const lineStartHere = this.atLineStart;
      this.atLineStart = false;
      const want = this.stack[this.stack.length - 1] as Want;
      if (c === QUOTE) {
        if (want === Want.KeyOrEnd || want === Want.Key) this.stringIsKey = true;
        else if (want === Want.ObjValue || want === Want.ArrValue || want === Want.ValueOrEnd) this.stringIsKey = false;
        else { broke(`expected ${EXPECTED[want]}, found ${shown(c)}`, lineStartHere); continue; }
        this.inString = true;
        i++;
        continue;
      }
      if (c === OPEN_OBJ || c === OPEN_ARR) {
        if (want !== Want.ObjValue && want !== Want.ArrValue && want !== Want.ValueOrEnd) { broke(`expected ${EXPECTED[want]}, found ${shown(c)}`, lineStartHere); continue; }
        if (this.stack.length >= MAX_DEPTH) { broke(`nested deeper than ${MAX_DEPTH} levels`, lineStartHere); continue; }
        this.stack.push(c === OPEN_OBJ ? Want.KeyOrEnd : Want.ValueOrEnd);
        i++;
        continue;
      }
      if (c === CLOSE_OBJ || c === CLOSE_ARR) {
        const ok = c === CLOSE_OBJ ? want === Want.KeyOrEnd || want === Want.CommaOrObjEnd : want === Want.ValueOrEnd || want === Want.CommaOrArrEnd;
        if (!ok) { broke(`expected ${EXPECTED[want]}, found ${shown(c)}`, lineStartHere); continue; }
        this.stack.pop();
        i++;
        if (this.stack.length > 0) {
          this.valueDone();
          continue;
        }
        const text = this.capture.join('') + w.slice(capFrom, i);
        this.capture = [];
        capFrom = -1;
        this.prevTop = CLOSE_OBJ;
        sink.record(text, this.recLine);
        this.afterRecord = true;
        continue;
      }
      if (c === COLON) {
        if (want !== Want.Colon) { broke(`expected ${EXPECTED[want]}, found ":"`, lineStartHere); continue; }
        this.stack[this.stack.length - 1] = Want.ObjValue;
        i++;
        continue;
      }
      if (c === COMMA) {
        if (want === Want.CommaOrObjEnd) this.stack[this.stack.length - 1] = Want.Key;
        else if (want === Want.CommaOrArrEnd) this.stack[this.stack.length - 1] = Want.ArrValue;
        else { broke(`expected ${EXPECTED[want]}, found ","`, lineStartHere); continue; }
        i++;
        continue;
      }
      if (want !== Want.ObjValue && want !== Want.ArrValue && want !== Want.ValueOrEnd) { broke(`expected ${EXPECTED[want]}, found ${shown(c)}`, lineStartHere); continue; }
      this.inScalar = true;
      this.scalarLine = this.lineNo;
      this.scalarColumn = this.column(i);
      scalarFrom = i;
    }

    if (this.stopped) return;
    if (scalarFrom >= 0 && this.inScalar) this.scalar.push(w.slice(scalarFrom));
    if (capFrom >= 0 && this.stack.length > 0) {
      this.capture.push(w.slice(capFrom));
      this.captured += n - capFrom;
      if (this.captured > this.maxRecordChars) {
        this.fail(sink, `record longer than ${Math.round(this.maxRecordChars / 1048576)} MiB`, this.lineNo, this.column(n));
      }
    }
    this.base += n;
  }

  /**
   * Reads string characters from `i`; returns where to go on, or -(index + 1) of a character that
   * may not be in a JSON string.
   */
  private stringChars(w: string, i: number, n: number): number {
    let k = i;
    while (k < n) {
      const c = w.charCodeAt(k);
      if (this.escape === 1) {
        if (c === 0x75 /* u */) this.escape = 5;
        else if (c === QUOTE || c === BACKSLASH || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74) this.escape = 0;
        else return -(k + 1);
        k++;
        continue;
      }
      if (this.escape > 1) {
        if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102))) return -(k + 1);
        this.escape = this.escape === 2 ? 0 : this.escape - 1;
        k++;
        continue;
      }
      if (c === QUOTE) {
        this.inString = false;
        if (this.stringIsKey) this.stack[this.stack.length - 1] = Want.Colon;
        else this.valueDone();
        return k + 1;
      }
      if (c === BACKSLASH) this.escape = 1;
      else if (c < 0x20) return -(k + 1);
      k++;
    }
    return n;
  }

  private valueDone(): void {
    const top = this.stack.length - 1;
    const want = this.stack[top];
    this.stack[top] = want === Want.ObjValue ? Want.CommaOrObjEnd : Want.CommaOrArrEnd;
  }

  /** Reports the record being read (or the text between records) as broken and looks for the next record. */
  private fail(sink: JsonRecordSink, message: string, line: number, column: number): void {
    const inRecord = this.stack.length > 0;
    const began = inRecord && (this.recLine !== line || this.recColumn !== 1) ? ` (the record began at line ${this.recLine}, column ${this.recColumn})` : '';
    sink.broken(inRecord ? this.recLine : line, `line ${line}, column ${column}: ${message}${began}`);
    this.stack.length = 0;
    this.capture = [];
    this.captured = 0;
    this.inString = false;
    this.escape = 0;
    this.inScalar = false;
    this.scalar = [];
    this.resync = true;
  }
}

/**
 * Which lines between records are offered to the sink. A line starting with `{` is offered as far
 * as the current piece has it (a record the sink takes from it is a whole object whatever follows,
 * so where the pieces end changes nothing); lines that start as JSON other than a record are not
 * offered; any other line is offered whole.
 */
function offered(c: number): boolean {
  return !(c === OPEN_ARR || c === CLOSE_ARR || c === CLOSE_OBJ || c === QUOTE || c === 45 /* - */ || (c >= 48 && c <= 57));
}

/** The line from `from` to `to` without trailing spaces, CR and separating commas. */
function trimLine(w: string, from: number, to: number): string {
  let e = to;
  for (;;) {
    const c = w.charCodeAt(e - 1);
    if (e > from && (c === SPACE || c === TAB || c === CR || c === COMMA)) e--;
    else break;
  }
  return w.slice(from, e);
}
