/**
 * Comparing an SCO property's value with a pattern constant (section 9.6): code-point order for
 * strings, numbers by value, timestamps at full precision, binary properties (`_bin`, `_hex`)
 * as octets, and the address value of ipv4-addr/ipv6-addr as the network it denotes, so that
 * '198.51.100.1/32' equals '198.51.100.1'.
 */
import { compareTimestamps, isStixTimestamp } from '../timestamps.js';
import { parseIpValue, type IpRange } from '../sco-values.js';
import type { Constant } from './ast.js';

/** A value found at the end of an object path, with what it is a property of. */
export interface PathValue {
  readonly value: unknown;
  readonly ownerType: string;
  readonly property: string;
}

export function ipOf(v: PathValue): IpRange | undefined {
  if (typeof v.value !== 'string' || v.property !== 'value') return undefined;
  if (v.ownerType !== 'ipv4-addr' && v.ownerType !== 'ipv6-addr') return undefined;
  const r = parseIpValue(v.value, v.ownerType === 'ipv4-addr' ? 4 : 6);
  return typeof r === 'string' ? undefined : r;
}

function bytesOf(v: PathValue): Uint8Array | undefined {
  if (typeof v.value !== 'string') return undefined;
  if (v.property.endsWith('_hex') && /^([0-9a-fA-F]{2})*$/.test(v.value)) return Uint8Array.from(Buffer.from(v.value, 'hex'));
  if (v.property.endsWith('_bin')) return Uint8Array.from(Buffer.from(v.value, 'base64'));
  return undefined;
}

/** A string constant as octets when every code point is below U+0100 (section 9.6.4). */
function latin1(s: string): Uint8Array | undefined {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) return undefined;
    out[i] = c;
  }
  return out;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}

/** Code-point order (JavaScript's < compares UTF-16 units, which misorders characters above U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const d = (x.value.codePointAt(0) as number) - (y.value.codePointAt(0) as number);
    if (d !== 0) return d;
  }
}

/** Orders a value against a constant; undefined when the two are of incompatible types. */
export function compareValue(v: PathValue, c: Constant): number | undefined {
  const bytes = bytesOf(v);
  if (bytes) {
    if (c.kind === 'binary' || c.kind === 'hex') return compareBytes(bytes, c.value);
    if (c.kind === 'string') {
      const b = latin1(c.value);
      return b ? compareBytes(bytes, b) : undefined;
    }
    return undefined;
  }
  const x = v.value;
  switch (c.kind) {
    case 'int':
    case 'float':
      return typeof x === 'number' ? Math.sign(x - c.value) : undefined;
    case 'bool':
      return typeof x === 'boolean' ? (x === c.value ? 0 : x ? 1 : -1) : undefined;
    case 'timestamp':
      return typeof x === 'string' && isStixTimestamp(x) ? compareTimestamps(x, c.value) : undefined;
    case 'string':
      return typeof x === 'string' ? compareCodePoints(x, c.value) : undefined;
    default:
      return undefined;
  }
}

export function equalsValue(v: PathValue, c: Constant): boolean | undefined {
  const ip = ipOf(v);
  if (ip && c.kind === 'string') {
    const r = parseIpValue(c.value, ip.family);
    if (typeof r !== 'string') return r.lo === ip.lo && r.hi === ip.hi;
  }
  const d = compareValue(v, c);
  return d === undefined ? undefined : d === 0;
}
