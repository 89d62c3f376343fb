import { describe, expect, it } from 'vitest';
import {
  FRAG_IS_FRAGMENT, PacketBatch, PROTO_ICMP, PROTO_ICMPV6, PROTO_TCP, PROTO_UDP,
  TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG,
} from '../decode/packet-batch.js';
import { CLASS_BACKSCATTER, CLASS_OTHER, CLASS_SCAN, classifyBatch, tcpClass } from './packet-class.js';
import { DEFAULT_UDP_BACKSCATTER_PORTS } from '../config/schema.js';

describe('packet classes', () => {
  it('classifies TCP flags', () => {
    expect(tcpClass(TCP_SYN)).toBe(CLASS_SCAN);
    expect(tcpClass(TCP_SYN | TCP_ACK)).toBe(CLASS_BACKSCATTER);
    expect(tcpClass(TCP_RST)).toBe(CLASS_BACKSCATTER);
    expect(tcpClass(TCP_RST | TCP_ACK)).toBe(CLASS_BACKSCATTER);
    expect(tcpClass(0)).toBe(CLASS_SCAN); // NULL scan
    expect(tcpClass(TCP_FIN)).toBe(CLASS_SCAN);
    expect(tcpClass(TCP_FIN | TCP_PSH | TCP_URG)).toBe(CLASS_SCAN); // Xmas
    expect(tcpClass(TCP_ACK)).toBe(CLASS_OTHER);
    expect(tcpClass(TCP_ACK | TCP_PSH)).toBe(CLASS_OTHER);
  });

  it('classifies UDP, ICMP, ICMPv6 and fragments in a batch', () => {
    const b = new PacketBatch(16);
    const add = (f: (i: number) => void): void => { const i = b.begin(); f(i); b.commit(); };
    add((i) => { b.proto[i] = PROTO_UDP; b.sport[i] = 40000; b.dport[i] = 53; });
    add((i) => { b.proto[i] = PROTO_UDP; b.sport[i] = 53; b.dport[i] = 40000; });
    add((i) => { b.proto[i] = PROTO_ICMP; b.icmpType[i] = 8; });
    add((i) => { b.proto[i] = PROTO_ICMP; b.icmpType[i] = 0; });
    add((i) => { b.proto[i] = PROTO_ICMP; b.icmpType[i] = 3; });
    add((i) => { b.proto[i] = PROTO_ICMP; b.icmpType[i] = 11; });
    add((i) => { b.proto[i] = PROTO_ICMPV6; b.icmpType[i] = 128; });
    add((i) => { b.proto[i] = PROTO_ICMPV6; b.icmpType[i] = 1; });
    add((i) => { b.proto[i] = PROTO_ICMPV6; b.icmpType[i] = 135; });
    add((i) => { b.proto[i] = PROTO_TCP; b.tcpFlags[i] = TCP_SYN; b.frag[i] = FRAG_IS_FRAGMENT; });
    add((i) => { b.proto[i] = 47; });
    classifyBatch(b, { udpBackscatterSourcePorts: DEFAULT_UDP_BACKSCATTER_PORTS });
    expect([...b.cls.subarray(0, b.length)]).toEqual([
      CLASS_SCAN, CLASS_BACKSCATTER, CLASS_SCAN, CLASS_BACKSCATTER, CLASS_BACKSCATTER, CLASS_BACKSCATTER,
      CLASS_SCAN, CLASS_BACKSCATTER, CLASS_OTHER, CLASS_OTHER, CLASS_OTHER,
    ]);
  });
});
