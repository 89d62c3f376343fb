/**
 * The field reader shared by NetFlow v9 and IPFIX: reads one data record laid out by a compiled
 * plan, writing addresses, ports and the like straight into the batch and counters, times and
 * sampling fields into scratch slots. Unsigned values of 1 to 8 bytes are read whatever their
 * length (reduced-size encoding, RFC 7011 §6.2); IPFIX variable-length fields carry a one-byte
 * length, or 255 and a two-byte length (§7).
 */
import { u16be, u32be } from '../../sources/record-parser.js';
import { K, lengthFits } from './field-kinds.js';
import { VARIABLE_LENGTH, type RecordPlan } from './template-plan.js';

const NTP_TO_UNIX_SECONDS = 2208988800;

/** An unsigned big-endian integer of 1 to 8 bytes (exact below 2^53). */
export function readUint(d: Uint8Array, o: number, len: number): number {
  switch (len) {
    case 1: return d[o] as number;
    case 2: return u16be(d, o);
    case 4: return u32be(d, o);
    case 8: return u32be(d, o) * 4294967296 + u32be(d, o + 4);
    default: {
      let v = 0;
      for (let k = 0; k < len; k++) v = v * 256 + (d[o + k] as number);
      return v;
    }
  }
}

/** An NTP time stamp (RFC 7011 §6.1.9: dateTimeMicroseconds and dateTimeNanoseconds) as Unix milliseconds. */
export function ntpMs(d: Uint8Array, o: number): number {
  const seconds = readUint(d, o, 4);
  const fraction = readUint(d, o + 4, 4);
  return (seconds - NTP_TO_UNIX_SECONDS) * 1000 + (fraction / 4294967296) * 1000;
}

/**
 * IPv4 as IPv4-mapped IPv6 into a record that `FlowBatch.begin()` has just zeroed: only the
 * ::ffff: marker and the four address bytes are written (FlowBatch.setV4 clears first, a `fill`
 * call per address that shows in profiles).
 */
export function setMappedV4(col: Uint8Array, at: number, d: Uint8Array, o: number): void {
  col[at + 10] = 0xff;
  col[at + 11] = 0xff;
  col[at + 12] = d[o] as number;
  col[at + 13] = d[o + 1] as number;
  col[at + 14] = d[o + 2] as number;
  col[at + 15] = d[o + 3] as number;
}

function copy16(to: Uint8Array, at: number, d: Uint8Array, o: number): void {
  for (let k = 0; k < 16; k++) to[at + k] = d[o + k] as number;
}


/** Batch columns the reader writes (a FlowBatch, or anything with the same columns). */
export interface RecordColumns {
  src16: Uint8Array; dst16: Uint8Array; sport: Uint16Array; dport: Uint16Array; proto: Uint8Array; tcpFlags: Uint8Array;
  inIf: Uint32Array; outIf: Uint32Array; srcAs: Uint32Array; dstAs: Uint32Array;
}

function apply(d: Uint8Array, o: number, len: number, kind: number, b: RecordColumns, i: number, s: Float64Array): void {
  switch (kind) {
    case K.src4: setMappedV4(b.src16, i * 16, d, o); break;
    case K.dst4: setMappedV4(b.dst16, i * 16, d, o); break;
    case K.src6: copy16(b.src16, i * 16, d, o); break;
    case K.dst6: copy16(b.dst16, i * 16, d, o); break;
    case K.sport: b.sport[i] = readUint(d, o, len); break;
    case K.dport: b.dport[i] = readUint(d, o, len); break;
    case K.proto: b.proto[i] = readUint(d, o, len); break;
    case K.tcpFlags: b.tcpFlags[i] = readUint(d, o, len); break;
    case K.inIf: b.inIf[i] = readUint(d, o, len); break;
    case K.outIf: b.outIf[i] = readUint(d, o, len); break;
    case K.srcAs: b.srcAs[i] = readUint(d, o, len); break;
    case K.dstAs: b.dstAs[i] = readUint(d, o, len); break;
    case K.startNtp: case K.endNtp: s[kind] = ntpMs(d, o); break;
    default: s[kind] = readUint(d, o, len);
  }
}

/**
 * Reads the record starting at `p` into record `i` of `b` and the scratch `s` (whose used slots
 * the caller has cleared). Returns where the record ends, or -1 when it runs beyond `end`.
 */
export function readRecord(d: Uint8Array, p: number, end: number, plan: RecordPlan, b: RecordColumns, i: number, s: Float64Array): number {
  if (plan.fixedLength >= 0) {
    if (p + plan.fixedLength > end) return -1;
    const ops = plan.ops;
    for (let k = 0; k < ops.length; k += 3) {
      const kind = ops[k + 2] as number;
      const o = p + (ops[k] as number);
      const len = ops[k + 1] as number;
      // Counters and times (most fields of a record) straight into scratch: apply's switch is the slower path.
      if (kind >= K.octets && kind !== K.startNtp && kind !== K.endNtp) s[kind] = len === 8 ? readUint(d, o, 8) : len === 4 ? readUint(d, o, 4) : readUint(d, o, len);
      else if (kind !== K.skip) apply(d, o, len, kind, b, i, s);
    }
    return p + plan.fixedLength;
  }
  const walk = plan.walk;
  let q = p;
  for (let k = 0; k < walk.length; k += 2) {
    let len = walk[k] as number;
    if (len === VARIABLE_LENGTH) {
      if (q + 1 > end) return -1;
      len = d[q] as number;
      q += 1;
      if (len === 255) {
        if (q + 2 > end) return -1;
        len = readUint(d, q, 2);
        q += 2;
      }
    }
    if (q + len > end) return -1;
    const kind = walk[k + 1] as number;
    if (kind !== K.skip && lengthFits(kind, len)) apply(d, q, len, kind, b, i, s);
    q += len;
  }
  return q;
}
