/**
 * Builders of packets and frames for test vectors, written from the specifications
 * (RFC 791, 8200, 793, 768, 792, 4443; IEEE 802.1Q; Linux SLL/SLL2; BSD loopback).
 */
export const bytes = (...parts: (Uint8Array | number[])[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

const be16 = (v: number): number[] => [(v >>> 8) & 255, v & 255];
const be32 = (v: number): number[] => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
export const ip4 = (s: string): number[] => s.split('.').map(Number);

export function ip6(s: string): number[] {
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':').filter(Boolean) : [];
  const t = tail ? tail.split(':').filter(Boolean) : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.flatMap((g) => be16(parseInt(g, 16)));
}

export function tcp(o: { sport: number; dport: number; seq?: number; ack?: number; flags: number; window?: number; options?: number[] }): Uint8Array {
  const opts = o.options ?? [];
  const off = 5 + Math.ceil(opts.length / 4);
  const padded = [...opts, ...Array(off * 4 - 20 - opts.length).fill(0)];
  return bytes(be16(o.sport), be16(o.dport), be32(o.seq ?? 0), be32(o.ack ?? 0), [off << 4, o.flags], be16(o.window ?? 1024), [0, 0, 0, 0], padded);
}

export function udp(sport: number, dport: number, payload: number[] = []): Uint8Array {
  return bytes(be16(sport), be16(dport), be16(8 + payload.length), [0, 0], payload);
}

export function icmp(type: number, code: number, rest: number[] = [0, 0, 0, 0]): Uint8Array {
  return bytes([type, code, 0, 0], rest);
}

/** ICMPv6 (RFC 4443) has the same type, code, checksum layout as ICMP. */
export const icmp6 = icmp;

/** The IP protocol / next-header numbers of the extension headers `ext` builds. */
export const EXT_PROTO = { hop: 0, routing: 43, frag: 44, ah: 51, dest: 60, mobility: 135, hip: 139, shim6: 140 } as const;

export function ipv4(o: { src: string; dst: string; proto: number; id?: number; ttl?: number; payload: Uint8Array; options?: number[]; fragOffset?: number; moreFragments?: boolean; totalLength?: number }): Uint8Array {
  const opts = o.options ?? [];
  const ihl = 5 + Math.ceil(opts.length / 4);
  const padded = [...opts, ...Array(ihl * 4 - 20 - opts.length).fill(0)];
  const frag = ((o.moreFragments ? 0x2000 : 0) | ((o.fragOffset ?? 0) & 0x1fff)) >>> 0;
  const total = o.totalLength ?? ihl * 4 + o.payload.length;
  return bytes([0x40 | ihl, 0], be16(total), be16(o.id ?? 0), be16(frag), [o.ttl ?? 64, o.proto], [0, 0], ip4(o.src), ip4(o.dst), padded, o.payload);
}

/** An IPv6 extension header: [next header, hdr ext len, …] padded to its length. */
export function ext(kind: 'hop' | 'routing' | 'dest' | 'mobility' | 'hip' | 'shim6' | 'ah' | 'frag', next: number, o: { fragOffset?: number; more?: boolean; id?: number; units?: number } = {}): Uint8Array {
  if (kind === 'frag') return bytes([next, 0], be16(((o.fragOffset ?? 0) << 3) | (o.more ? 1 : 0)), be32(o.id ?? 0));
  if (kind === 'ah') {
    const units = o.units ?? 4; // (len+2)*4 bytes
    return bytes([next, units], Array((units + 2) * 4 - 2).fill(0));
  }
  const units = o.units ?? 0; // (len+1)*8 bytes
  return bytes([next, units], Array((units + 1) * 8 - 2).fill(0));
}

export function ipv6(o: { src: string; dst: string; next: number; hop?: number; payload: Uint8Array }): Uint8Array {
  return bytes([0x60, 0, 0, 0], be16(o.payload.length), [o.next, o.hop ?? 64], ip6(o.src), ip6(o.dst), o.payload);
}

export function ether(type: number, payload: Uint8Array, vlanTpids: number[] = []): Uint8Array {
  const mac = [2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2];
  // 802.1Q / QinQ: TPID and TCI per tag, then the EtherType of the payload.
  const tags = vlanTpids.flatMap((tpid, i) => [...be16(tpid), ...be16(100 + i)]);
  return bytes(mac, tags, be16(type), payload);
}

export function sll(proto: number, payload: Uint8Array): Uint8Array {
  return bytes(be16(0), be16(1), be16(6), [2, 0, 0, 0, 0, 1, 0, 0], be16(proto), payload);
}

export function sll2(proto: number, payload: Uint8Array): Uint8Array {
  return bytes(be16(proto), [0, 0], be32(2), be16(1), [0, 6], [2, 0, 0, 0, 0, 1, 0, 0], payload);
}

/** A PPPoE session frame's payload (RFC 2516): ver/type, code, session, length, then the PPP protocol (RFC 1661). */
export function pppoe(pppProto: number, payload: Uint8Array): Uint8Array {
  return bytes([0x11, 0], be16(0x1234), be16(2 + payload.length), be16(pppProto), payload);
}

/** An MPLS label stack (RFC 3032): label, TC, bottom-of-stack bit on the last entry, TTL. */
export function mpls(labels: number[], payload: Uint8Array): Uint8Array {
  const stack = labels.flatMap((label, k) => be32(((label << 12) | (k === labels.length - 1 ? 0x100 : 0) | 64) >>> 0));
  return bytes(stack, payload);
}

export function nullLink(af: number, littleEndian: boolean, payload: Uint8Array): Uint8Array {
  const v = be32(af);
  return bytes(littleEndian ? v.reverse() : v, payload);
}
