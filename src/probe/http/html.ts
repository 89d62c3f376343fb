/**
 * Text out of an HTML body: its character set (Content-Type header, BOM, then <meta charset> /
 * <meta http-equiv> in the first 4 KiB, as browsers do; Shift_JIS, EUC-JP, ISO-2022-JP and the
 * rest through TextDecoder) and the <title>, HTML entities decoded and whitespace collapsed.
 */

import { TextDecoder } from 'node:util';

const MAX_TITLE_CHARS = 1024;

/** The charset parameter of a Content-Type value, lower-case, or undefined. */
export function charsetFromContentType(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const m = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType);
  const v = (m?.[1] ?? m?.[2] ?? '').trim().toLowerCase();
  return v.length > 0 ? v : undefined;
}

/** The charset a <meta> in the first 4 KiB declares. */
export function charsetFromMeta(body: Buffer): string | undefined {
  const head = body.subarray(0, 4096).toString('latin1');
  for (const m of head.matchAll(/<meta\b[^>]*>/gi)) {
    const tag = m[0];
    const direct = /\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i.exec(tag);
    if (direct?.[1] !== undefined) return direct[1].toLowerCase();
  }
  return undefined;
}

function bomCharset(body: Buffer): string | undefined {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return 'utf-8';
  if (body[0] === 0xfe && body[1] === 0xff) return 'utf-16be';
  if (body[0] === 0xff && body[1] === 0xfe) return 'utf-16le';
  return undefined;
}

function decoderFor(label: string | undefined): TextDecoder | undefined {
  if (label === undefined) return undefined;
  try {
    return new TextDecoder(label);
  } catch {
    return undefined;
  }
}

/** Which charset was used, and how it was decided. */
export interface DecodedText {
  readonly text: string;
  /** The WHATWG encoding name used (e.g. "shift_jis"). */
  readonly charset: string;
  readonly from: 'header' | 'bom' | 'meta' | 'default';
}

export function decodeHtml(body: Buffer, contentType: string | undefined): DecodedText {
  const candidates: [string | undefined, DecodedText['from']][] = [
    [bomCharset(body), 'bom'],
    [charsetFromContentType(contentType), 'header'],
    [charsetFromMeta(body), 'meta'],
  ];
  for (const [label, from] of candidates) {
    const d = decoderFor(label);
    if (d !== undefined) return { text: d.decode(body), charset: d.encoding, from };
  }
  // No declaration: UTF-8 when it decodes cleanly, else windows-1252 (what browsers fall back to).
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), charset: 'utf-8', from: 'default' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(body), charset: 'windows-1252', from: 'default' };
  }
}

const NAMED: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', copy: '©', reg: '®', trade: '™', hellip: '…',
  mdash: '—', ndash: '–', laquo: '«', raquo: '»', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', middot: '·',
  bull: '•', yen: '¥', euro: '€', pound: '£', cent: '¢', sect: '§', deg: '°', times: '×', divide: '÷', auml: 'ä',
  ouml: 'ö', uuml: 'ü', Auml: 'Ä', Ouml: 'Ö', Uuml: 'Ü', szlig: 'ß', eacute: 'é', egrave: 'è', aacute: 'á', agrave: 'à',
  ccedil: 'ç', ntilde: 'ñ', iexcl: '¡', iquest: '¿', shy: '', zwj: '\u200d', zwnj: '\u200c', ensp: '\u2002', emsp: '\u2003', thinsp: '\u2009',
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});?/g, (all, ent: string) => {
    if (ent.startsWith('#')) {
      const cp = ent[1] === 'x' || ent[1] === 'X' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
      if (!Number.isFinite(cp) || cp <= 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\ufffd';
      return String.fromCodePoint(cp);
    }
    return NAMED[ent] ?? all;
  });
}

/** The text of the first <title> (entities decoded, whitespace collapsed), or '' when none. */
export function titleOf(html: string): string {
  const open = /<title\b[^>]*>/i.exec(html);
  if (open === null) return '';
  const rest = html.slice(open.index + open[0].length);
  const close = /<\/title\s*>/i.exec(rest);
  const raw = close === null ? rest.slice(0, MAX_TITLE_CHARS * 4) : rest.slice(0, close.index);
  return decodeEntities(raw).replace(/[\s\u00a0\u3000]+/g, ' ').trim().slice(0, MAX_TITLE_CHARS);
}
