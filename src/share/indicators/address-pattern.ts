/**
 * The addresses an indicator's STIX pattern names, for the patterns we can act on without the
 * full section-9 evaluator (the stix part's `matchTerms` replaces this at merge): one observation
 * of comparisons joined by OR, each `ipv4-addr:value` or `ipv6-addr:value` with `=` (an
 * address) or `ISSUBSET` (a CIDR). Anything else answers undefined: not matchable here.
 */
import { parseCidr } from '../../net/cidr.js';

export interface AddressTerm {
  readonly type: 'ipv4-addr' | 'ipv6-addr';
  /** Normalised CIDR (a single address is a /32 or /128). */
  readonly cidr: string;
}

const TERM = /^\s*(ipv4-addr|ipv6-addr):value\s+(=|ISSUBSET)\s+'((?:[^'\\]|\\.)*)'\s*$/;
const MAX_PATTERN = 10_000;

export function addressTerms(pattern: string): AddressTerm[] | undefined {
  if (pattern.length > MAX_PATTERN) return undefined;
  const m = /^\s*\[(.*)\]\s*$/s.exec(pattern);
  if (!m) return undefined;
  const inner = m[1] as string;
  // Brackets or quotes inside would mean nested observations or escaped strings: not ours to read.
  if (/[[\]()]/.test(inner)) return undefined;
  const out: AddressTerm[] = [];
  for (const part of inner.split(/\s+OR\s+/)) {
    const t = TERM.exec(part);
    if (!t) return undefined;
    const type = t[1] as AddressTerm['type'];
    const text = (t[3] as string).replace(/\\(.)/g, '$1');
    if (t[2] === '=' && text.includes('/')) return undefined;
    let cidr: string;
    try {
      const r = parseCidr(text);
      if ((r.family === 4) !== (type === 'ipv4-addr')) return undefined;
      cidr = r.text;
    } catch {
      return undefined;
    }
    out.push({ type, cidr });
  }
  return out.length > 0 ? out : undefined;
}

/** The one address of a single-address pattern (what our own indicators are), else undefined. */
export function singleAddress(pattern: string): string | undefined {
  const t = addressTerms(pattern);
  if (!t || t.length !== 1) return undefined;
  const c = (t[0] as AddressTerm).cidr;
  return /\/(32|128)$/.test(c) ? c.replace(/\/\d+$/, '') : undefined;
}
