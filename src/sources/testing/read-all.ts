import { PacketBatch } from '../../decode/packet-batch.js';
import { readCapture, type CaptureSummary } from '../capture.js';

/** One decoded packet as a plain object, for assertions in tests only. */
export interface Decoded {
  ts: number; family: number; src: string; dst: string; proto: number; sport: number; dport: number;
  flags: number; seq: number; ack: number; window: number; id: number; ttl: number; ipLen: number;
  icmpType: number; icmpCode: number; frag: number; wireLen: number; iface: number;
}

function addr(a: Uint8Array, o: number, fam: number): string {
  if (fam === 4) return `${a[o + 12]}.${a[o + 13]}.${a[o + 14]}.${a[o + 15]}`;
  const g: string[] = [];
  for (let k = 0; k < 16; k += 2) g.push((((a[o + k] ?? 0) << 8) | (a[o + k + 1] ?? 0)).toString(16));
  return g.join(':');
}

/** Reads a whole capture from chunks and returns every packet and the summary. */
export async function readAll(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, batchSize = 1000, name = 'test.pcap'): Promise<{ packets: Decoded[]; summary: CaptureSummary; batches: number }> {
  const packets: Decoded[] = [];
  let batches = 0;
  const source = (async function* () { for await (const c of chunks) yield c; })();
  const summary = await readCapture(source, {
    name,
    batch: new PacketBatch(batchSize),
    onBatch: async (b) => {
      batches++;
      for (let i = 0; i < b.length; i++) {
        const fam = b.family[i] ?? 0;
        packets.push({
          ts: b.tsMicros[i] ?? 0, family: fam, src: addr(b.src16, i * 16, fam), dst: addr(b.dst16, i * 16, fam),
          proto: b.proto[i] ?? 0, sport: b.sport[i] ?? 0, dport: b.dport[i] ?? 0, flags: b.tcpFlags[i] ?? 0,
          seq: b.tcpSeq[i] ?? 0, ack: b.tcpAck[i] ?? 0, window: b.tcpWindow[i] ?? 0, id: b.ipId[i] ?? 0, ttl: b.ttl[i] ?? 0,
          ipLen: b.ipLen[i] ?? 0, icmpType: b.icmpType[i] ?? 0, icmpCode: b.icmpCode[i] ?? 0, frag: b.frag[i] ?? 0,
          wireLen: b.wireLen[i] ?? 0, iface: b.iface[i] ?? 0,
        });
      }
    },
  });
  return { packets, summary, batches };
}

/** Splits bytes into chunks of the given sizes, cycling through them. */
export function* chunked(data: Uint8Array, sizes: number[]): Generator<Uint8Array> {
  let o = 0;
  let k = 0;
  while (o < data.length) {
    const n = sizes[k++ % sizes.length] ?? 1;
    yield data.subarray(o, o + n);
    o += n;
  }
}
