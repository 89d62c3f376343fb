import { describe, expect, it } from 'vitest';
import type { FlowFileReader } from '../reader.js';
import { readZeekConn } from './zeek-conn.js';
import { readFlowText } from './testing/read-flow-text.js';

// Written to Zeek's documented conn.log layout (base/protocols/conn/main.zeek, the ASCII writer's header).
const T = '\t';
const row = (...cells: (string | number)[]): string => cells.join(T);
const FIELDS = 'ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto service duration orig_bytes resp_bytes conn_state local_orig local_resp missed_bytes history orig_pkts orig_ip_bytes resp_pkts resp_ip_bytes tunnel_parents'.split(' ');
const TYPES = 'time string addr port addr port enum string interval count count string bool bool count string count count count count set[string]'.split(' ');
const head = (path = 'conn', fields = FIELDS, types = TYPES): string[] => [
  '#separator \\x09', row('#set_separator', ','), row('#empty_field', '(empty)'), row('#unset_field', '-'), row('#path', path),
  row('#open', '2024-03-15-12-00-00'), row('#fields', ...fields), row('#types', ...types),
];
const CONN = [
  ...head(),
  row('1710504000.123456', 'CHhAvVGS1DHFjwGM9', '192.168.1.10', 49152, '93.184.216.34', 80, 'tcp', 'http', '0.512345', 120, 1460, 'SF', '-', '-', 0, 'ShADadfF', 6, 440, 5, 1728, '-'),
  row('1710504001.000001', 'C2', '192.168.1.10', 5353, '192.168.1.1', 53, 'udp', 'dns', '0.001', 40, 120, 'SF', '-', '-', 0, 'Dd', 1, 68, 1, 148, '(empty)'),
  row('1710504002.5', 'C3', '192.168.1.10', 8, '8.8.8.8', 0, 'icmp', '-', '0.020', 56, 56, 'OTH', '-', '-', 0, '-', 1, 84, 1, 84, '-'),
  row('1710504003.25', 'C4', '2001:db8::10', 50000, '2001:db8::1', 22, 'tcp', '-', '-', 0, 0, 'S0', '-', '-', 0, 'S', 1, 80, 0, 0, '-'),
  row('1710504004', 'C5', '10.0.0.5', 40000, '10.0.0.6', 443, 'tcp', 'a\\x09b', '1.5', 300, 200, 'RSTR', '-', '-', 0, 'ShAdR', 3, '-', 2, '-', '-'),
  row('#close', '2024-03-15-13-00-00'),
].join('\n');

describe('Zeek conn.log', () => {
  it('is a FlowFileReader', () => {
    const r: FlowFileReader = readZeekConn;
    expect(typeof r).toBe('function');
  });

  it('reads TSV: orig forward, resp reverse, IP-level octets, end = ts + duration, flags from history', async () => {
    const { records, summary, skips } = await readFlowText(readZeekConn, CONN);
    expect(skips).toEqual({});
    expect(summary).toMatchObject({ format: 'zeek', records: 5, ignored: 9, problems: [] });
    expect(records[0]).toEqual({
      kind: 'zeek', exporter: '::', domain: 0, startMs: 1710504000123, endMs: 1710504000635, src: '192.168.1.10', dst: '93.184.216.34', sport: 49152, dport: 80,
      proto: 6, tcpFlags: 0x13, octets: 440, packets: 6, reverseOctets: 1728, reversePackets: 5, sampling: 1, inIf: 0, outIf: 0, srcAs: 0, dstAs: 0,
    });
    expect(records[1]).toMatchObject({ proto: 17, sport: 5353, dport: 53, octets: 68, reverseOctets: 148, tcpFlags: 0, endMs: 1710504001001 });
    // ICMP: type in id.orig_p, code in id.resp_p.
    expect(records[2]).toMatchObject({ proto: 1, sport: 0, dport: 8 << 8, packets: 1, reversePackets: 1 });
    // Unset duration: end = start; SYN only.
    expect(records[3]).toMatchObject({ src: '2001:db8::10', dst: '2001:db8::1', startMs: 1710504003250, endMs: 1710504003250, tcpFlags: 0x02, reversePackets: 0 });
    // Unset IP-level counts fall back to the payload counts; an escaped separator in a value is text.
    expect(records[4]).toMatchObject({ octets: 300, reverseOctets: 200, tcpFlags: 0x16, endMs: 1710504005500 });
  });

  it('reads concatenated logs, each with its own header (the second without #close, other columns), and refuses other logs', async () => {
    const fields2 = ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'duration', 'orig_pkts', 'orig_ip_bytes', 'resp_pkts', 'resp_ip_bytes', 'ip_proto'];
    const dns = [...head('dns', ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'query'], ['time', 'string', 'addr', 'port', 'addr', 'port', 'enum', 'string']),
      row('1710504100', 'C9', '192.168.1.10', 5353, '192.168.1.1', 53, 'udp', 'example.com'), row('#close', 'x')];
    const text = [CONN, ...dns, ...head('conn', fields2, fields2.map(() => 'string')), row('1710504200', 'C7', '10.1.1.1', 1234, '10.2.2.2', 80, 'tcp', '2', 3, 180, 2, 120, 6)].join('\n');
    const { records, summary, skips } = await readFlowText(readZeekConn, text);
    expect(records).toHaveLength(6);
    expect(records[5]).toMatchObject({ src: '10.1.1.1', startMs: 1710504200000, endMs: 1710504202000, octets: 180, packets: 3, reverseOctets: 120, tcpFlags: 0 });
    expect(skips).toEqual({ 'line-malformed': 2 });
    expect(summary.problems.map((p) => p.message)).toEqual(['not a conn log (#path dns)', 'not a conn log (#path dns)']);
  });

  it('reads JSON lines with epoch seconds, epoch milliseconds or ISO 8601 times, flat, _-scoped or nested ids', async () => {
    const text = [
      '{"ts":1710504000.123456,"uid":"C1","id.orig_h":"192.168.1.10","id.orig_p":49152,"id.resp_h":"93.184.216.34","id.resp_p":80,"proto":"tcp","service":"http","duration":0.512345,"orig_bytes":120,"resp_bytes":1460,"conn_state":"SF","missed_bytes":0,"history":"ShADadfF","orig_pkts":6,"orig_ip_bytes":440,"resp_pkts":5,"resp_ip_bytes":1728}',
      '{"ts":"2024-03-15T12:00:00.123456Z","uid":"C1","id.orig_h":"192.168.1.10","id.orig_p":49152,"id.resp_h":"93.184.216.34","id.resp_p":80,"proto":"tcp","duration":0.512345,"history":"ShADadfF","orig_pkts":6,"orig_ip_bytes":440,"resp_pkts":5,"resp_ip_bytes":1728}',
      '{"ts":1710504000123,"id_orig_h":"192.168.1.10","id_orig_p":49152,"id_resp_h":"93.184.216.34","id_resp_p":80,"proto":"tcp","duration":0.512345,"history":"ShADadfF","orig_pkts":6,"orig_ip_bytes":440,"resp_pkts":5,"resp_ip_bytes":1728}',
      '  {"ts":"2024-03-15T21:00:00.123+09:00","id":{"orig_h":"192.168.1.10","orig_p":49152,"resp_h":"93.184.216.34","resp_p":80},"proto":"tcp","duration":0.512345,"history":"ShADadfF","orig_pkts":6,"orig_ip_bytes":440,"resp_pkts":5,"resp_ip_bytes":1728}',
      '{"ts":1710504003.25,"id.orig_h":"2001:db8::10","id.orig_p":50000,"id.resp_h":"2001:db8::1","id.resp_p":22,"proto":"tcp","conn_state":"S0","history":"S","orig_pkts":1,"orig_ip_bytes":80,"resp_pkts":0,"resp_ip_bytes":0}',
    ].join('\n');
    const { records, skips } = await readFlowText(readZeekConn, text);
    expect(skips).toEqual({});
    const tsv = await readFlowText(readZeekConn, CONN);
    for (const r of records.slice(0, 4)) expect(r).toEqual(tsv.records[0]);
    expect(records[4]).toEqual(tsv.records[3]);
  });

  it('reads the writer\'s tsv=T mode (one line of names)', async () => {
    const text = [row(...FIELDS), CONN.split('\n')[8]].join('\n');
    const { records, skips } = await readFlowText(readZeekConn, text);
    expect(skips).toEqual({});
    expect(records).toHaveLength(1);
  });

  it('counts bad lines by reason with their line numbers and reads the rest', async () => {
    const lines = CONN.split('\n');
    const text = [
      row('1710504000', 'C0', '10.0.0.1', 1, '10.0.0.2', 2, 'tcp'),
      ...lines.slice(0, 9),
      row('1710504000', 'short'),
      row('17105x4000', 'C0', '10.0.0.1', 1, '10.0.0.2', 2, 'tcp', '-', '-', 0, 0, 'S0', '-', '-', 0, 'S', 1, 40, 0, 0, '-'),
      row('1710504000', 'C0', '10.0.0.1', 1, '2001:db8::2', 2, 'tcp', '-', '-', 0, 0, 'S0', '-', '-', 0, 'S', 1, 40, 0, 0, '-'),
      row('1710504000', 'C0', '10.0.0.1', 70000, '10.0.0.2', 2, 'tcp', '-', '-', 0, 0, 'S0', '-', '-', 0, 'S', 1, 40, 0, 0, '-'),
      row('1710504000', 'C0', '10.0.0.1', 1, '10.0.0.2', 2, 'bogus', '-', '-', 0, 0, 'S0', '-', '-', 0, 'S', 1, 40, 0, 0, '-'),
      row('1710504000', 'C0', '10.0.0.1', 1, '10.0.0.2', 2, 'tcp', '-', '-', 0, 0, 'S0', '-', '-', 0, 'S', -1, 40, 0, 0, '-'),
      '{"ts":1710504000,"id.orig_h":"10.0.0.1"',
      '{"ts":1810504000,"id.orig_h":"10.0.0.1","id.orig_p":1,"id.resp_h":"10.0.0.2","id.resp_p":2,"proto":"udp"}',
      ...lines.slice(9),
    ].join('\n');
    const { records, summary, skips } = await readFlowText(readZeekConn, text);
    expect(records).toHaveLength(5);
    expect(skips).toEqual({ 'line-malformed': 3, 'field-invalid': 5, 'flow-from-future': 1 });
    expect(summary.problems.map((p) => [p.line, p.reason])).toEqual([
      [1, 'line-malformed'], [11, 'line-malformed'], [12, 'field-invalid'], [13, 'field-invalid'], [14, 'field-invalid'], [15, 'field-invalid'],
      [16, 'field-invalid'], [17, 'line-malformed'], [18, 'flow-from-future'],
    ]);
    expect(summary.problems[0]?.message).toMatch(/#fields/);
  });

  it('refuses JSON times beyond the year 3000 rather than storing them', async () => {
    const line = (ts: unknown): string => JSON.stringify({ ts, 'id.orig_h': '10.0.0.1', 'id.orig_p': 1, 'id.resp_h': '10.0.0.2', 'id.resp_p': 2, proto: 'tcp' });
    const { records, skips } = await readFlowText(readZeekConn, [line(1e300), line(-5), line('soon'), line(1710504000)].join('\n'));
    expect(records).toHaveLength(1);
    expect(skips).toEqual({ 'field-invalid': 3 });
  });

  it('gives the same records whatever the chunking, with CRLF line ends and a BOM', async () => {
    const whole = await readFlowText(readZeekConn, CONN);
    const crlf = `\uFEFF${CONN.replace(/\n/g, '\r\n')}`;
    for (const sizes of [[1], [5, 3], [17, 1, 200]]) {
      const r = await readFlowText(readZeekConn, crlf, { sizes, batchSize: 2 });
      expect(r.records).toEqual(whole.records);
      expect(r.skips).toEqual({});
    }
  });
});
