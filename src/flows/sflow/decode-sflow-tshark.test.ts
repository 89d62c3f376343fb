/**
 * The real sFlow datagram decoded by us and by tshark (Debian `tshark`), field by field. Skipped
 * with a message when tshark is not installed.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FlowBatch } from '../flow-batch.js';
import { FlowSkipCounters } from '../flow-skips.js';
import { decodeSflow } from './decode-sflow.js';
import { SFLOW_PCAP, realSflowDatagram } from './testing/real-sflow.js';

const TSHARK = '/usr/bin/tshark';
const FIELDS = [
  'sflow_245.agent', 'sflow_245.sub_agent_id', 'sflow_245.sequence_number', 'sflow.flow_sample.sampling_rate', 'sflow.flow_sample.input_interface',
  'sflow.flow_sample.output_interface_value', 'sflow_245.header.frame_length', 'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst', 'tcp.srcport', 'tcp.dstport', 'tcp.flags',
] as const;

const have = existsSync(TSHARK);
if (!have) console.warn(`decode-sflow-tshark: ${TSHARK} not found (Debian package tshark), comparison skipped`);

describe.skipIf(!have)('decodeSflow agrees with tshark on the real datagram', () => {
  it('gives the same agent, sequence, rates, interfaces, lengths, addresses, ports and TCP flags per sample', () => {
    const r = spawnSync(TSHARK, ['-r', SFLOW_PCAP, '-d', 'udp.port==6343,sflow', '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=|', ...FIELDS.flatMap((f) => ['-e', f])], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const cols = r.stdout.trim().split('\t').map((c) => c.split('|'));
    const col = (f: (typeof FIELDS)[number]): string[] => cols[FIELDS.indexOf(f)] ?? [];
    const b = new FlowBatch(8);
    const s = decodeSflow(realSflowDatagram(), { exporter: '192.0.2.100', port: 47873, receivedAtMs: 0 }, b, new FlowSkipCounters());
    expect(s?.agent).toBe(col('sflow_245.agent')[0]);
    expect(String(s?.domain)).toBe(col('sflow_245.sub_agent_id')[0]);
    expect(String(s?.sequence)).toBe(col('sflow_245.sequence_number')[0]);
    const rows = b.views();
    expect(rows.map((x) => String(x.sampling))).toEqual(col('sflow.flow_sample.sampling_rate'));
    expect(rows.map((x) => String(x.inIf))).toEqual(col('sflow.flow_sample.input_interface'));
    expect(rows.map((x) => String(x.outIf))).toEqual(col('sflow.flow_sample.output_interface_value'));
    expect(rows.map((x) => String(x.octets))).toEqual(col('sflow_245.header.frame_length'));
    expect(rows.map((x) => String(x.sport))).toEqual(col('tcp.srcport'));
    expect(rows.map((x) => String(x.dport))).toEqual(col('tcp.dstport'));
    expect(rows.map((x) => x.tcpFlags)).toEqual(col('tcp.flags').map((f) => parseInt(f, 16)));
    // tshark lists IPv4 and IPv6 addresses apart (the first IPv4 ones are the export datagram's own).
    const v4src = col('ip.src').slice(1);
    const v4dst = col('ip.dst').slice(1);
    const v6src = col('ipv6.src');
    const v6dst = col('ipv6.dst');
    for (const x of rows) {
      const [src, dst] = x.src.includes(':') ? [v6src.shift(), v6dst.shift()] : [v4src.shift(), v4dst.shift()];
      expect([x.src, x.dst]).toEqual([src, dst]);
    }
    expect([v4src, v6src]).toEqual([[], []]);
  });
});
