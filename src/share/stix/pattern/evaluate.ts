/**
 * Evaluating a parsed STIX pattern against a set of observations (section 9): an observation
 * expression matches one observation whose objects satisfy its comparisons from one root object;
 * AND / OR / FOLLOWEDBY combine matches on different observations; WITHIN, REPEATS and
 * START/STOP qualify them by time and count.
 *
 * What is evaluable here, and what is not (reported as `evaluable: false` with the reason,
 * never guessed):
 * - object types: the observations this hub holds are ipv4-addr, ipv6-addr, domain-name, url
 *   and network-traffic records (darknet sources, survey hosts, flows); a pattern on any other
 *   type (file hashes, processes, registry keys, e-mail…) cannot be judged against them;
 * - MATCHES: PCRE as far as JavaScript regular expressions read it; a regular expression they
 *   cannot compile (possessive quantifiers, inline flags…) makes the pattern not evaluable;
 * - combinations: the search over matching observation sets is bounded (`MAX_BINDINGS`); when a
 *   bound is hit the answer says `complete: false` (a false may then be a missed match).
 */
import { timestampMillis } from '../timestamps.js';
import type { ComparisonExpression, Constant, ObjectPath, ObservationExpression } from './ast.js';
import { compareValue, equalsValue, ipOf, type PathValue } from './values.js';
import { parseAnyIpValue } from '../sco-values.js';

/** The SCO types our stored observations are made of. */
export const EVALUABLE_TYPES = ['ipv4-addr', 'ipv6-addr', 'domain-name', 'url', 'network-traffic'] as const;

export interface PatternObservation {
  /** When it was observed (milliseconds since the epoch). */
  readonly time: number;
  /** Its SCOs; a `_ref` names another object of the same observation by its `id`. */
  readonly objects: readonly Readonly<Record<string, unknown>>[];
}

export type Evaluation =
  | { readonly evaluable: true; readonly matched: boolean; readonly complete: boolean; readonly observations: readonly number[] }
  | { readonly evaluable: false; readonly reason: string };

/** Bound on the matching observation sets kept per expression (and on the pairs tried to make them). */
export const MAX_BINDINGS = 10_000;
const MAX_PAIRS = 2_000_000;

interface Binding {
  readonly obs: readonly number[];
  readonly first: number;
  readonly last: number;
}

/** Why the pattern cannot be evaluated against our observations, or null when it can. */
export function notEvaluableReason(p: ObservationExpression): string | null {
  const reasons: string[] = [];
  const cmp = (c: ComparisonExpression): void => {
    if (c.kind !== 'compare' && c.kind !== 'exists') {
      cmp(c.left);
      cmp(c.right);
      return;
    }
    if (!(EVALUABLE_TYPES as readonly string[]).includes(c.path.objectType)) reasons.push(`object type ${c.path.objectType} (column ${c.path.column}) is not among the observations this hub holds (${EVALUABLE_TYPES.join(', ')})`);
    if (c.kind === 'compare' && c.operator === 'MATCHES' && !Array.isArray(c.value)) {
      const re = compileRegex((c.value as Constant & { kind: 'string' }).value);
      if (typeof re === 'string') reasons.push(`the regular expression at column ${c.column} is not one JavaScript can run (${re})`);
    }
  };
  const obs = (e: ObservationExpression): void => {
    if (e.kind === 'observation') cmp(e.comparison);
    else if (e.kind === 'qualified') obs(e.expression);
    else {
      obs(e.left);
      obs(e.right);
    }
  };
  obs(p);
  return reasons.length ? [...new Set(reasons)].join('; ') : null;
}

const regexCache = new Map<string, RegExp | string>();
function compileRegex(src: string): RegExp | string {
  let r = regexCache.get(src);
  if (r === undefined) {
    try {
      r = new RegExp(src);
    } catch (e) {
      r = (e as Error).message;
    }
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(src, r);
  }
  return r;
}

export function evaluate(p: ObservationExpression, observations: readonly PatternObservation[]): Evaluation {
  const why = notEvaluableReason(p);
  if (why) return { evaluable: false, reason: why };
  const state = { complete: true };
  const indexes = observations.map((o) => indexObjects(o.objects));
  const bindings = evalObservation(p, observations, indexes, state);
  const first = bindings[0];
  return { evaluable: true, matched: first !== undefined, complete: state.complete, observations: first ? first.obs : [] };
}

type ObjectIndex = ReadonlyMap<string, Readonly<Record<string, unknown>>>;

function indexObjects(objects: readonly Readonly<Record<string, unknown>>[]): ObjectIndex {
  const m = new Map<string, Readonly<Record<string, unknown>>>();
  for (const o of objects) if (typeof o.id === 'string') m.set(o.id, o);
  return m;
}

function evalObservation(e: ObservationExpression, obs: readonly PatternObservation[], idx: readonly ObjectIndex[], state: { complete: boolean }): Binding[] {
  switch (e.kind) {
    case 'observation': {
      const out: Binding[] = [];
      for (let i = 0; i < obs.length; i++) {
        const o = obs[i] as PatternObservation;
        if (o.objects.some((root) => evalComparison(e.comparison, root, idx[i] as ObjectIndex))) {
          if (out.length >= MAX_BINDINGS) {
            state.complete = false;
            break;
          }
          out.push({ obs: [i], first: o.time, last: o.time });
        }
      }
      return out;
    }
    case 'or': {
      const merged = dedupe([...evalObservation(e.left, obs, idx, state), ...evalObservation(e.right, obs, idx, state)]);
      if (merged.length > MAX_BINDINGS) state.complete = false;
      return merged.slice(0, MAX_BINDINGS);
    }
    case 'and':
      return combine(evalObservation(e.left, obs, idx, state), evalObservation(e.right, obs, idx, state), () => true, state);
    case 'followedby':
      return combine(evalObservation(e.left, obs, idx, state), evalObservation(e.right, obs, idx, state), (a, b) => a.last <= b.first, state);
    case 'qualified': {
      const inner = evalObservation(e.expression, obs, idx, state);
      const q = e.qualifier;
      if (q.kind === 'within') return inner.filter((b) => b.last - b.first < q.seconds * 1000);
      if (q.kind === 'startstop') {
        const start = timestampMillis(q.start) as number;
        const stop = timestampMillis(q.stop) as number;
        return inner.filter((b) => b.first >= start && b.last < stop);
      }
      // REPEATS n: n matches of the expression on pairwise different observations.
      let acc = inner;
      for (let k = 1; k < q.times && acc.length > 0; k++) acc = combine(acc, inner, () => true, state);
      return acc;
    }
  }
}

/** Unions of one binding from each side on disjoint observations that satisfy `ok`. */
function combine(a: readonly Binding[], b: readonly Binding[], ok: (x: Binding, y: Binding) => boolean, state: { complete: boolean }): Binding[] {
  const out = new Map<string, Binding>();
  let pairs = 0;
  for (const x of a) {
    for (const y of b) {
      if (++pairs > MAX_PAIRS || out.size >= MAX_BINDINGS) {
        state.complete = false;
        return [...out.values()];
      }
      if (!ok(x, y) || x.obs.some((i) => y.obs.includes(i))) continue;
      const all = [...x.obs, ...y.obs].sort((p, q) => p - q);
      const key = all.join(',');
      if (!out.has(key)) out.set(key, { obs: all, first: Math.min(x.first, y.first), last: Math.max(x.last, y.last) });
    }
  }
  return [...out.values()];
}

function dedupe(bs: readonly Binding[]): Binding[] {
  const m = new Map<string, Binding>();
  for (const b of bs) m.set(b.obs.join(','), b);
  return [...m.values()];
}

function evalComparison(c: ComparisonExpression, root: Readonly<Record<string, unknown>>, idx: ObjectIndex): boolean {
  switch (c.kind) {
    case 'and':
      return evalComparison(c.left, root, idx) && evalComparison(c.right, root, idx);
    case 'or':
      return evalComparison(c.left, root, idx) || evalComparison(c.right, root, idx);
    case 'exists':
      return root.type === c.path.objectType && resolvePath(c.path, root, idx).length > 0;
    case 'compare': {
      if (root.type !== c.path.objectType) return false;
      const values = resolvePath(c.path, root, idx);
      // A path not present makes the comparison false, with or without NOT (section 9.6).
      if (values.length === 0) return false;
      const hit = values.some((v) => compareOne(c.operator, v, c.value));
      return c.negated ? !hit : hit;
    }
  }
}

function compareOne(op: string, v: PathValue, constant: Constant | readonly Constant[]): boolean {
  if (Array.isArray(constant)) return (constant as readonly Constant[]).some((k) => equalsValue(v, k) === true);
  const k = constant as Constant;
  switch (op) {
    case '=':
      return equalsValue(v, k) === true;
    case '!=':
      // Incompatible types compare unequal: "the sole exception is the != operator".
      return equalsValue(v, k) !== true;
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const d = compareValue(v, k);
      if (d === undefined) return false;
      return op === '<' ? d < 0 : op === '<=' ? d <= 0 : op === '>' ? d > 0 : d >= 0;
    }
    case 'LIKE':
      return typeof v.value === 'string' && k.kind === 'string' && likeRegex(k.value).test(v.value.normalize('NFC'));
    case 'MATCHES': {
      if (typeof v.value !== 'string' || k.kind !== 'string') return false;
      const re = compileRegex(k.value);
      return typeof re !== 'string' && re.test(v.value.normalize('NFC'));
    }
    case 'ISSUBSET':
    case 'ISSUPERSET': {
      const ip = ipOf(v) ?? (typeof v.value === 'string' && v.property === 'value' ? asRange(v.value) : undefined);
      const set = k.kind === 'string' ? asRange(k.value) : undefined;
      if (!ip || !set || ip.family !== set.family) return false;
      return op === 'ISSUBSET' ? set.lo <= ip.lo && ip.hi <= set.hi : ip.lo <= set.lo && set.hi <= ip.hi;
    }
    default:
      return false;
  }
}

function asRange(text: string): ReturnType<typeof ipOf> {
  const r = parseAnyIpValue(text);
  return typeof r === 'string' ? undefined : r;
}

const likeCache = new Map<string, RegExp>();
/** SQL LIKE: % any run of characters, _ any one character, everything else literal; NFC (section 9.6.1). */
function likeRegex(pattern: string): RegExp {
  let r = likeCache.get(pattern);
  if (!r) {
    const body = [...pattern.normalize('NFC')].map((ch) => (ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'))).join('');
    r = new RegExp(`^${body}$`, 'su');
    if (likeCache.size > 1000) likeCache.clear();
    likeCache.set(pattern, r);
  }
  return r;
}

/**
 * The values an object path reaches from a root object: properties, dictionary keys, list
 * items ([n], [*]) and references (`x_ref.prop`, `x_refs[*].prop`) followed within the
 * observation.
 */
export function resolvePath(path: ObjectPath, root: Readonly<Record<string, unknown>>, idx: ObjectIndex): PathValue[] {
  type At = { value: unknown; ownerType: string; property: string; refList: boolean };
  let current: At[] = [{ value: root, ownerType: String(root.type), property: '', refList: false }];
  for (const step of path.steps) {
    const next: At[] = [];
    for (const at of current) {
      if (step.kind === 'property') {
        let obj = at.value;
        let ownerType = at.ownerType;
        // A reference followed by a property: the referenced object of this observation.
        if (typeof obj === 'string' && (at.property.endsWith('_ref') || at.refList)) {
          const target = idx.get(obj);
          if (!target) continue;
          obj = target;
          ownerType = String(target.type);
        }
        if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) continue;
        const rec = obj as Record<string, unknown>;
        if (!Object.hasOwn(rec, step.name)) continue;
        next.push({ value: rec[step.name], ownerType, property: step.name, refList: false });
      } else {
        if (!Array.isArray(at.value)) continue;
        const items = step.kind === 'every' ? at.value : at.value.length > step.index ? [at.value[step.index]] : [];
        for (const item of items) next.push({ value: item, ownerType: at.ownerType, property: at.property, refList: at.property.endsWith('_refs') });
      }
    }
    current = next;
    if (current.length === 0) return [];
  }
  return current.map((a) => ({ value: a.value, ownerType: a.ownerType, property: a.property }));
}
