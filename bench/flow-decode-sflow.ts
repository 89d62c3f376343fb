/**
 * sFlow v5 decoding throughput, replaying the real datagram of akvorado's data-1140.pcap (five
 * flow samples with Ethernet/IPv4/IPv6 sampled headers, ../shared/data/flows): `decodeSflow`
 * alone on the payload, and the whole flow-export capture reader (pcap parser, UDP, recognition,
 * decoder) on a pcap of N copies of the frame, beside tshark dissecting the same file
 * (`tshark -d udp.port==6343,sflow -T fields`, when installed). Flow samples per second.
 *   node dist/bench/flow-decode-sflow.js [--datagrams 200000] [--passes 3]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readPcapDatagrams } from '../src/flows/files/pcap-datagrams.js';
import { FlowBatch } from '../src/flows/flow-batch.js';
import { FlowSkipCounters } from '../src/flows/flow-skips.js';
import { decodeSflow } from '../src/flows/sflow/decode-sflow.js';
import { SFLOW_PCAP, realSflowDatagram } from '../src/flows/sflow/testing/real-sflow.js';
import { argValue, emit, runMeasured, which } from './lib.js';

const datagrams = Number(argValue('datagrams', '200000'));
const passes = Math.max(1, Number(argValue('passes', '3')));
const SAMPLES_PER_DATAGRAM = 5;
const CHUNK = 4 << 20;

const payload = realSflowDatagram();
const from = { exporter: '192.0.2.100', port: 47873, receivedAtMs: 1662715598886 };
const batch = new FlowBatch(8192);
const skips = new FlowSkipCounters();

function rate(samples: number, t0: bigint): number {
  return samples / (Number(process.hrtime.bigint() - t0) / 1e9);
}

// 1. The decoder alone.
const decoderRates: number[] = [];
for (let pass = 0; pass < passes; pass++) {
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < datagrams; k++) {
    decodeSflow(payload, from, batch, skips);
    if (batch.full) batch.reset();
  }
  decoderRates.push(rate(datagrams * SAMPLES_PER_DATAGRAM, t0));
}

// 2. The capture reader and the decoder, on a pcap of N copies of the real frame.
const real = readFileSync(SFLOW_PCAP);
const record = real.subarray(24);
const file = new Uint8Array(24 + record.length * datagrams);
file.set(real.subarray(0, 24));
for (let k = 0; k < datagrams; k++) file.set(record, 24 + k * record.length);
async function* chunks(): AsyncGenerator<Uint8Array> {
  for (let o = 0; o < file.length; o += CHUNK) yield file.subarray(o, o + CHUNK);
}
const readerRates: number[] = [];
let records = 0;
for (let pass = 0; pass < passes; pass++) {
  const t0 = process.hrtime.bigint();
  const s = await readPcapDatagrams(chunks(), { name: 'memory', batch, skips, decodeDatagram: decodeSflow, onBatch: async () => undefined });
  readerRates.push(rate(s.records, t0));
  records = s.records;
}

/** The mean after the first pass (the JIT warming up), or the one pass. */
function steady(xs: number[]): number {
  const s = xs.length > 1 ? xs.slice(1) : xs;
  return Math.round(s.reduce((a, r) => a + r, 0) / s.length);
}
emit({ bench: 'flow-decode-sflow', stage: 'decodeSflow', datagrams, flowSamples: datagrams * SAMPLES_PER_DATAGRAM, firstPassSamplesPerSecond: Math.round(decoderRates[0] ?? 0), samplesPerSecond: steady(decoderRates) });
emit({ bench: 'flow-decode-sflow', stage: 'pcap reader + decodeSflow', datagrams, records, fileBytes: file.length, firstPassSamplesPerSecond: Math.round(readerRates[0] ?? 0), samplesPerSecond: steady(readerRates) });

// 3. The peer: tshark dissecting the same capture.
const tshark = which('tshark');
if (!tshark) emit({ bench: 'flow-decode-sflow', peer: 'tshark', skipped: 'not installed (Debian package tshark)' });
else {
  const dir = resolve('bench/out');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'flow-decode-sflow.pcap');
  writeFileSync(path, file);
  const r = await runMeasured(tshark, ['-r', path, '-d', 'udp.port==6343,sflow', '-T', 'fields', '-e', 'sflow.flow_sample.sequence_number'], { stdoutTo: 'ignore', cpu: true });
  emit({ bench: 'flow-decode-sflow', peer: 'tshark', datagrams, exit: r.code, seconds: r.seconds, coreSeconds: r.coreSeconds, samplesPerSecond: Math.round((datagrams * SAMPLES_PER_DATAGRAM) / r.seconds) });
}
