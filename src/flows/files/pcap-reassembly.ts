/**
 * IP fragments of UDP datagrams put back together (RFC 791, RFC 8200 §4.5), the simple way:
 * parts are kept per (family, source, destination, identification) until the last part has
 * said how long the datagram is and the parts cover it; overlaps are allowed, later bytes
 * win. Bounded: at most `maxPending` datagrams of at most 64 KiB and 128 parts each; beyond
 * that the oldest is dropped and counted as incomplete.
 */
import { FRAME, type UdpFrame } from './pcap-udp.js';

const PROTO_UDP = 17;
const MAX_DATAGRAM = 65535;
const MAX_PARTS = 128;

interface Pending {
  parts: { offset: number; bytes: Uint8Array }[];
  /** The IP payload's length once the last part (no more-fragments flag) arrived; -1 before. */
  total: number;
}

export class FragmentReassembly {
  private readonly pending = new Map<string, Pending>();
  /** Datagrams given up incomplete (evicted, oversized, or left at `finish`). */
  incomplete = 0;

  constructor(private readonly maxPending = 256) {}

  /**
   * Takes one fragment of `frame` (kind fragment); returns the reassembled IP payload (UDP
   * header first) when this part completes a UDP datagram, otherwise null.
   */
  add(frame: UdpFrame): Uint8Array | null {
    if (frame.kind !== FRAME.fragment || frame.fragProto !== PROTO_UDP) return null;
    const key = keyOf(frame);
    let p = this.pending.get(key);
    if (!p) {
      if (this.pending.size >= this.maxPending) this.evictOldest();
      p = { parts: [], total: -1 };
      this.pending.set(key, p);
    }
    const len = frame.end - frame.start;
    if (frame.fragOffset + len > MAX_DATAGRAM || p.parts.length >= MAX_PARTS) return this.drop(key);
    p.parts.push({ offset: frame.fragOffset, bytes: frame.data.slice(frame.start, frame.end) });
    if (!frame.fragMore) p.total = frame.fragOffset + len;
    if (p.total < 0) return null;
    p.parts.sort((a, b) => a.offset - b.offset);
    let covered = 0;
    for (const part of p.parts) {
      if (part.offset > covered) return null; // a hole: wait for more
      covered = Math.max(covered, part.offset + part.bytes.length);
    }
    if (covered < p.total) return null;
    const whole = new Uint8Array(p.total);
    for (const part of p.parts) whole.set(part.bytes.subarray(0, Math.max(0, p.total - part.offset)), part.offset);
    this.pending.delete(key);
    return whole;
  }

  /** Gives up on every datagram still pending; returns how many there were. */
  finish(): number {
    const n = this.pending.size;
    this.incomplete += n;
    this.pending.clear();
    return n;
  }

  private drop(key: string): null {
    this.pending.delete(key);
    this.incomplete++;
    return null;
  }

  private evictOldest(): void {
    const oldest = this.pending.keys().next();
    if (!oldest.done) this.drop(oldest.value);
  }
}

function keyOf(f: UdpFrame): string {
  let k = `${f.family}:${f.fragId}:`;
  for (let i = 0; i < 16; i++) k += String.fromCharCode(f.src16[i] ?? 0, f.dst16[i] ?? 0);
  return k;
}
