/**
 * Zeek's conn.log (docs.zeek.org, base/protocols/conn/main.zeek), in either of the ASCII writer's
 * forms, told apart per line by its first byte:
 * - TSV: header lines `#separator \x09`, `#set_separator`, `#empty_field (empty)`, `#unset_field -`,
 *   `#path conn`, `#open`, `#fields …`, `#types …`, then one record per line, `#close` at the end
 *   (a file still being written has none). Columns are mapped by `#fields` name; values never hold
 *   the separator (Zeek escapes it as `\x09`). Several logs may be concatenated, each with its own
 *   header; a log whose `#path` is not conn (dns.log has the same id fields) is refused with its
 *   lines. The writer's `tsv=T` mode (one header line of names, no `#`) is read too.
 * - JSON, one object per line (`LogAscii::use_json`): `ts` as epoch seconds (JSON::TS_EPOCH),
 *   epoch milliseconds (TS_MILLIS) or ISO 8601 text (TS_ISO8601); unset fields are absent. The
 *   id fields may also be written `id_orig_h` (Log::default_scope_sep) or nested (`"id": {…}`).
 *
 * orig is forward, resp reverse (Zeek flips a connection seen from its middle, history `^`, so
 * orig is the initiator). Octets are IP-level (`orig_ip_bytes`, `resp_ip_bytes`), falling back to
 * the payload counts (`orig_bytes`) where those are unset; packets `orig_pkts`, `resp_pkts`.
 * The end is ts + duration (unset: ts). ICMP has the type in `id.orig_p` and the code in
 * `id.resp_p`: they become sport 0, dport type·256 + code, as NetFlow carries them.
 *
 * TCP flags are the OR over both directions of what `history` shows (upper case originator,
 * lower case responder): S s → SYN, H h → SYN+ACK, A a and D d → ACK (data segments carry it),
 * F f → FIN, R r → RST, Q q (SYN with FIN or RST) → SYN; the other letters (C G I T W ^) say
 * nothing of flags. Without history the flags are 0. Sampling is 1, the exporter none (::).
 */
import { FLOW_KIND } from '../flow-batch.js';
import { isoTimeToMs, secondsToMs } from './local-time.js';
import { readTextFlows, type LineContext, type LineParser, type TextFlowReadOptions, type TextFlowReadSummary } from './text-flow-reader.js';
import { endpointsProblem, isIcmp, parseCount, parseUint, protocolNumber, setEndpoints, writeFlow } from './text-values.js';

/** The conn.log fields read, by their names in `#fields` and JSON. */
const FIELDS = ['ts', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'duration', 'orig_bytes', 'resp_bytes', 'history', 'orig_pkts', 'orig_ip_bytes', 'resp_pkts', 'resp_ip_bytes'] as const;
type Field = (typeof FIELDS)[number];
const REQUIRED: readonly Field[] = ['ts', 'id.orig_h', 'id.resp_h', 'proto'];

const HISTORY_FLAGS: Readonly<Record<string, number>> = { S: 0x02, H: 0x12, A: 0x10, D: 0x10, F: 0x01, R: 0x04, Q: 0x02 };

/** A value as written: TSV text, or a JSON number or string; undefined when unset. */
type Value = string | number | undefined;

interface TsvLayout {
  separator: string;
  unset: string;
  empty: string;
  /** Field index per name, -1 when absent. */
  at: Record<Field, number>;
  count: number;
}

/** `\x09` and other \xNN escapes of a header value. */
function unescape(s: string): string {
  return s.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function layout(names: string[], separator: string, unset: string, empty: string): TsvLayout | string {
  const at = Object.fromEntries(FIELDS.map((f) => [f, names.indexOf(f)])) as Record<Field, number>;
  const missing = REQUIRED.filter((f) => at[f] < 0);
  return missing.length > 0 ? `the #fields line has no ${missing.join(', ')}` : { separator, unset, empty, at, count: names.length };
}

/** ts as epoch seconds (text or number), epoch ms (a number too large for seconds) or ISO 8601 text → ms, or NaN. */
function timeMs(v: Value): number {
  if (typeof v === 'number') {
    const ms = v > 1e11 ? Math.floor(v) : Math.floor(v * 1000 + 1e-4);
    return ms >= 0 && ms < 32_503_680_000_000 ? ms : NaN; // up to the year 3000
  }
  if (v === undefined) return NaN;
  return v.length >= 20 && v.charCodeAt(4) === 45 ? isoTimeToMs(v) : secondsToMs(v);
}

/** A count: unset is 0; otherwise a non-negative integer, or NaN. */
function count(v: Value): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? v : NaN;
  return parseCount(v);
}

function port(v: Value): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= 65535 ? v : -1;
  return parseUint(v, 65535);
}

function durationMs(v: Value): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.floor(v * 1000 + 1e-4) : NaN;
  return secondsToMs(v);
}

function historyFlags(v: Value): number {
  if (typeof v !== 'string') return 0;
  let flags = 0;
  for (let k = 0; k < v.length; k++) flags |= HISTORY_FLAGS[(v[k] as string).toUpperCase()] ?? 0;
  return flags;
}

/** One JSON value as a Value: strings and numbers pass, null and other types are unset. */
function jsonValue(v: unknown): Value {
  return typeof v === 'string' || typeof v === 'number' ? v : undefined;
}

export function zeekConnParser(ctx: LineContext): LineParser {
  const b = ctx.batch;
  let separator = '\t';
  let unset = '-';
  let empty = '(empty)';
  let path: string | undefined;
  let tsv: TsvLayout | undefined;
  let refused: string | undefined = 'no #fields line before the first record';

  /** Fills and commits a record from the conn fields, or counts why not. */
  const record = (get: (f: Field) => Value, lineNo: number): void => {
    const protoText = get('proto');
    const proto = typeof protoText === 'string' ? protocolNumber(protoText) : -1;
    if (proto < 0) return ctx.bad('field-invalid', lineNo, `proto ${JSON.stringify(String(protoText).slice(0, 20))} is not a protocol`);
    const ts = get('ts');
    const start = timeMs(ts);
    if (Number.isNaN(start)) return ctx.bad('field-invalid', lineNo, `ts ${JSON.stringify(String(ts).slice(0, 40))} is not a time`);
    const dur = durationMs(get('duration'));
    if (Number.isNaN(dur)) return ctx.bad('field-invalid', lineNo, `duration ${JSON.stringify(String(get('duration')).slice(0, 40))} is not an interval`);
    const origP = port(get('id.orig_p'));
    const respP = port(get('id.resp_p'));
    if (origP < 0 || respP < 0) return ctx.bad('field-invalid', lineNo, 'a port is not 0–65535');
    const origIp = get('orig_ip_bytes');
    const respIp = get('resp_ip_bytes');
    const octets = count(origIp ?? get('orig_bytes'));
    const revOctets = count(respIp ?? get('resp_bytes'));
    const packets = count(get('orig_pkts'));
    const revPackets = count(get('resp_pkts'));
    if (Number.isNaN(octets + revOctets + packets + revPackets)) return ctx.bad('field-invalid', lineNo, 'a byte or packet count is not a number');

    const i = b.begin();
    const oh = get('id.orig_h');
    const rh = get('id.resp_h');
    const fs = typeof oh === 'string' && typeof rh === 'string' ? setEndpoints(b, i, oh, rh) : 0;
    if (fs === 0) return ctx.bad('field-invalid', lineNo, endpointsProblem(oh, rh));
    // ICMP: type and code in the dport as NetFlow carries them.
    const icmp = isIcmp(proto);
    writeFlow(b, i, {
      kind: FLOW_KIND.zeek, family: fs, startMs: start, endMs: start + dur, proto, sport: icmp ? 0 : origP, dport: icmp ? ((origP & 255) << 8) | (respP & 255) : respP,
      tcpFlags: historyFlags(get('history')), octets, packets, revOctets, revPackets,
    });
    ctx.commit(i);
  };

  const header = (text: string, lineNo: number): void => {
    // `#separator \x09` is the one header line whose value follows a space.
    if (text.startsWith('#separator ')) {
      separator = unescape(text.slice(11)) || '\t';
      return ctx.ignore();
    }
    const cut = text.indexOf(separator);
    const key = cut < 0 ? text : text.slice(0, cut);
    const value = cut < 0 ? '' : text.slice(cut + separator.length);
    switch (key) {
      case '#unset_field': unset = value; break;
      case '#empty_field': empty = value; break;
      case '#path':
        path = value;
        tsv = undefined;
        refused = value === 'conn' ? 'no #fields line before the first record' : `not a conn log (#path ${value.slice(0, 40)})`;
        break;
      case '#fields': {
        const l = layout(value.split(separator), separator, unset, empty);
        if (typeof l === 'string' || (path !== undefined && path !== 'conn')) {
          tsv = undefined;
          if (typeof l === 'string') refused = l;
          return ctx.bad('line-malformed', lineNo, refused ?? 'unusable #fields line');
        }
        tsv = l;
        refused = undefined;
        break;
      }
      case '#close':
        // The next log in a concatenation brings its own header.
        path = undefined;
        break;
      default: break;
    }
    ctx.ignore();
  };

  const json = (text: string, lineNo: number): void => {
    let o: unknown;
    try {
      o = JSON.parse(text);
    } catch (e) {
      return ctx.bad('line-malformed', lineNo, `not JSON: ${(e as Error).message.slice(0, 100)}`);
    }
    if (typeof o !== 'object' || o === null || Array.isArray(o)) return ctx.bad('line-malformed', lineNo, 'not a JSON object');
    const rec = o as Record<string, unknown>;
    const id = typeof rec.id === 'object' && rec.id !== null ? (rec.id as Record<string, unknown>) : undefined;
    record((f) => {
      const v = rec[f];
      if (v !== undefined || !f.startsWith('id.')) return jsonValue(v);
      const short = f.slice(3);
      return jsonValue(rec[`id_${short}`] ?? id?.[short]);
    }, lineNo);
  };

  return {
    line(text, lineNo) {
      const c = text.charCodeAt(0);
      if (c === 35) return header(text, lineNo); // '#'
      if (c === 123) return json(text, lineNo); // '{'
      if (text.trim() === '') return ctx.ignore();
      if (text.startsWith('{', text.length - text.trimStart().length)) return json(text.trim(), lineNo);
      if (text.startsWith('ts\t') && text.indexOf('id.orig_h') > 0) {
        // The writer's tsv=T mode: one line of names.
        const l = layout(text.split('\t'), '\t', unset, empty);
        if (typeof l === 'string') return ctx.bad('line-malformed', lineNo, l);
        tsv = l;
        refused = undefined;
        return ctx.ignore();
      }
      const t = tsv;
      if (t === undefined) return ctx.bad('line-malformed', lineNo, refused ?? 'no #fields line before the first record');
      const f = text.split(t.separator);
      if (f.length !== t.count) return ctx.bad('line-malformed', lineNo, `expected ${t.count} fields as in #fields, found ${f.length}`);
      record((name) => {
        const k = t.at[name];
        const v = k < 0 ? undefined : f[k];
        return v === undefined || v === t.unset || v === t.empty ? undefined : v;
      }, lineNo);
    },
  };
}

/** Reads a Zeek conn.log, TSV or JSON (see the file's comment); a FlowFileReader. */
export function readZeekConn(input: AsyncIterable<Uint8Array>, opts: TextFlowReadOptions): Promise<TextFlowReadSummary> {
  return readTextFlows(input, opts, 'zeek', zeekConnParser);
}
