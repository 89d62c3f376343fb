/**
 * Conpot's JSON log (JsonLogger: one object per session event): `event_type` NEW_CONNECTION and
 * CONNECTION_LOST/CLOSED/TERMINATED/TIMEOUT/FAILED open and close a session (`id`, a UUID);
 * events with a `request` are interactions of the session's protocol (`data_type`: modbus,
 * s7comm, bacnet, ipmi, snmp, enip, IEC104, guardian_ast, kamstrup_*, ftp, tftp, http). HTTP
 * requests become `http.request`, the rest `ics` with the function or request summary as
 * `input`. Conpot stamps every event of a session with the session's start time.
 */
import type { HoneypotEventRow } from '../../schema/honeypot-event.js';
import { detailOf, port, str, text } from './fields.js';
import { icsSummary } from './ics-summary.js';
import { parseLine, type HoneypotLineReader } from './line-reader.js';
import { LineReaderBase } from './line-reader-base.js';
import { isoMs, utcText } from './session-watch.js';

const CLOSES = new Set(['CONNECTION_LOST', 'CONNECTION_CLOSED', 'CONNECTION_TERMINATED', 'CONNECTION_TIMEOUT', 'CONNECTION_FAILED', 'CONNECTION_QUIT']);

/** A request or response as text: Conpot logs strings, Python reprs of bytes, or objects (SNMP). */
function asText(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  return text(v) ?? JSON.stringify(v);
}

export class ConpotReader extends LineReaderBase implements HoneypotLineReader {
  readonly honeypot = 'conpot' as const;

  line(line: string, no: number, out: HoneypotEventRow[]): void {
    const o = parseLine(line, no, this.counts);
    if (!o) return;
    if (!('data_type' in o) && !('event_type' in o)) { this.counts.skip('not-a-conpot-event', no); return; }
    const src = str(o.src_ip);
    if (!this.addresses.valid(src)) { this.counts.skip('src-invalid', no); return; }
    const tsRaw = str(o.timestamp);
    const session = text(o.id) ?? '';
    if (tsRaw === undefined) { this.counts.skip('timestamp-invalid', no); return; }
    const ms = isoMs(tsRaw);
    if (!this.sessions.time(ms, session, no)) return;
    const eventType = str(o.event_type);
    const proto = (str(o.data_type) ?? '').toLowerCase();
    const request = asText(o.request);
    const dstText = str(o.dst_ip);
    const row: HoneypotEventRow = {
      ts: utcText(tsRaw), honeypot: 'conpot', sensor: str(o.sensorid), session, kind: 'ics', proto, src,
      src_port: port(o.src_port), dst: dstText !== undefined && this.addresses.valid(dstText) ? dstText : undefined, dst_port: port(o.dst_port),
    };
    if (eventType === 'NEW_CONNECTION') {
      this.sessions.connect(session, ms, no);
      row.kind = 'session.connect';
      row.detail = detailOf({ public_ip: o.public_ip });
    } else if (eventType !== undefined && CLOSES.has(eventType)) {
      this.sessions.close(session);
      row.kind = 'session.close';
      row.detail = detailOf({ reason: eventType });
    } else if (request !== undefined) {
      const response = asText(o.response);
      if (proto === 'http') {
        row.kind = 'http.request';
        row.input = request.split(/\r?\n/, 1)[0] ?? '';
        row.size = request.length;
      } else {
        row.input = icsSummary(proto, request);
      }
      row.detail = detailOf({ event_type: eventType, request: request.length > 4096 ? request.slice(0, 4096) : request, response: response && response.length > 1024 ? response.slice(0, 1024) : response });
    } else if (eventType !== undefined) {
      // Protocol events without a request (e.g. an FTP or guardian_ast command name).
      row.input = eventType;
    } else {
      this.counts.skip('conpot-event-empty', no);
      return;
    }
    out.push(row);
  }

  end(): void {
    this.sessions.end();
  }
}
