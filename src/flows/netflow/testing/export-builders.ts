/**
 * Tests only: NetFlow v5, v9 and IPFIX datagrams built from the specifications (Cisco's v5
 * format, RFC 3954, RFC 7011), so tests can state exactly what an exporter sent.
 */
import { bytes } from '../../../sources/testing/frames.js';

export const u8 = (v: number): number[] => [v & 255];
export const u16 = (v: number): number[] => [(v >>> 8) & 255, v & 255];
export const u32 = (v: number): number[] => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
export const u64 = (v: number): number[] => [...u32(Math.floor(v / 4294967296)), ...u32(v % 4294967296)];
export const ip4 = (s: string): number[] => s.split('.').map(Number);

export interface Field { id: number; length: number; enterprise?: number }

/** A set (flowset): id, length, body, padded to `pad` bytes if given. */
export function set(id: number, body: number[], pad = 0): number[] {
  const padding = pad > 0 ? (pad - ((body.length + 4) % pad)) % pad : 0;
  return [...u16(id), ...u16(body.length + 4 + padding), ...body, ...Array<number>(padding).fill(0)];
}

/** A v9 template record. */
export const v9Template = (id: number, fields: Field[]): number[] => [...u16(id), ...u16(fields.length), ...fields.flatMap((f) => [...u16(f.id), ...u16(f.length)])];

/** A v9 options template record (scope fields first). */
export const v9OptionsTemplate = (id: number, scope: Field[], options: Field[]): number[] =>
  [...u16(id), ...u16(scope.length * 4), ...u16(options.length * 4), ...[...scope, ...options].flatMap((f) => [...u16(f.id), ...u16(f.length)])];

export function v9(o: { sysUptime: number; unixSecs: number; sequence?: number; sourceId?: number; count?: number }, ...sets: number[][]): Uint8Array {
  return bytes(u16(9), u16(o.count ?? sets.length), u32(o.sysUptime), u32(o.unixSecs), u32(o.sequence ?? 0), u32(o.sourceId ?? 0), ...sets);
}

const ipfixField = (f: Field): number[] => (f.enterprise ? [...u16(f.id | 0x8000), ...u16(f.length), ...u32(f.enterprise)] : [...u16(f.id), ...u16(f.length)]);

/** An IPFIX template record (withdrawal when `fields` is empty). */
export const ipfixTemplate = (id: number, fields: Field[]): number[] => [...u16(id), ...u16(fields.length), ...fields.flatMap(ipfixField)];

/** An IPFIX options template record. */
export const ipfixOptionsTemplate = (id: number, scope: Field[], options: Field[]): number[] =>
  [...u16(id), ...u16(scope.length + options.length), ...u16(scope.length), ...[...scope, ...options].flatMap(ipfixField)];

export function ipfix(o: { exportTime: number; sequence?: number; domain?: number }, ...sets: number[][]): Uint8Array {
  const body = sets.flat();
  return bytes(u16(10), u16(16 + body.length), u32(o.exportTime), u32(o.sequence ?? 0), u32(o.domain ?? 0), body);
}

/** An IPFIX variable-length value: one length byte, or 255 and two. */
export const varLength = (value: number[]): number[] => (value.length < 255 ? [value.length, ...value] : [255, ...u16(value.length), ...value]);

export interface V5Record {
  src: string; dst: string; inIf?: number; outIf?: number; packets: number; octets: number; first: number; last: number;
  sport: number; dport: number; flags?: number; proto: number; srcAs?: number; dstAs?: number;
}

export function v5(o: { count?: number; sysUptime: number; unixSecs: number; unixNsecs?: number; sequence?: number; engineType?: number; engineId?: number; sampling?: number }, records: V5Record[]): Uint8Array {
  const recs = records.map((r) => bytes(ip4(r.src), ip4(r.dst), [0, 0, 0, 0], u16(r.inIf ?? 0), u16(r.outIf ?? 0), u32(r.packets), u32(r.octets),
    u32(r.first), u32(r.last), u16(r.sport), u16(r.dport), [0, r.flags ?? 0, r.proto, 0], u16(r.srcAs ?? 0), u16(r.dstAs ?? 0), [24, 24, 0, 0]));
  return bytes(u16(5), u16(o.count ?? records.length), u32(o.sysUptime), u32(o.unixSecs), u32(o.unixNsecs ?? 0), u32(o.sequence ?? 0),
    [o.engineType ?? 0, o.engineId ?? 0], u16(o.sampling ?? 0), ...recs);
}
