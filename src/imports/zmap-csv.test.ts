import { describe, expect, it } from 'vitest';
import { parseText } from './testing/parse-text.js';
import { splitCsv } from './zmap-csv.js';
import { ZMAP_HEADER, zmapRow } from './testing/samples.js';

describe('ZMap CSV', () => {
  it('reads the full tcp_synscan field set: saddr and sport are the responder, success and repeat filter', () => {
    const text = [
      '# zmap -p 80,443 -f "saddr,daddr,sport,…" 192.0.2.0/24',
      ZMAP_HEADER,
      zmapRow('192.0.2.10', 80),
      zmapRow('192.0.2.11', 80, { success: false }),
      zmapRow('192.0.2.10', 80, { repeat: true }),
      zmapRow('2001:db8::10', 443, { ts: '2023-11-14T22:13:21.5Z' }),
      '',
    ].join('\n');
    const { rows, collector } = parseText('zmap', text);
    expect(collector.errors).toBe(0);
    expect(collector.records).toBe(4);
    expect(collector.skipped).toEqual({ 'closed port': 1, 'zmap repeat response': 1 });
    expect(rows.map((r) => [r.ip, r.port, r.transport, r.status, r.time, r.source])).toEqual([
      ['192.0.2.10', 80, 'tcp', 'open', Date.parse('2023-11-14T22:13:20.250Z'), 'zmap'],
      ['2001:db8::10', 443, 'tcp', 'open', Date.parse('2023-11-14T22:13:21.500Z'), 'zmap'],
    ]);
  });

  it('keeps closed ports when asked', () => {
    const { rows } = parseText('zmap', `${ZMAP_HEADER}\n${zmapRow('192.0.2.11', 80, { success: false })}\n`, { includeClosed: true });
    expect(rows.map((r) => r.status)).toEqual(['closed']);
  });

  it('reads fields in any order, the default saddr-only output with --port, and files without a header', () => {
    const ordered = parseText('zmap', 'success,classification,sport,saddr\n1,synack,8080,192.0.2.5\n0,rst,8080,192.0.2.6\n');
    expect(ordered.rows.map((r) => `${r.ip}:${r.port}`)).toEqual(['192.0.2.5:8080']);
    const def = parseText('zmap', 'saddr\n192.0.2.1\n192.0.2.2\r\n2001:db8::2\n', { port: 23 });
    expect(def.rows.map((r) => `${r.ip}:${r.port}`)).toEqual(['192.0.2.1:23', '192.0.2.2:23', '2001:db8::2:23']);
    const noHeader = parseText('zmap', '192.0.2.1\n192.0.2.2\n', { port: 23 });
    expect(noHeader.rows).toHaveLength(2);
    const given = parseText('zmap', '192.0.2.1,443\n', { fields: ['saddr', 'sport'] });
    expect(given.rows.map((r) => r.port)).toEqual([443]);
    const noPort = parseText('zmap', 'saddr\n192.0.2.1\n');
    expect(noPort.collector.problems[0]).toEqual({ line: 2, message: 'no sport field and no port given (--port)' });
  });

  it('treats the UDP module as udp and reads timestamp_ts/timestamp_us', () => {
    const { rows } = parseText('zmap', 'saddr,sport,classification,success,timestamp_ts,timestamp_us\n192.0.2.9,53,udp,1,1700000000,250000\n');
    expect(rows[0]).toMatchObject({ transport: 'udp', port: 53, time: 1_700_000_000_250 });
  });

  it('splits quoted fields holding commas', () => {
    expect(splitCsv('a,"b,c",d')).toEqual(['a', 'b,c', 'd']);
    expect(splitCsv('"x ""y"""')).toEqual(['x "y"']);
    // ZMap quotes only strings holding a comma and never escapes a quote: a string with a quote
    // but no comma is written as it is (module_csv.c), also at the start of a field.
    expect(splitCsv('a,"b')).toEqual(['a', '"b']);
    expect(splitCsv('192.0.2.1,"Linux" UPnP/1.0,1')).toEqual(['192.0.2.1', '"Linux" UPnP/1.0', '1']);
    expect(splitCsv('192.0.2.1,"say "hi" then, bye",1')).toEqual(['192.0.2.1', 'say "hi" then, bye', '1']);
  });

  it('reads the default output of a scan of several ports: saddr,sport without a header row', () => {
    // zmap -p 80,443 with no output options: --output-fields=saddr,sport --no-header-row (zmap.c).
    const { rows, collector } = parseText('zmap', '192.0.2.1,80\n192.0.2.1,443\n2001:db8::1,8080\n');
    expect(collector.problems).toEqual([]);
    expect(rows.map((r) => `${r.ip}:${r.port}`)).toEqual(['192.0.2.1:80', '192.0.2.1:443', '2001:db8::1:8080']);
  });

  it('skips the ICMP responses of tcp_synscan (no sport) instead of reporting them', () => {
    // With any output option ZMap writes every response; an ICMP unreachable has sport, dport and
    // the TCP fields empty (FS_NULL), classification icmp and success 0 (module_tcp_synscan.c).
    const header = 'saddr,sport,dport,classification,success,repeat,icmp_responder,icmp_type,icmp_code,icmp_unreach_str';
    const text = [header, '192.0.2.1,80,41000,synack,1,0,,,,', '192.0.2.2,,,icmp,0,0,198.51.100.1,3,13,host admin. prohibited', '192.0.2.3,80,41000,rst,0,0,,,,'].join('\n');
    for (const includeClosed of [false, true]) {
      const { rows, collector } = parseText('zmap', text, { includeClosed });
      expect(collector.problems).toEqual([]);
      expect(rows.map((r) => [r.ip, r.port, r.transport, r.status])).toEqual(includeClosed
        ? [['192.0.2.1', 80, 'tcp', 'open'], ['192.0.2.3', 80, 'tcp', 'closed']]
        : [['192.0.2.1', 80, 'tcp', 'open']]);
      expect(collector.skipped['zmap icmp response (no port)']).toBe(1);
    }
  });

  it('keeps tcp_synscan rows tcp when --output-fields="*" brings the icmp_* fields', () => {
    const header = 'saddr,saddr_raw,daddr,daddr_raw,ipid,ttl,sport,dport,seqnum,acknum,window,tcpopt_mss,tcpopt_wscale,tcpopt_sack_perm,tcpopt_ts_val,tcpopt_ts_ecr,classification,success,icmp_responder,icmp_type,icmp_code,icmp_unreach_str,repeat,cooldown,timestamp_str,timestamp_ts,timestamp_us';
    const row = '192.0.2.1,16908480,198.51.100.7,124090566,0,54,443,41234,3456789,1234,65535,1460,7,1,,,synack,1,,,,,0,0,2023-11-15T07:13:20.250+0900,1700000000,250123';
    const { rows, collector } = parseText('zmap', `${header}\n${row}\n`);
    expect(collector.problems).toEqual([]);
    expect(rows.map((r) => [r.ip, r.port, r.transport, r.time])).toEqual([['192.0.2.1', 443, 'tcp', Date.parse('2023-11-14T22:13:20.250Z')]]);
  });

  it('reads the UDP probe modules as udp (udp, dns, ntp …), whatever the fields', () => {
    const { rows } = parseText('zmap', 'saddr,sport,classification,success\n192.0.2.1,53,dns,1\n192.0.2.2,123,ntp,1\n192.0.2.3,47808,bacnet,1\n');
    expect(rows.map((r) => `${r.ip}:${r.port}/${r.transport}`)).toEqual(['192.0.2.1:53/udp', '192.0.2.2:123/udp', '192.0.2.3:47808/udp']);
  });

  it('reads the field names of ZMap 2.x (timestamp-str, timestamp-ts, timestamp-us)', () => {
    const text = 'saddr,sport,classification,success,repeat,timestamp-str,timestamp-ts,timestamp-us\n192.0.2.1,22,synack,1,0,2015-06-01T12:00:00.500+0200,1433152800,500000\n';
    const { rows, collector } = parseText('zmap', text);
    expect(collector.problems).toEqual([]);
    expect(rows.map((r) => [r.ip, r.port, r.time])).toEqual([['192.0.2.1', 22, Date.parse('2015-06-01T10:00:00.500Z')]]);
  });

  it('reads -O json (one object per line, booleans, empty fields left out)', () => {
    // module_json.c: fields by name, FS_NULL fields omitted, bools as true/false (ZMap 2.x: 0/1).
    const text = [
      '{"saddr":"192.0.2.1","sport":80,"dport":41234,"classification":"synack","success":true,"repeat":false,"cooldown":false,"timestamp_str":"2023-11-15T07:13:20.250+0900","timestamp_ts":1700000000,"timestamp_us":250123}',
      '{"saddr":"192.0.2.2","classification":"icmp","success":false,"icmp_responder":"198.51.100.1","icmp_type":3,"icmp_code":3,"repeat":false}',
      '{"saddr":"192.0.2.3","sport":80,"classification":"rst","success":false,"repeat":false}',
      '{"saddr":"192.0.2.1","sport":80,"classification":"synack","success":true,"repeat":true}',
      '{"saddr":"192.0.2.4","sport":53,"classification":"udp","success":1,"repeat":0,"timestamp-ts":1700000001}',
      '{"saddr":"192.0.2.5","sport":"x","success":true}',
      '{"saddr":"192.0.2.6","sport":8',
    ].join('\n');
    const { rows, collector } = parseText('zmap', text);
    expect(rows.map((r) => [r.ip, r.port, r.transport, r.time])).toEqual([
      ['192.0.2.1', 80, 'tcp', Date.parse('2023-11-14T22:13:20.250Z')],
      ['192.0.2.4', 53, 'udp', 1_700_000_001_000],
    ]);
    expect(collector.records).toBe(7);
    expect(collector.skipped).toEqual({ 'zmap icmp response (no port)': 1, 'closed port': 1, 'zmap repeat response': 1 });
    expect(collector.problems.map((p) => [p.line, p.message.split(':')[0]])).toEqual([[6, 'sport is not a port number'], [7, 'not JSON']]);
  });

  it('reports malformed rows with their line numbers and keeps the rest', () => {
    const text = [ZMAP_HEADER, zmapRow('192.0.2.1', 80), '192.0.2.300,1,80,1,1,1,0,0,x,synack,1', zmapRow('192.0.2.2', 80).replace(',80,', ',http,'), '192.0.2.3,1,2', zmapRow('192.0.2.4', 80).replace('2023-11-15', 'yesterday'), zmapRow('192.0.2.5', 80)].join('\n');
    const { rows, collector } = parseText('zmap', text);
    expect(rows.map((r) => r.ip)).toEqual(['192.0.2.1', '192.0.2.5']);
    expect(collector.errors).toBe(4);
    expect(collector.problems.map((p) => p.line)).toEqual([3, 4, 5, 6]);
    expect(collector.problems[0]?.message).toMatch(/saddr is not an IP address: "192.0.2.300"/);
    expect(collector.problems[1]?.message).toMatch(/sport is not a port number/);
    expect(collector.problems[2]?.message).toMatch(/expected 11 fields/);
    expect(collector.problems[3]?.message).toMatch(/timestamp_str is not a date/);
  });

  it('says so when the input is not ZMap output', () => {
    const { collector } = parseText('zmap', 'ip port\n192.0.2.1 80\n');
    expect(collector.errors).toBe(2);
    expect(collector.problems[0]?.message).toMatch(/neither a header row/);
    const json = parseText('zmap', '{"ip": "192.0.2.1"}\n{"ip": "192.0.2.2"}\n');
    expect(json.collector.errors).toBe(2);
    expect(json.collector.problems[0]?.message).toMatch(/no saddr/);
  });
});
