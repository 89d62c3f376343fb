import { SakimoriError, type Localized } from '../errors.js';

const WINDOW = 40;

/**
 * A query error with the place it was found: `where.position` is the 0-based offset into the
 * query (UTF-16 code units, as JavaScript indexes strings), and the message ends with an excerpt
 * of the query and a caret under that place. `field`: the search field whose value is wrong.
 * The detail is given in English and Japanese: the API answers in the language asked for.
 */
export function queryError(code: 'QUERY_PARSE' | 'QUERY_UNKNOWN_FIELD', detail: Localized, query: string, position: number, field?: string): SakimoriError {
  const pos = Math.max(0, Math.min(position, query.length));
  const from = Math.max(0, pos - WINDOW);
  const to = Math.min(query.length, pos + WINDOW);
  // Control characters (a newline in a query) would break the caret line: shown as spaces.
  const excerpt = `${from > 0 ? '…' : ''}${query.slice(from, to).replace(/[\u0000-\u001f\u007f]/g, ' ')}${to < query.length ? '…' : ''}`;
  const caret = `${' '.repeat(pos - from + (from > 0 ? 1 : 0))}^`;
  const shown = `\n  ${excerpt}\n  ${caret}`;
  return new SakimoriError(
    code,
    { en: `${detail.en} at position ${pos}${shown}`, ja: `${detail.ja}（位置 ${pos}）${shown}` },
    field === undefined ? { position: pos } : { field, position: pos },
  );
}
