/** Checks every STIX object shares (section 3.2 common properties, 2.5 external references, 2.11 kill chain phases, 2.7 hashes, 3.3 custom properties). */
import { isId, isTypeName } from './ids.js';
import { child, describe, isRecord, type Issues, type JsonRecord } from './issues.js';
import { compareTimestamps, fractionDigits, parseStixTimestamp } from './timestamps.js';

export function checkString(issues: Issues, path: string, v: unknown, opts: { nonEmpty?: boolean } = {}): v is string {
  if (typeof v !== 'string') {
    issues.add(path, `must be a string, not ${describe(v)}`);
    return false;
  }
  if (opts.nonEmpty && v.trim() === '') {
    issues.add(path, 'must not be empty');
    return false;
  }
  return true;
}

export function checkStringList(issues: Issues, path: string, v: unknown): void {
  if (!Array.isArray(v)) {
    issues.add(path, `must be a list of strings, not ${describe(v)}`);
    return;
  }
  v.forEach((e, i) => checkString(issues, child(path, i), e));
}

export function checkBoolean(issues: Issues, path: string, v: unknown): void {
  if (typeof v !== 'boolean') issues.add(path, `must be true or false, not ${describe(v)}`);
}

export function checkInteger(issues: Issues, path: string, v: unknown, min: number, max: number): v is number {
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    issues.add(path, `must be an integer, not ${describe(v)}`);
    return false;
  }
  if (v < min || v > max) {
    issues.add(path, `must be between ${min.toLocaleString('en')} and ${max.toLocaleString('en')}, not ${v}`);
    return false;
  }
  return true;
}

export function checkTimestamp(issues: Issues, path: string, v: unknown, opts: { milliseconds?: boolean } = {}): v is string {
  if (typeof v !== 'string') {
    issues.add(path, `must be a timestamp string, not ${describe(v)}`);
    return false;
  }
  const p = parseStixTimestamp(v);
  if (typeof p === 'string') {
    issues.add(path, p);
    return false;
  }
  if (opts.milliseconds && fractionDigits(v) < 3) {
    issues.add(path, `"${v}" must be precise to at least the millisecond (three digits after the seconds)`);
    return false;
  }
  return true;
}

/** `later` (when both are valid timestamps) must not be before `earlier` (or must be after it, when strict). */
export function checkOrder(issues: Issues, o: JsonRecord, earlier: string, later: string, strict = false): void {
  const a = o[earlier];
  const b = o[later];
  if (typeof a !== 'string' || typeof b !== 'string' || typeof parseStixTimestamp(a) === 'string' || typeof parseStixTimestamp(b) === 'string') return;
  const c = compareTimestamps(b, a);
  if (strict ? c <= 0 : c < 0) issues.add(later, `must be ${strict ? 'later than' : 'later than or equal to'} ${earlier} (${b} ${strict && c === 0 ? 'equals' : 'is before'} ${a})`);
}

/** Hash values by algorithm (hash-algorithm-ov), hex of the algorithm's length. */
const HASH_HEX: Readonly<Record<string, number>> = { MD5: 32, 'SHA-1': 40, 'SHA-256': 64, 'SHA-512': 128, 'SHA3-256': 64, 'SHA3-512': 128 };
const HASH_KEY = /^[A-Za-z0-9_-]{3,250}$/;

export function checkHashes(issues: Issues, path: string, v: unknown): void {
  if (!isRecord(v)) {
    issues.add(path, `must be a dictionary of hashes, not ${describe(v)}`);
    return;
  }
  const keys = Object.keys(v);
  if (keys.length === 0) issues.add(path, 'must hold at least one hash');
  for (const k of keys) {
    const p = child(path, k);
    if (!HASH_KEY.test(k)) issues.add(p, 'hash names must be 3-250 characters of a-z, A-Z, 0-9, "-" and "_"');
    const h = v[k];
    if (!checkString(issues, p, h, { nonEmpty: true })) continue;
    const len = HASH_HEX[k];
    if (len !== undefined && !new RegExp(`^[0-9a-fA-F]{${len}}$`).test(h)) issues.add(p, `a ${k} hash is ${len} hexadecimal digits`);
  }
}

export function checkExternalReferences(issues: Issues, path: string, v: unknown): void {
  if (!Array.isArray(v)) {
    issues.add(path, `must be a list of external references, not ${describe(v)}`);
    return;
  }
  v.forEach((r, i) => {
    const p = child(path, i);
    if (!isRecord(r)) {
      issues.add(p, `must be an object, not ${describe(r)}`);
      return;
    }
    if (r.source_name === undefined) issues.add(child(p, 'source_name'), 'is required');
    else checkString(issues, child(p, 'source_name'), r.source_name, { nonEmpty: true });
    for (const k of ['description', 'url', 'external_id'] as const) if (r[k] !== undefined) checkString(issues, child(p, k), r[k]);
    if (r.description === undefined && r.url === undefined && r.external_id === undefined) {
      issues.add(p, 'must have at least one of description, url or external_id');
    }
    if (typeof r.url === 'string' && !URL.canParse(r.url)) issues.add(child(p, 'url'), `"${r.url}" is not a URL`);
    if (r.hashes !== undefined) checkHashes(issues, child(p, 'hashes'), r.hashes);
    // Section 2.5.1: for CVE and CAPEC the external_id is required and has its own form.
    const shape = r.source_name === 'cve' ? /^CVE-\d{4}-\d{4,}$/ : r.source_name === 'capec' ? /^CAPEC-\d+$/ : null;
    if (shape) {
      if (r.external_id === undefined) issues.add(child(p, 'external_id'), `is required when source_name is ${String(r.source_name)}`);
      else if (typeof r.external_id === 'string' && !shape.test(r.external_id)) issues.add(child(p, 'external_id'), `"${r.external_id}" is not a ${String(r.source_name).toUpperCase()} identifier`);
    }
  });
}

export function checkKillChainPhases(issues: Issues, path: string, v: unknown): void {
  if (!Array.isArray(v)) {
    issues.add(path, `must be a list of kill chain phases, not ${describe(v)}`);
    return;
  }
  v.forEach((k, i) => {
    const p = child(path, i);
    if (!isRecord(k)) {
      issues.add(p, `must be an object, not ${describe(k)}`);
      return;
    }
    for (const n of ['kill_chain_name', 'phase_name'] as const) {
      if (k[n] === undefined) issues.add(child(p, n), 'is required');
      else checkString(issues, child(p, n), k[n], { nonEmpty: true });
    }
  });
}

/** Section 11.1.1: custom property names are ASCII a-z, 0-9 and "_", 3-250 characters, and for forward compatibility start with "x_". */
const CUSTOM_NAME = /^[a-z0-9_]{3,250}$/;

export function checkCustomProperty(issues: Issues, name: string): void {
  if (!CUSTOM_NAME.test(name)) {
    issues.add(name, 'is not a STIX property of this type, and a custom property name must be 3-250 characters of a-z, 0-9 and "_"');
  } else if (!name.startsWith('x_')) {
    issues.add(name, 'is not a STIX property of this type; a custom property must start with "x_" (section 11.1) or live in an extension');
  }
}

/** `extensions` (section 7.3): predefined names or extension-definition ids, each an object. */
export function checkExtensions(issues: Issues, v: unknown, predefined: readonly string[]): void {
  if (!isRecord(v)) {
    issues.add('extensions', `must be a dictionary of extensions, not ${describe(v)}`);
    return;
  }
  if (Object.keys(v).length === 0) issues.add('extensions', 'must hold at least one extension');
  for (const [k, e] of Object.entries(v)) {
    const p = child('extensions', k);
    if (!isRecord(e)) {
      issues.add(p, `must be an object, not ${describe(e)}`);
      continue;
    }
    if (k.startsWith('extension-definition--')) {
      if (!isId(k, 'extension-definition')) issues.add(p, `"${k}" is not an extension-definition identifier`);
      const t = e.extension_type;
      if (t !== undefined && !['new-sdo', 'new-sco', 'new-sro', 'property-extension', 'toplevel-property-extension'].includes(String(t))) {
        issues.add(child(p, 'extension_type'), `must be new-sdo, new-sco, new-sro, property-extension or toplevel-property-extension, not ${describe(t)}`);
      }
    } else if (!predefined.includes(k) && !(isTypeName(k) && k.startsWith('x-'))) {
      issues.add(p, `is neither an extension defined for this type${predefined.length ? ` (${predefined.join(', ')})` : ''} nor an extension-definition identifier`);
    }
  }
}

/** True when an extension puts its properties at the top level, so unknown names there are not custom properties of ours to judge. */
export function hasToplevelExtension(o: JsonRecord): boolean {
  return isRecord(o.extensions) && Object.values(o.extensions).some((e) => isRecord(e) && e.extension_type === 'toplevel-property-extension');
}
