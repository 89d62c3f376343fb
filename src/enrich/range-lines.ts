/**
 * One line of a text range file → ranges in the sink. Each parser returns null when the line was
 * used, or the reason it is malformed.
 *
 *   csv-asn      start,end,asn,org             ip-location-db asn files, org may be quoted
 *   csv-country  start,end,country_code[,…]    ip-location-db country / city files
 *   iptoasn      start\tend\tasn\tcc\tdescr     iptoasn.com ip2asn-combined.tsv
 *   pfx2as       prefix\tlength\tasn            RouteViews / CAIDA, asn may be 1_2 or 1,2
 */
import { splitCsvLine } from './csv-fields.js';
import { IPV4_MAX, IPV6_MAX, parseIp } from '../net/ip.js';
import type { EnrichSink, RangeCollector } from './range-collector.js';

export type TextVariant = 'csv-asn' | 'csv-country' | 'iptoasn' | 'pfx2as';

/** ASN as `123` or `AS123`; -1 when not a 32-bit unsigned integer. */
export function parseAsn(text: string): number {
  const t = text.trim();
  const digits = t.length > 2 && (t[0] === 'A' || t[0] === 'a') && (t[1] === 'S' || t[1] === 's') ? t.slice(2) : t;
  if (!/^[0-9]{1,10}$/.test(digits)) return -1;
  const n = Number(digits);
  return n <= 0xffffffff ? n : -1;
}

function addRange(into: RangeCollector, startText: string, endText: string, value: number): string | null {
  const s = parseIp(startText.trim());
  const e = parseIp(endText.trim());
  if (s === null) return 'start is not an IP address';
  if (e === null) return 'end is not an IP address';
  if (s.family === 4 && e.family === 4) {
    if (s.value > e.value) return 'start is after end';
    if (value !== 0) into.add4(s.value, e.value, value);
    return null;
  }
  if (s.family === 6 && e.family === 6) {
    if (s.value > e.value) return 'start is after end';
    if (value !== 0) into.add6(s.value, e.value, value);
    return null;
  }
  return 'start and end are of different IP versions';
}

export function parseCsvAsnLine(line: string, sink: EnrichSink): string | null {
  const f = splitCsvLine(line);
  if (f === null) return 'unterminated quote';
  if (f.length < 3) return `expected start,end,asn,org but found ${f.length} field(s)`;
  const asn = parseAsn(f[2]);
  if (asn < 0) return 'asn is not a number';
  // An org name that was not quoted but contains commas spreads over the remaining fields.
  const org = f.slice(3).join(',').trim();
  const problem = addRange(sink.asn, f[0], f[1], asn);
  if (problem === null) sink.addOrg(asn, org);
  return problem;
}

export function parseCsvCountryLine(line: string, sink: EnrichSink): string | null {
  const f = splitCsvLine(line);
  if (f === null) return 'unterminated quote';
  if (f.length < 3) return `expected start,end,country_code but found ${f.length} field(s)`;
  const cc = f[2].trim();
  if (cc !== '' && !/^[A-Za-z]{2}$/.test(cc)) return 'country_code is not two letters';
  return addRange(sink.country, f[0], f[1], sink.countryIndex(cc));
}

export function parseIptoasnLine(line: string, sink: EnrichSink): string | null {
  const f = line.split('\t');
  if (f.length < 4) return `expected 5 tab-separated fields but found ${f.length}`;
  const asn = parseAsn(f[2]);
  if (asn < 0) return 'AS_number is not a number';
  const cc = f[3].trim();
  // iptoasn writes "None" for unrouted space; other odd codes are malformed.
  if (cc !== 'None' && cc !== '' && !/^[A-Za-z]{2}$/.test(cc)) return 'country_code is not two letters';
  const problem = addRange(sink.asn, f[0], f[1], asn);
  if (problem !== null) return problem;
  addRange(sink.country, f[0], f[1], sink.countryIndex(cc));
  sink.addOrg(asn, f.slice(4).join('\t').trim());
  return null;
}

export function parsePfx2asLine(line: string, sink: EnrichSink): string | null {
  const f = line.trim().split(/\s+/);
  if (f.length !== 3) return `expected prefix, length, asn but found ${f.length} field(s)`;
  const ip = parseIp(f[0]);
  if (ip === null) return 'prefix is not an IP address';
  if (!/^[0-9]{1,3}$/.test(f[1])) return 'length is not a number';
  const len = Number(f[1]);
  // Multi-origin "123_456" and AS-sets "123,456" / "{123,456}": the first AS is taken.
  const first = f[2].replace(/^\{/, '').split(/[_,]/)[0].replace(/\}$/, '');
  const asn = parseAsn(first);
  if (asn < 0) return 'asn is not a number';
  if (ip.family === 4) {
    if (len > 32) return 'length is over 32 for IPv4';
    const size = 2 ** (32 - len);
    const start = ip.value - (ip.value % size); // host bits set by mistake are cleared
    if (asn !== 0) sink.asn.add4(start, Math.min(start + size - 1, IPV4_MAX), asn);
    return null;
  }
  if (len > 128) return 'length is over 128 for IPv6';
  const hostMask = (1n << BigInt(128 - len)) - 1n;
  const start = ip.value & ~hostMask & IPV6_MAX;
  if (asn !== 0) sink.asn.add6(start, start | hostMask, asn);
  return null;
}

export const LINE_PARSERS: Record<TextVariant, (line: string, sink: EnrichSink) => string | null> = {
  'csv-asn': parseCsvAsnLine,
  'csv-country': parseCsvCountryLine,
  iptoasn: parseIptoasnLine,
  pfx2as: parsePfx2asLine,
};

/**
 * Guesses the variant from one data line; null when the line fits none. `allowed` restricts
 * the guess (an explicit `format` narrows it to that format's variants).
 */
export function guessVariant(line: string, allowed: readonly TextVariant[]): TextVariant | null {
  if (line.indexOf('\t') >= 0 || /^\S+\s+\d{1,3}\s+\S+$/.test(line.trim())) {
    const tabs = line.split('\t');
    if (allowed.includes('iptoasn') && tabs.length >= 4 && parseIp(tabs[0]) !== null && parseIp(tabs[1]) !== null && parseAsn(tabs[2]) >= 0) return 'iptoasn';
    const ws = line.trim().split(/\s+/);
    if (allowed.includes('pfx2as') && ws.length === 3 && parseIp(ws[0]) !== null && /^\d{1,3}$/.test(ws[1])) return 'pfx2as';
  }
  const f = splitCsvLine(line);
  if (f === null || f.length < 3 || parseIp(f[0].trim()) === null || parseIp(f[1].trim()) === null) return null;
  const third = f[2].trim();
  if (allowed.includes('csv-asn') && parseAsn(third) >= 0) return 'csv-asn';
  if (allowed.includes('csv-country') && /^[A-Za-z]{2}$/.test(third)) return 'csv-country';
  return null;
}
