/**
 * The one CSV writer for every CSV the project emits for people to open (the search export, the
 * digest attachment, effects.csv; the CLI's `search --export csv` and `effects --csv` print the
 * same text). Much of what goes in came from scanned hosts (banners, host-key types, cipher
 * names, device models), so every cell is written as if hostile.
 *
 * Rules:
 * - RFC 4180: cells joined with ',', every record (the last too) ends with CRLF; a cell holding a
 *   quote, comma, CR or LF is quoted with quotes doubled. Cells holding ';' or a tab are quoted
 *   too: spreadsheets in some locales split on those, and a split-off part could start a formula.
 * - Formula injection (OWASP "CSV injection"): a text cell beginning with = + - @, tab (0x09) or
 *   CR (0x0D) gets a leading single quote and is always quoted, so spreadsheets show it as text.
 *   This changes the value for programs that read the file; that is the accepted price.
 * - Text vs numbers: the JavaScript type decides, never the look of the value. A string is text
 *   and neutralised even when it reads as a number ("-1" from a banner becomes '-1). A finite
 *   number or a bigint is written as a number and never touched, so -1 stays -1 for sums; it
 *   cannot carry a formula. So a caller that wants a number kept a number passes a number.
 *   Non-finite numbers, booleans, dates (ISO), arrays (items joined with ';') and other objects
 *   (JSON) are text; null and undefined are empty.
 */

/** Characters that make a spreadsheet read a cell as a formula when they come first (OWASP). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",;\t\r\n]/;

/** One text cell: neutralised when it would start a formula, quoted when needed. */
export function csvTextField(v: string): string {
  if (FORMULA_START.test(v)) return `"'${v.replace(/"/g, '""')}"`;
  return NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One cell of any value, by the rules above. */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : csvTextField(String(v));
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return csvTextField(v);
  if (v instanceof Date) return csvTextField(v.toISOString());
  if (Array.isArray(v)) return csvTextField(v.map((x: unknown) => (x === null || x === undefined ? '' : typeof x === 'object' ? JSON.stringify(x) : String(x))).join(';'));
  if (typeof v === 'object') return csvTextField(JSON.stringify(v));
  return csvTextField(String(v));
}

/** One record, CRLF included. */
export function csvRow(cells: readonly unknown[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** A whole file: the header record, then one record per row. */
export function csvDocument(header: readonly string[], rows: Iterable<readonly unknown[]>): string {
  let out = csvRow(header);
  for (const r of rows) out += csvRow(r);
  return out;
}
