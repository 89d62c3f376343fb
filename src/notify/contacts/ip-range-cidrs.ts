/** Address text ↔ 128-bit numbers, and an inclusive range split into the fewest CIDR blocks. */
import { isIP } from 'node:net';
import { parseIPv4, parseIPv6, formatIPv4, formatIPv6 } from '../../enrich/ip-text.js';

export interface NumIp { family: 4 | 6; value: bigint }

export function ipNum(text: string): NumIp | undefined {
  const t = text.trim();
  if (isIP(t) === 4) return { family: 4, value: BigInt(parseIPv4(t) >>> 0) };
  if (isIP(t) === 6) {
    const v = parseIPv6(t);
    return v === null ? undefined : { family: 6, value: v };
  }
  return undefined;
}

export function ipText(family: 4 | 6, v: bigint): string {
  return family === 4 ? formatIPv4(Number(v)) : formatIPv6(v);
}

/** "a - b" or "a-b" or a CIDR → CIDR blocks; undefined when it is neither. */
export function rangeToCidrs(text: string): string[] | undefined {
  const t = text.trim();
  const slash = /^([^/\s]+)\/(\d{1,3})$/.exec(t);
  if (slash) {
    const ip = ipNum(slash[1] as string);
    const bits = Number(slash[2]);
    if (!ip || bits > (ip.family === 4 ? 32 : 128)) return undefined;
    const width = ip.family === 4 ? 32 : 128;
    const mask = ((1n << BigInt(width)) - 1n) ^ ((1n << BigInt(width - bits)) - 1n);
    return [`${ipText(ip.family, ip.value & mask)}/${bits}`];
  }
  const dash = /^(\S+)\s*-\s*(\S+)$/.exec(t);
  if (!dash) return undefined;
  const a = ipNum(dash[1] as string);
  const b = ipNum(dash[2] as string);
  if (!a || !b || a.family !== b.family || a.value > b.value) return undefined;
  return splitRange(a.family, a.value, b.value);
}

export function splitRange(family: 4 | 6, start: bigint, end: bigint): string[] {
  const width = family === 4 ? 32 : 128;
  const out: string[] = [];
  let cur = start;
  while (cur <= end) {
    // The largest block aligned at `cur` that does not pass `end`.
    let size = 0;
    while (size < width && (cur & ((1n << BigInt(size + 1)) - 1n)) === 0n && cur + (1n << BigInt(size + 1)) - 1n <= end) size++;
    out.push(`${ipText(family, cur)}/${width - size}`);
    cur += 1n << BigInt(size);
    if (out.length > 256) break; // a sane RIR range never needs more; stop a pathological one
  }
  return out;
}
