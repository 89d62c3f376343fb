/**
 * ZMap's CSV output (`-O csv`, the default): a header row naming the fields (`--output-fields`, in
 * any order; `saddr` alone by default), then one row per response. ZMap names fields from the
 * responder's side: `saddr` is the host that answered and `sport` its port. Strings holding a comma
 * are quoted. `#` lines are comments. Rows with `success` 0 (RST, ICMP unreachable) are closed
 * ports and `repeat` 1 marks a further response from a host already seen: both are skipped unless
 * asked for (closed) — ZMap's own default output filter is `success = 1 && repeat = 0`.
 */
import type { ServiceFinding } from '../schema/service-observation.js';
import type { LineParser, ParseOptions, ParseSink } from './types.js';
import { cachedDateToMs, checkIp, checkPort, epochSecondsToMs } from './values.js';

const FIELD_NAME = /^[a-z_][a-z0-9_]*$/;

interface Columns {
  names: string[];
  saddr: number;
  sport: number;
  success: number;
  classification: number;
  repeat: number;
  timestampStr: number;
  timestampTs: number;
  timestampUs: number;
  udp: boolean;
}

function columns(names: string[]): Columns {
  const at = (n: string): number => names.indexOf(n);
  return {
    names, saddr: at('saddr'), sport: at('sport'), success: at('success'), classification: at('classification'), repeat: at('repeat'),
    timestampStr: at('timestamp_str'), timestampTs: at('timestamp_ts'), timestampUs: at('timestamp_us'),
    udp: names.includes('udp_pkt_size') || names.includes('icmp_responder'),
  };
}

/** Splits a CSV row; quoted fields may hold commas (ZMap does not escape quotes inside them; `""` is read as one). */
export function splitCsv(line: string): string[] | string {
  if (line.indexOf('"') < 0) return line.split(',');
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line.charCodeAt(i) === 34) {
      let v = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) return `unterminated quoted field at column ${i + 1}`;
        v += line.slice(j, q);
        if (line.charCodeAt(q + 1) === 34) {
          v += '"';
          j = q + 2;
          continue;
        }
        j = q + 1;
        break;
      }
      out.push(v);
      if (j === line.length) return out;
      if (line.charCodeAt(j) !== 44) return `unexpected character after quoted field at column ${j + 1}`;
      i = j + 1;
    } else {
      const c = line.indexOf(',', i);
      if (c < 0) {
        out.push(line.slice(i));
        return out;
      }
      out.push(line.slice(i, c));
      i = c + 1;
    }
  }
}

export function zmapCsvParser(opts: ParseOptions = {}, now: number = Date.now()): LineParser {
  let cols: Columns | undefined = opts.fields && opts.fields.length > 0 ? columns([...opts.fields]) : undefined;
  let headerProblem: string | undefined;
  const defaultTransport = opts.transport ?? 'tcp';
  const dateToMs = cachedDateToMs();

  const header = (line: string, lineNo: number, sink: ParseSink): boolean => {
    const names = line.split(',').map((s) => s.trim());
    if (names.every((n) => FIELD_NAME.test(n))) {
      if (!names.includes('saddr')) {
        headerProblem = `header row has no saddr field (fields: ${names.join(',').slice(0, 200)})`;
        sink.problem(lineNo, headerProblem);
      } else {
        cols = columns(names);
      }
      return true;
    }
    // No header row: ZMap's default output is saddr alone, one address per line.
    if (names.length === 1 && checkIp(names[0] ?? '') !== undefined) {
      cols = columns(['saddr']);
      return false;
    }
    headerProblem = 'first row is neither a header row of field names nor an address; give the fields (--fields saddr,sport,…)';
    sink.problem(lineNo, headerProblem);
    return true;
  };

  return {
    kind: 'lines',
    line(line, lineNo, sink) {
      if (line.length === 0 || line.charCodeAt(0) === 35 /* # */) return;
      if (cols === undefined) {
        if (headerProblem !== undefined) {
          sink.record();
          sink.problem(lineNo, headerProblem);
          return;
        }
        if (header(line, lineNo, sink)) return;
      } else if (opts.fields && line === cols.names.join(',')) {
        return; // a header row that repeats the given fields
      }
      const c = cols as Columns;
      sink.record();
      const v = splitCsv(line);
      if (typeof v === 'string') return sink.problem(lineNo, v);
      if (v.length !== c.names.length) return sink.problem(lineNo, `expected ${c.names.length} fields (${c.names.join(',').slice(0, 120)}), got ${v.length}`);
      const ip = checkIp(v[c.saddr] as string);
      if (ip === undefined) return sink.problem(lineNo, `saddr is not an IP address: ${JSON.stringify((v[c.saddr] as string).slice(0, 60))}`);
      let port: number | undefined;
      if (c.sport >= 0) {
        port = checkPort(v[c.sport]);
        if (port === undefined) return sink.problem(lineNo, `sport is not a port number: ${JSON.stringify((v[c.sport] as string).slice(0, 20))}`);
      } else {
        port = opts.port;
        if (port === undefined) return sink.problem(lineNo, 'no sport field and no port given (--port)');
      }
      if (c.repeat >= 0 && v[c.repeat] === '1') return sink.skip('zmap repeat response');
      const cls = c.classification >= 0 ? (v[c.classification] as string) : '';
      let open = true;
      if (c.success >= 0) {
        const s = v[c.success];
        if (s !== '0' && s !== '1') return sink.problem(lineNo, `success is not 0 or 1: ${JSON.stringify((s ?? '').slice(0, 20))}`);
        open = s === '1';
      } else if (cls !== '') {
        open = cls === 'synack' || cls === 'udp';
      }
      if (!open && !opts.includeClosed) return sink.skip('closed port');
      let time = now;
      if (c.timestampStr >= 0 && v[c.timestampStr] !== '') {
        const t = dateToMs(v[c.timestampStr] as string);
        if (t === undefined) return sink.problem(lineNo, `timestamp_str is not a date: ${JSON.stringify((v[c.timestampStr] as string).slice(0, 40))}`);
        time = t;
      } else if (c.timestampTs >= 0 && v[c.timestampTs] !== '') {
        const t = epochSecondsToMs(v[c.timestampTs]);
        if (t === undefined) return sink.problem(lineNo, `timestamp_ts is not a time: ${JSON.stringify((v[c.timestampTs] as string).slice(0, 40))}`);
        const us = c.timestampUs >= 0 ? Number(v[c.timestampUs]) : 0;
        time = t + (Number.isFinite(us) && us > 0 && us < 1e6 ? Math.floor(us / 1000) : 0);
      }
      const transport = cls === 'udp' || c.udp ? 'udp' : defaultTransport;
      const f: ServiceFinding = { ip, port, transport, time, status: open ? 'open' : 'closed' };
      sink.finding(f);
    },
    end() {
      /* nothing carried between lines */
    },
  };
}
