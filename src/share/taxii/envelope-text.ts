/**
 * Reads a posted TAXII envelope keeping each object's JSON text exactly as it was sent: the
 * store serves objects back byte for byte (docs/sharing.md), so re-serialising the parsed value
 * (which would change whitespace, number spelling and escapes) is not enough. JSON.parse checks
 * the text; a small scanner over the now known-valid text finds where each element of the
 * top-level `objects` array starts and ends.
 */
import { SakimoriError } from '../../errors.js';

export interface PostedObject { readonly value: unknown; readonly text: string }

/** Line and column (1-based) of a character offset, for error messages. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) { line++; start = i + 1; }
  return { line, column: offset - start + 1 };
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

function skipWs(t: string, i: number): number {
  while (i < t.length && WS.has(t.charCodeAt(i))) i++;
  return i;
}

/** End (exclusive) of the string starting at i (a quote). */
function skipString(t: string, i: number): number {
  for (i++; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x22) return i + 1;
  }
  return t.length;
}

/** End (exclusive) of the JSON value starting at i. */
function skipValue(t: string, i: number): number {
  const c = t[i];
  if (c === '"') return skipString(t, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    for (; i < t.length; i++) {
      const d = t[i];
      if (d === '"') i = skipString(t, i) - 1;
      else if (d === '{' || d === '[') depth++;
      else if (d === '}' || d === ']') {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    return t.length;
  }
  while (i < t.length && !WS.has(t.charCodeAt(i)) && t[i] !== ',' && t[i] !== '}' && t[i] !== ']') i++;
  return i;
}

/** The spans of the elements of the array starting at i. */
function elementSpans(t: string, i: number): [number, number][] {
  const spans: [number, number][] = [];
  i = skipWs(t, i + 1);
  if (t[i] === ']') return spans;
  for (;;) {
    const end = skipValue(t, i);
    spans.push([i, end]);
    i = skipWs(t, end);
    if (t[i] !== ',') return spans;
    i = skipWs(t, i + 1);
  }
}

const LITERAL = /^(true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?)/;

/**
 * Offset of the first character at which `t` stops being JSON (t.length: it ends too early).
 * Iterative, so that deep nesting cannot overflow the stack.
 */
export function firstJsonError(t: string): number {
  const stack: ('{' | '[')[] = [];
  let i = skipWs(t, 0);
  /** After a value: a comma, the container's end, or (at top level) only whitespace. */
  const afterValue = (): number | 'value' | 'key' | 'done' => {
    i = skipWs(t, i);
    const top = stack[stack.length - 1];
    if (top === undefined) return i === t.length ? 'done' : i;
    if (t[i] === ',') { i = skipWs(t, i + 1); return top === '{' ? 'key' : 'value'; }
    if ((top === '{' && t[i] === '}') || (top === '[' && t[i] === ']')) { stack.pop(); i++; return afterValue(); }
    return i;
  };
  let want: 'value' | 'key' = 'value';
  for (;;) {
    if (i >= t.length) return t.length;
    if (want === 'key') {
      if (t[i] !== '"') return i;
      const end = stringEnd(t, i);
      if (end < 0) return -end;
      i = skipWs(t, end);
      if (t[i] !== ':') return i;
      i = skipWs(t, i + 1);
      want = 'value';
      continue;
    }
    const c = t[i];
    if (c === '{' || c === '[') {
      stack.push(c);
      i = skipWs(t, i + 1);
      if (i < t.length && t[i] === (c === '{' ? '}' : ']')) { stack.pop(); i++; }
      else { want = c === '{' ? 'key' : 'value'; continue; }
    } else if (c === '"') {
      const end = stringEnd(t, i);
      if (end < 0) return -end;
      i = end;
    } else {
      const m = LITERAL.exec(t.slice(i, i + 400));
      if (!m) return i;
      i += m[0].length;
    }
    const next = afterValue();
    if (next === 'done') return t.length;
    if (typeof next === 'number') return next;
    want = next;
  }
}

/** End (exclusive) of a valid JSON string at i, or minus the offset of its first fault. */
function stringEnd(t: string, i: number): number {
  for (i++; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 0x20) return -i;
    if (c === 0x22) return i + 1;
    if (c === 0x5c) {
      const e = t[i + 1];
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(t.slice(i + 2, i + 6))) return -(i + 1);
        i += 5;
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
      else return -(i + 1);
    }
  }
  return -t.length;
}

/** The objects of an envelope text; BAD_REQUEST saying where when it is not one. */
export function readEnvelope(text: string): PostedObject[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Node's message quotes the whole text and not always the place: find the place ourselves.
    const offset = firstJsonError(text);
    const at = lineColumn(text, offset);
    const what = offset >= text.length ? 'the text ends too early' : `unexpected ${JSON.stringify(text[offset])}`;
    throw new SakimoriError('BAD_REQUEST', `the envelope is not JSON: ${what}`, { line: at.line, column: at.column });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SakimoriError('BAD_REQUEST', 'an envelope is a JSON object with "objects"', { field: 'body' });
  const objects = (parsed as Record<string, unknown>)['objects'];
  if (objects === undefined) return [];
  if (!Array.isArray(objects)) throw new SakimoriError('BAD_REQUEST', '"objects" is a list', { field: 'objects' });
  // Walk the top-level members; the last "objects" wins, as it does for JSON.parse.
  let spans: [number, number][] = [];
  let i = skipWs(text, 0) + 1;
  for (;;) {
    i = skipWs(text, i);
    if (text[i] !== '"') break;
    const keyEnd = skipString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipWs(text, keyEnd) + 1; // the colon
    i = skipWs(text, i);
    if (key === 'objects') spans = elementSpans(text, i);
    i = skipWs(text, skipValue(text, i));
    if (text[i] !== ',') break;
    i++;
  }
  if (spans.length !== objects.length) throw new SakimoriError('INTERNAL', 'the envelope scanner lost track of the objects');
  return objects.map((value: unknown, k) => ({ value, text: text.slice(spans[k]?.[0], spans[k]?.[1]) }));
}
