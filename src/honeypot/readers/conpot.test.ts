/**
 * Conpot's JSON log as its JsonLogger writes it (json.dump of timestamp, sensorid, id, src/dst,
 * public_ip, data_type, request, response, event_type; bytes as Python's repr), with requests
 * built here by the protocols' own framing: a Modbus/TCP ADU, an S7comm job in COTP and TPKT.
 */
import { describe, expect, it } from 'vitest';
import { ConpotReader } from './conpot.js';
import { icsSummary, modbusSummary, s7Summary } from './ics-summary.js';
import { kinds, readText } from './testing/read-text.js';

const NOW = Date.UTC(2026, 11, 1);
const ID = '6e2e5ad3-59b0-4b0a-9f39-0ac3c44b1f7a';
const ev = (o: Record<string, unknown>): string => JSON.stringify({
  timestamp: '2026-11-30T10:00:00.500000', sensorid: 'default', id: ID, src_ip: '203.0.113.50', src_port: 50502, dst_ip: '192.0.2.9', dst_port: 502,
  public_ip: null, data_type: 'modbus', request: null, response: null, event_type: null, ...o,
});

// Modbus/TCP: transaction 1, protocol 0, length 6, unit 1, function 3 (read holding registers), address 0, count 1.
const MODBUS_READ = '000100000006010300000001';
// TPKT v3 + COTP DT (li 2, 0xf0, EOT) + S7 job (0x32, rosctr 1, …, param length 8) + setup communication.
const S7_SETUP = '0300001902f08032010000000000080000f0000001000101e0';

describe('ConpotReader', () => {
  it('opens and closes sessions and summarises Modbus, S7comm, HTTP and SNMP requests', () => {
    const reader = new ConpotReader(NOW);
    const { rows } = readText(reader, [
      ev({ event_type: 'NEW_CONNECTION' }),
      ev({ request: `b'${MODBUS_READ}'`, response: "b'00010000000501030200'" }),
      ev({ event_type: 'CONNECTION_LOST' }),
      ev({ id: 's7-1', data_type: 's7comm', dst_port: 102, event_type: 'NEW_CONNECTION' }),
      ev({ id: 's7-1', data_type: 's7comm', dst_port: 102, request: `b'${S7_SETUP}'` }),
      ev({ id: 'h-1', data_type: 'http', dst_port: 80, request: 'GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n', response: '200 OK' }),
      ev({ id: 'snmp-1', data_type: 'snmp', dst_port: 161, event_type: 'SNMPv2c Get', request: { oid: '1.3.6.1.2.1.1.1.0' } }),
      ev({ id: 'x', event_type: null, request: null }),
      ev({ src_ip: 'nope' }),
    ].join('\n'));
    expect(kinds(rows)).toEqual({ 'session.connect': 2, ics: 3, 'session.close': 1, 'http.request': 1 });
    expect(rows[0]).toMatchObject({ ts: '2026-11-30T10:00:00.500000Z', honeypot: 'conpot', sensor: 'default', session: ID, kind: 'session.connect', proto: 'modbus', src: '203.0.113.50', dst: '192.0.2.9', dst_port: 502 });
    expect(rows[1]).toMatchObject({ kind: 'ics', proto: 'modbus', input: 'fc 3 read holding registers unit 1' });
    expect(rows[4]).toMatchObject({ kind: 'ics', proto: 's7comm', input: 's7 job setup communication' });
    expect(rows[5]).toMatchObject({ kind: 'http.request', proto: 'http', input: 'GET /index.html HTTP/1.1' });
    expect(rows[6]).toMatchObject({ kind: 'ics', proto: 'snmp', input: '{"oid":"1.3.6.1.2.1.1.1.0"}' });
    expect(reader.counts.skipped).toEqual({ 'conpot-event-empty': 1, 'src-invalid': 1 });
    // The S7 session never closed.
    expect(reader.counts.anomalies).toEqual({ 'session-without-close': 1 });
    expect(reader.counts.firstLine['session-without-close']).toBe(4);
  });

  it('decodes Modbus exceptions and S7 connection requests, and never throws on short or odd requests', () => {
    expect(modbusSummary(Buffer.from('000100000003018302', 'hex'))).toBe('fc 3 read holding registers (exception) unit 1');
    expect(s7Summary(Buffer.from('0300001611e00000000100c0010ac1020100c2020102', 'hex'))).toBe('cotp connection request');
    for (const req of ["b''", "b'0'", "b'03'", 'zz', "b'0300000402f080'", '', "b'0001'"]) {
      expect(typeof icsSummary('modbus', req)).toBe('string');
      expect(typeof icsSummary('s7comm', req)).toBe('string');
    }
  });
});
