/**
 * The simple terms of a pattern that a lookup in our stored observations can use: IP addresses
 * and CIDR blocks, ports, domain names and URLs, each from a positive comparison (=, IN,
 * ISSUBSET) on a path we store. The indicators part turns them into SQL, then confirms each
 * candidate with `evaluate`.
 *
 * `exhaustive` says whether the terms are a sound pre-filter: every set of observations that
 * matches the pattern contains an observation matching at least one term. It is false when some
 * way of matching needs no term at all (a branch of OR on a file hash, a NOT, !=, LIKE, MATCHES
 * or an ordering comparison): then looking up by the terms could miss matches, and `reason`
 * says which part.
 */
import { parseIpValue } from '../sco-values.js';
import type { ComparisonExpression, Constant, ObservationExpression } from './ast.js';

export type MatchTerm =
  /** An address (bits 32/128) or a block: observations whose address lies in [lo, hi]. `role` says which end of traffic, when the path names one. */
  | { readonly kind: 'ip'; readonly family: 4 | 6; readonly lo: bigint; readonly hi: bigint; readonly bits: number; readonly text: string; readonly role?: 'src' | 'dst' }
  | { readonly kind: 'port'; readonly role: 'src' | 'dst'; readonly port: number }
  | { readonly kind: 'domain'; readonly value: string }
  | { readonly kind: 'url'; readonly value: string };

export interface MatchTerms {
  readonly terms: readonly MatchTerm[];
  readonly exhaustive: boolean;
  readonly reason?: string;
}

/** Terms of one side, or the reason that side can match without any term. */
type Side = { readonly terms: MatchTerm[] } | { readonly missing: string };

function pathText(c: ComparisonExpression & { kind: 'compare' }): string {
  return `${c.path.objectType}:${c.path.steps.map((s) => (s.kind === 'property' ? s.name : s.kind === 'every' ? '[*]' : `[${s.index}]`)).join('.').replace(/\.\[/g, '[')}`;
}

function termsOfTest(c: ComparisonExpression & { kind: 'compare' }): Side {
  const where = `${pathText(c)} ${c.negated ? 'NOT ' : ''}${c.operator} (column ${c.column})`;
  if (c.negated) return { missing: `${where}: a negated comparison` };
  if (!['=', 'IN', 'ISSUBSET'].includes(c.operator)) return { missing: `${where}: ${c.operator} cannot be looked up by value` };
  const constants: readonly Constant[] = Array.isArray(c.value) ? c.value : [c.value as Constant];
  const path = pathText(c);
  const terms: MatchTerm[] = [];
  for (const k of constants) {
    const t = termOf(path, c.operator, k);
    if (!t) return { missing: `${where}: not a path or constant we look up` };
    terms.push(t);
  }
  return { terms };
}

const IP_PATHS: Readonly<Record<string, 'src' | 'dst' | undefined>> = {
  'ipv4-addr:value': undefined, 'ipv6-addr:value': undefined,
  'network-traffic:src_ref.value': 'src', 'network-traffic:dst_ref.value': 'dst',
};

function termOf(path: string, op: string, k: Constant): MatchTerm | null {
  if (path in IP_PATHS && k.kind === 'string') {
    const family = path.startsWith('ipv4') ? 4 : path.startsWith('ipv6') || k.value.includes(':') ? 6 : 4;
    const r = parseIpValue(k.value, family);
    const role = IP_PATHS[path];
    if (typeof r !== 'string') return { kind: 'ip', family, lo: r.lo, hi: r.hi, bits: r.bits, text: k.value, ...(role ? { role } : {}) };
    // A traffic end that is not an address may be a domain name (section 6.12: src_ref/dst_ref).
    if (!role) return null;
  }
  if (op === 'ISSUBSET') return null;
  if ((path === 'network-traffic:src_port' || path === 'network-traffic:dst_port') && k.kind === 'int' && k.value >= 0 && k.value <= 65535) {
    return { kind: 'port', role: path.endsWith('src_port') ? 'src' : 'dst', port: k.value };
  }
  if ((path === 'domain-name:value' || path === 'network-traffic:dst_ref.value' || path === 'network-traffic:src_ref.value') && k.kind === 'string') return { kind: 'domain', value: k.value.toLowerCase() };
  if (path === 'url:value' && k.kind === 'string') return { kind: 'url', value: k.value };
  return null;
}

function ofComparison(c: ComparisonExpression): Side {
  if (c.kind === 'exists') return { missing: `EXISTS (column ${c.column}) cannot be looked up by value` };
  if (c.kind === 'compare') return termsOfTest(c);
  const l = ofComparison(c.left);
  const r = ofComparison(c.right);
  return c.kind === 'and' ? either(l, r) : both(l, r);
}

/** AND: a match satisfies both sides, so the terms of either side suffice (both are kept). */
function either(l: Side, r: Side): Side {
  if ('terms' in l && 'terms' in r) return { terms: [...l.terms, ...r.terms] };
  if ('terms' in l) return l;
  return r;
}

/** OR: a match may satisfy only one side, so both sides need terms. */
function both(l: Side, r: Side): Side {
  if ('missing' in l) return l;
  if ('missing' in r) return r;
  return { terms: [...l.terms, ...r.terms] };
}

function ofObservation(e: ObservationExpression): Side {
  switch (e.kind) {
    case 'observation':
      return ofComparison(e.comparison);
    case 'qualified':
      return ofObservation(e.expression);
    case 'or':
      return both(ofObservation(e.left), ofObservation(e.right));
    case 'and':
    case 'followedby':
      return either(ofObservation(e.left), ofObservation(e.right));
  }
}

/** Every term anywhere in the pattern (even under a branch that makes the set not exhaustive). */
function allTerms(e: ObservationExpression, out: MatchTerm[]): void {
  const cmp = (c: ComparisonExpression): void => {
    if (c.kind === 'compare') {
      const s = termsOfTest(c);
      if ('terms' in s) out.push(...s.terms);
    } else if (c.kind !== 'exists') {
      cmp(c.left);
      cmp(c.right);
    }
  };
  if (e.kind === 'observation') cmp(e.comparison);
  else if (e.kind === 'qualified') allTerms(e.expression, out);
  else {
    allTerms(e.left, out);
    allTerms(e.right, out);
  }
}

export function matchTerms(pattern: ObservationExpression): MatchTerms {
  const s = ofObservation(pattern);
  const terms: MatchTerm[] = [];
  allTerms(pattern, terms);
  const seen = new Set<string>();
  const unique = terms.filter((t) => {
    const key = JSON.stringify(t, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return 'missing' in s ? { terms: unique, exhaustive: false, reason: s.missing } : { terms: unique, exhaustive: true };
}
