/**
 * Darknet sources stored for tests through the ingest's own blocks (sorted, encoded, aggregated
 * and inserted as a real batch is), for tests about who may read what rather than about captures.
 */
import { IP4, IP6, PacketBatch, writeMapped4 } from '../../decode/packet-batch.js';
import { ipBytes, parseIPv4 } from '../../net/ip.js';
import { quote } from '../../store/events/sql-literals.js';
import type { EventsStore } from '../../store/types.js';
import { BatchAggregator } from '../batch-aggregates.js';
import { aggregateParts } from '../darknet-ingest.js';
import { NATIVE_STRUCTURE, PacketNativeEncoder, nativeSelectList } from '../native-packets.js';
import { SourceSorter } from '../sort-by-source.js';
import type { SourceEnricher } from '../source-enricher.js';

export interface TestSource {
  ip: string;
  /** TCP SYNs to `port`, one per millisecond from `at`. */
  packets: number;
  port: number;
  at: Date;
  /** How many of them match fingerprint bit 0 (Mirai); every SYN is one it applies to. */
  mirai?: number;
  /** Origin AS and country of the source (0 and unknown by default). */
  asn?: number;
  country?: string;
}

const DARK = parseIPv4('10.0.0.1');

/** The sources' own ASNs and countries, as the enrichment tables would give them. */
function enricherOf(sources: readonly TestSource[]): SourceEnricher {
  const key = (bytes: Uint8Array, offset: number): string => Buffer.from(bytes.subarray(offset, offset + 16)).toString('hex');
  const byAddr = new Map(sources.map((s) => [key(ipBytes(s.ip), 0), s]));
  const v4 = (ip: number): TestSource | undefined => {
    const b = new Uint8Array(16);
    writeMapped4(b, 0, ip);
    return byAddr.get(key(b, 0));
  };
  return {
    asn4: (ip) => v4(ip)?.asn ?? 0,
    country4: (ip) => v4(ip)?.country ?? '',
    asn6: (addr, offset) => byAddr.get(key(addr, offset))?.asn ?? 0,
    country6: (addr, offset) => byAddr.get(key(addr, offset))?.country ?? '',
  };
}

export async function storeSources(events: EventsStore, sources: readonly TestSource[], sensor = 'default'): Promise<void> {
  const enricher = enricherOf(sources);
  const b = new PacketBatch(Math.max(1, sources.reduce((a, s) => a + s.packets, 0)));
  for (const s of sources) {
    const bytes = ipBytes(s.ip);
    const v4 = parseIPv4(s.ip);
    for (let k = 0; k < s.packets; k++) {
      const i = b.begin();
      if (v4 >= 0) {
        b.family[i] = IP4;
        b.src4[i] = v4 >>> 0;
        writeMapped4(b.src16, i * 16, v4 >>> 0);
      } else {
        b.family[i] = IP6;
        b.src16.set(bytes, i * 16);
      }
      b.dst4[i] = DARK;
      writeMapped4(b.dst16, i * 16, DARK);
      b.proto[i] = 6;
      b.dport[i] = s.port;
      b.tcpFlags[i] = 0x02;
      b.cls[i] = 1;
      b.tags[i] = k < (s.mirai ?? 0) ? 1 : 0;
      b.tsMicros[i] = s.at.getTime() * 1000 + k * 1000;
      b.commit();
    }
  }
  new SourceSorter(b.length).sort(b);
  const enc = new PacketNativeEncoder(enricher, b.length);
  const block = enc.encode(b);
  const aggs = new BatchAggregator().aggregate(b, enc);
  const s = quote(sensor);
  await events.withBatch('Native', NATIVE_STRUCTURE, block.chunks, (src) => events.exec(`INSERT INTO darknet_ingest SELECT ${nativeSelectList(s)} FROM ${src}`));
  for (const part of aggregateParts(aggs)) {
    if (part.block.rows === 0) continue;
    await events.withBatch('Native', part.structure, part.block.chunks, (src) => {
      const q = part.sql(s, src);
      return events.exec(`${q.into} ${q.select}`);
    });
  }
}
