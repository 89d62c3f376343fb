import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PacketBatch, PROTO_TCP, PROTO_ICMPV6, TCP_SYN, writeMapped4 } from '../decode/packet-batch.js';
import { ChdbEventsStore } from '../store/events/chdb-store.js';
import { packetStructure, DARKNET_PACKET_FIELDS } from '../schema/darknet-packet.js';
import { PacketRowEncoder, type SourceEnricher } from './rowbinary-packets.js';

const enricher: SourceEnricher = {
  asn4: (ip) => (ip >>> 24 === 1 ? 64512 : 0),
  country4: (ip) => (ip >>> 24 === 1 ? 'JP' : ''),
  asn6: () => 65000,
  country6: () => 'DE',
};

describe('RowBinary packet encoder', () => {
  let dir: string;
  let store: ChdbEventsStore;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sakimori-rb-'));
    store = new ChdbEventsStore(join(dir, 'events'));
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes every field in the schema order, readable by ClickHouse', async () => {
    const b = new PacketBatch(4);
    let i = b.begin();
    b.tsMicros[i] = Date.parse('2024-02-20T12:34:56.789Z') * 1000 + 123;
    b.family[i] = 4;
    b.src4[i] = 0x01020304;
    writeMapped4(b.src16, i * 16, 0x01020304);
    b.dst4[i] = 0xc6120001;
    writeMapped4(b.dst16, i * 16, 0xc6120001);
    b.proto[i] = PROTO_TCP;
    b.sport[i] = 54321;
    b.dport[i] = 23;
    b.tcpFlags[i] = TCP_SYN;
    b.tcpSeq[i] = 0xc6120001;
    b.tcpAck[i] = 0xfffffffe;
    b.tcpWindow[i] = 65535;
    b.ipId[i] = 4660;
    b.ttl[i] = 51;
    b.ipLen[i] = 40;
    b.wireLen[i] = 60;
    b.cls[i] = 1;
    b.tags[i] = 0x80000001;
    b.commit();
    i = b.begin();
    b.tsMicros[i] = Date.parse('1999-12-31T23:59:59Z') * 1000;
    b.family[i] = 6;
    b.src16.set([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], i * 16);
    b.dst16.set([0x20, 0x01, 0x0d, 0xb8, 0xde, 0xad, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2], i * 16);
    b.proto[i] = PROTO_ICMPV6;
    b.icmpType[i] = 128;
    b.frag[i] = 3;
    b.ipId[i] = 0xdeadbeef;
    b.commit();

    const rows = new PacketRowEncoder('tokyo-1', enricher, 4).encode(b);
    const out = await store.withRowBinary(packetStructure(), rows, (src) =>
      store.query<Record<string, unknown>>(
        `SELECT toString(ts) AS ts, sensor, family, IPv6NumToString(src) AS src, IPv6NumToString(dst) AS dst, proto, sport, dport, tcp_flags,
                tcp_seq, tcp_ack, tcp_window, ip_id, ttl, ip_len, icmp_type, icmp_code, frag, wire_len, cls, tags, src_asn, src_country FROM ${src}`,
      ),
    );
    expect(out).toEqual([
      {
        ts: '2024-02-20 12:34:56.789123', sensor: 'tokyo-1', family: 4, src: '::ffff:1.2.3.4', dst: '::ffff:198.18.0.1', proto: 6,
        sport: 54321, dport: 23, tcp_flags: 2, tcp_seq: 0xc6120001, tcp_ack: 0xfffffffe, tcp_window: 65535, ip_id: 4660,
        ttl: 51, ip_len: 40, icmp_type: 0, icmp_code: 0, frag: 0, wire_len: 60, cls: 1, tags: 0x80000001, src_asn: 64512, src_country: 'JP',
      },
      {
        ts: '1999-12-31 23:59:59.000000', sensor: 'tokyo-1', family: 6, src: '2001:db8::1', dst: '2001:db8:dead::2', proto: 58,
        sport: 0, dport: 0, tcp_flags: 0, tcp_seq: 0, tcp_ack: 0, tcp_window: 0, ip_id: 0xdeadbeef,
        ttl: 0, ip_len: 0, icmp_type: 128, icmp_code: 0, frag: 3, wire_len: 0, cls: 0, tags: 0, src_asn: 65000, src_country: 'DE',
      },
    ]);
    expect(Object.keys(out[0] ?? {})).toEqual(DARKNET_PACKET_FIELDS.map((f) => f.name));
  });
});
