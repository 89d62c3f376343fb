import { describe, expect, it } from 'vitest';
import { parseText } from './import-file.js';
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
    expect(splitCsv('a,"b')).toMatch(/unterminated/);
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

  it('says so when the input is not ZMap CSV', () => {
    const { collector } = parseText('zmap', '{"ip": "192.0.2.1"}\n{"ip": "192.0.2.2"}\n');
    expect(collector.errors).toBe(2);
    expect(collector.problems[0]?.message).toMatch(/neither a header row/);
  });
});
