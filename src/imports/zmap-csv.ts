/**
 * ZMap's CSV output (`-O csv`, the default): a header row naming the fields (`--output-fields`, in
 * any order), then one row per response. With no output option at all ZMap writes `saddr` (one
 * port scanned) or `saddr,sport` (several) and no header row. ZMap names fields from the
 * responder's side: `saddr` is the host that answered and `sport` its port. Strings holding a comma
 * are quoted. `#` lines are comments. Rows with `success` 0 (RST, ICMP unreachable) are closed
 * ports and `repeat` 1 marks a further response from a host already seen: both are skipped unless
 * asked for (closed) — ZMap's own default output filter is `success = 1 && repeat = 0`. ICMP
 * answers have no port (sport empty) and are skipped. ZMap 2.x wrote `timestamp-str` etc. with
 * dashes. `-O json` (one object per line, fields by name) is read too.
 */
import type { ServiceFinding } from '../schema/service-observation.js';
import type { LineParser, ParseOptions, ParseSink } from './types.js';
import { cachedDateToMs, checkIp, checkPort, epochSecondsToMs, jsonObjectLine } from './values.js';

const FIELD_NAME = /^[a-z_][a-z0-9_-]*$/;
/** Classifications of the UDP probe modules' answers (module_udp.c, _dns, _ntp, _bacnet, _upnp). */
const UDP_CLASSES: ReadonlySet<string> = new Set(['udp', 'dns', 'ntp', 'bacnet', 'upnp']);
const ICMP_SKIP = 'zmap icmp response (no port)';

interface Columns {
  names: string[];
  /** The header row as written (to recognise a repeated one). */
  header: string;
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

function columns(given: string[]): Columns {
  // ZMap 2.x (before 3.0) named the system fields timestamp-str, timestamp-ts, timestamp-us.
  const names = given.map((n) => n.replace(/-/g, '_'));
  const at = (n: string): number => names.indexOf(n);
  return {
    names, header: given.join(','), saddr: at('saddr'), sport: at('sport'), success: at('success'), classification: at('classification'), repeat: at('repeat'),
    timestampStr: at('timestamp_str'), timestampTs: at('timestamp_ts'), timestampUs: at('timestamp_us'),
    // udp_pkt_size is the udp module's own; the icmp_* fields are in every module's set (`-f "*"`).
    udp: names.includes('udp_pkt_size'),
  };
}

type Json = Record<string, unknown>;

/** A value of `-O json` as the CSV writer would print it: bools as 1/0, absent (FS_NULL) as undefined. */
function jsonField(o: Json, name: string): string | undefined {
  let v = o[name];
  if (v === undefined && name.indexOf('_') >= 0) v = o[name.replace(/_/g, '-')]; // ZMap 2.x names
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'number' || typeof v === 'string') return String(v);
  return JSON.stringify(v);
}

/**
 * Splits a CSV row. ZMap quotes a string only when it holds a comma and never escapes a quote in it
 * (module_csv.c): a quoted field ends at a quote followed by a comma or the line's end; a quote
 * elsewhere is kept as text (`""` is read as one, as other CSV writers mean it), and a field that
 * starts with a quote but has no such end is an unquoted string that began with a quote.
 */
export function splitCsv(line: string): string[] {
  if (line.indexOf('"') < 0) return line.split(',');
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let end = -1;
    if (line.charCodeAt(i) === 34) {
      let v = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) break;
        const next = line.charCodeAt(q + 1);
        if (next === 34) {
          v += line.slice(j, q + 1);
          j = q + 2;
        } else if (q + 1 === line.length || next === 44) {
          v += line.slice(j, q);
          end = q + 1;
          break;
        } else {
          v += line.slice(j, q + 1);
          j = q + 1;
        }
      }
      if (end >= 0) {
        out.push(v);
        if (end === line.length) return out;
        i = end + 1;
        continue;
      }
    }
    const c = line.indexOf(',', i);
    if (c < 0) {
      out.push(line.slice(i));
      return out;
    }
    out.push(line.slice(i, c));
    i = c + 1;
  }
}

export function zmapCsvParser(opts: ParseOptions = {}, now: number = Date.now()): LineParser {
  let cols: Columns | undefined = opts.fields && opts.fields.length > 0 ? columns([...opts.fields]) : undefined;
  let headerProblem: string | undefined;
  let json = false;
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
    // No header row: ZMap's default output is saddr alone (one port) or saddr,sport (several).
    if (checkIp(names[0] ?? '') !== undefined) {
      if (names.length === 1) {
        cols = columns(['saddr']);
        return false;
      }
      if (names.length === 2 && checkPort(names[1]) !== undefined) {
        cols = columns(['saddr', 'sport']);
        return false;
      }
    }
    headerProblem = 'first row is neither a header row of field names nor an address; give the fields (--fields saddr,sport,…)';
    sink.problem(lineNo, headerProblem);
    return true;
  };

  /**
   * One response, its fields as the CSV writer prints them ('' for an empty field, undefined for a
   * field not written at all).
   */
  const response = (
    lineNo: number, sink: ParseSink, saddr: string, sport: string | undefined, success: string | undefined, repeat: string | undefined,
    cls: string, tsStr: string | undefined, tsTs: string | undefined, tsUs: string | undefined, udpFields: boolean,
  ): void => {
    const ip = checkIp(saddr);
    if (ip === undefined) return sink.problem(lineNo, `saddr is not an IP address: ${JSON.stringify(saddr.slice(0, 60))}`);
    if (repeat === '1') return sink.skip('zmap repeat response');
    let open = true;
    if (success !== undefined) {
      if (success !== '0' && success !== '1') return sink.problem(lineNo, `success is not 0 or 1: ${JSON.stringify(success.slice(0, 20))}`);
      open = success === '1';
    } else if (cls !== '') {
      open = cls === 'synack' || UDP_CLASSES.has(cls);
    }
    if (!open) {
      // An ICMP answer (unreachable …) names the probed host but not the port (sport is empty).
      if (sport === '' || cls === 'icmp') return sink.skip(ICMP_SKIP);
      if (!opts.includeClosed) return sink.skip('closed port');
    }
    let port: number | undefined;
    if (sport !== undefined) {
      port = checkPort(sport);
      if (port === undefined) return sink.problem(lineNo, `sport is not a port number: ${JSON.stringify(sport.slice(0, 20))}`);
    } else {
      port = opts.port;
      if (port === undefined) return sink.problem(lineNo, 'no sport field and no port given (--port)');
    }
    let time = now;
    if (tsStr !== undefined && tsStr !== '') {
      const t = dateToMs(tsStr);
      if (t === undefined) return sink.problem(lineNo, `timestamp_str is not a date: ${JSON.stringify(tsStr.slice(0, 40))}`);
      time = t;
    } else if (tsTs !== undefined && tsTs !== '') {
      const t = epochSecondsToMs(tsTs);
      if (t === undefined) return sink.problem(lineNo, `timestamp_ts is not a time: ${JSON.stringify(tsTs.slice(0, 40))}`);
      const us = tsUs !== undefined ? Number(tsUs) : 0;
      time = t + (Number.isFinite(us) && us > 0 && us < 1e6 ? Math.floor(us / 1000) : 0);
    }
    const transport = udpFields || (cls !== '' && UDP_CLASSES.has(cls)) ? 'udp' : defaultTransport;
    const f: ServiceFinding = { ip, port, transport, time, status: open ? 'open' : 'closed' };
    sink.finding(f);
  };

  const jsonLine = (line: string, lineNo: number, sink: ParseSink): void => {
    sink.record();
    const r = jsonObjectLine(line, lineNo, sink);
    if (!r) return;
    const saddr = jsonField(r, 'saddr');
    if (saddr === undefined) return sink.problem(lineNo, 'no saddr field (is this ZMap output?)');
    response(
      lineNo, sink, saddr, jsonField(r, 'sport'), jsonField(r, 'success'), jsonField(r, 'repeat'), jsonField(r, 'classification') ?? '',
      jsonField(r, 'timestamp_str'), jsonField(r, 'timestamp_ts'), jsonField(r, 'timestamp_us'), r['udp_pkt_size'] !== undefined,
    );
  };

  return {
    kind: 'lines',
    line(line, lineNo, sink) {
      if (line.length === 0 || line.charCodeAt(0) === 35 /* # */) return;
      if (json) return jsonLine(line, lineNo, sink);
      if (cols === undefined) {
        if (headerProblem !== undefined) {
          sink.record();
          sink.problem(lineNo, headerProblem);
          return;
        }
        if (line.charCodeAt(0) === 123 /* { */) {
          json = true; // -O json
          return jsonLine(line, lineNo, sink);
        }
        if (header(line, lineNo, sink)) return;
      } else if (opts.fields && line === cols.header) {
        return; // a header row that repeats the given fields
      }
      const c = cols as Columns;
      sink.record();
      const v = splitCsv(line);
      if (v.length !== c.names.length) return sink.problem(lineNo, `expected ${c.names.length} fields (${c.names.join(',').slice(0, 120)}), got ${v.length}`);
      response(
        lineNo, sink, v[c.saddr] as string, c.sport >= 0 ? v[c.sport] : undefined, c.success >= 0 ? v[c.success] : undefined, c.repeat >= 0 ? v[c.repeat] : undefined,
        c.classification >= 0 ? (v[c.classification] as string) : '',
        c.timestampStr >= 0 ? v[c.timestampStr] : undefined, c.timestampTs >= 0 ? v[c.timestampTs] : undefined, c.timestampUs >= 0 ? v[c.timestampUs] : undefined, c.udp,
      );
    },
    end() {
      /* nothing carried between lines */
    },
  };
}
