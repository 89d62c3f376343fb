import type { Lang } from '../errors.js';

/**
 * The catalogue language a request prefers (RFC 9110 Accept-Language): of the ranges naming
 * English or Japanese (`ja`, `ja-JP`, `en-GB`), the one of highest weight, the earlier on a tie;
 * English when the header names neither. The console sends its own language this way.
 */
export function preferredLang(header: string | string[] | undefined): Lang {
  const text = Array.isArray(header) ? header.join(',') : header ?? '';
  let best: { lang: Lang; q: number } | undefined;
  for (const part of text.split(',')) {
    const [range = '', ...params] = part.trim().toLowerCase().split(';');
    const lang: Lang | undefined = /^ja(-|$)/.test(range) ? 'ja' : /^en(-|$)/.test(range) ? 'en' : undefined;
    if (!lang) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { lang, q };
  }
  return best?.lang ?? 'en';
}
