/**
 * nfdump's CSV output (`nfdump -r FILE -o csv`), mapped by header name in either vocabulary:
 * - nfdump 1.6 and Debian's 1.7.1: `ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,
 *   sas,das,…,ra,eng,exid,tr` with `pr` a name (TCP, UDP, ICMP) or a number, flags as letters
 *   (`.AP.SF`, `...AP.SF`) or hex beyond the six (`0x52`), ICMP type·256 + code in `dp`; after
 *   the records a `Summary` line, a header and totals, which are ignored (and anything after them
 *   until another header, as when outputs are concatenated). Without a header (`-q`) a line of
 *   the 48 default columns is read as Debian's nfdump writes them.
 * - later 1.7 (`-o csv` built from `%` tokens): `firstSeen,lastSeen,duration,srcAddr,dstAddr,
 *   srcPort,dstPort,proto,flags,…,inPackets,inBytes,outPackets,outBytes,input,output,srcAS,dstAS,
 *   …,routerIP,engine,exporterID,received`, `proto` a number, ICMP `dstPort` as `type.code`.
 * Times are `YYYY-MM-DD hh:mm:ss[.mmm]` in the local time of the machine that ran nfdump
 * (`timeZone`, default UTC); the end is the last-seen time, else first + duration.
 *
 * In and out counters are forward and reverse (NSEL and IPFIX biflows fill the out ones; a plain
 * NetFlow exporter leaves them 0). `ra`/`routerIP` is the exporter (0.0.0.0 means none: ::),
 * `eng` the engine type/id, kept as the domain type·256 + id as NetFlow v5 gives it. nfcapd has
 * already scaled counters by the sampling rate it knew, so sampling is 1.
 */
import { FLOW_KIND } from '../flow-batch.js';
import { secondsToMs, wallTimeToMs } from './local-time.js';
import { readTextFlows, type LineContext, type LineParser, type TextFlowReadOptions, type TextFlowReadSummary } from './text-flow-reader.js';
import { cell, countCell, endpointsProblem, isIcmp, parseFlagLetters, parseUint, protocolNumber, setAddress, setEndpoints, writeFlow } from './text-values.js';

type Col = 'ts' | 'te' | 'td' | 'sa' | 'da' | 'sp' | 'dp' | 'pr' | 'flg' | 'ipkt' | 'ibyt' | 'opkt' | 'obyt' | 'in' | 'out' | 'sas' | 'das' | 'ra' | 'eng';
const COLS: readonly Col[] = ['ts', 'te', 'td', 'sa', 'da', 'sp', 'dp', 'pr', 'flg', 'ipkt', 'ibyt', 'opkt', 'obyt', 'in', 'out', 'sas', 'das', 'ra', 'eng'];

/** Header names of both vocabularies → the column read. */
const NAMES: ReadonlyMap<string, Col> = new Map<string, Col>([
  ...COLS.map((c) => [c, c] as const),
  ['pkt', 'ipkt'], ['byt', 'ibyt'],
  ['firstSeen', 'ts'], ['lastSeen', 'te'], ['duration', 'td'], ['srcAddr', 'sa'], ['dstAddr', 'da'], ['srcPort', 'sp'], ['dstPort', 'dp'],
  ['proto', 'pr'], ['flags', 'flg'], ['inPackets', 'ipkt'], ['packets', 'ipkt'], ['inBytes', 'ibyt'], ['bytes', 'ibyt'], ['outPackets', 'opkt'],
  ['outBytes', 'obyt'], ['input', 'in'], ['output', 'out'], ['srcAS', 'sas'], ['dstAS', 'das'], ['routerIP', 'ra'], ['engine', 'eng'],
]);

/** Debian nfdump 1.7.1's `-o csv` columns, for output without a header (`-q`). */
const DEFAULT_HEADER = 'ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,sas,das,smk,dmk,dtos,dir,nh,nhb,svln,dvln,ismc,odmc,idmc,osmc,'
  + 'mpls1,mpls2,mpls3,mpls4,mpls5,mpls6,mpls7,mpls8,mpls9,mpls10,cl,sl,al,ra,eng,exid,tr';

interface Columns {
  readonly header: string;
  readonly count: number;
  readonly at: Readonly<Record<Col, number>>;
}

const NAME = /^[A-Za-z][A-Za-z0-9]*$/;

/** The columns of a header line, undefined when the line is not one, or a message when it cannot be used. */
function columns(line: string): Columns | string | undefined {
  const names = line.split(',');
  if (!names.every((n) => NAME.test(n))) return undefined;
  const at = Object.fromEntries(COLS.map((c) => [c, -1])) as Record<Col, number>;
  names.forEach((n, k) => {
    const c = NAMES.get(n);
    if (c !== undefined && at[c] < 0) at[c] = k;
  });
  if (at.sa < 0 && at.da < 0) return undefined; // the summary's header, or not nfdump's
  const missing = (['ts', 'sa', 'da', 'pr'] as const).filter((c) => at[c] < 0);
  return missing.length > 0 ? `the header has no ${missing.join(', ')} column` : { header: line, count: names.length, at };
}

const DEFAULT_COLUMNS = columns(DEFAULT_HEADER) as Columns;

export function nfdumpCsvParser(ctx: LineContext): LineParser {
  const b = ctx.batch;
  let cols: Columns | undefined;
  let inSummary = false;

  return {
    line(text, lineNo) {
      if (text === '' || text === 'No matching flows') return ctx.ignore();
      const c0 = text.charCodeAt(0);
      if ((c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122)) {
        if (text === 'Summary') {
          inSummary = true;
          return ctx.ignore();
        }
        const h = columns(text);
        if (typeof h === 'string') {
          cols = undefined;
          inSummary = false;
          return ctx.bad('line-malformed', lineNo, h);
        }
        if (h !== undefined) {
          cols = h;
          inSummary = false;
          return ctx.ignore();
        }
        if (inSummary) return ctx.ignore();
        return ctx.bad('line-malformed', lineNo, 'neither a header nor a record');
      }
      if (inSummary) return ctx.ignore();
      const f = text.split(',');
      if (cols === undefined) {
        if (f.length !== DEFAULT_COLUMNS.count) return ctx.bad('line-malformed', lineNo, 'no header line (ts,te,… or firstSeen,lastSeen,…) before the first record');
        cols = DEFAULT_COLUMNS;
      }
      if (f.length !== cols.count) return ctx.bad('line-malformed', lineNo, `expected ${cols.count} fields as in the header, found ${f.length}`);
      const at = cols.at;

      const prText = cell(f, at.pr);
      const proto = protocolNumber(prText);
      if (proto < 0) return ctx.bad('field-invalid', lineNo, `protocol ${JSON.stringify(prText.slice(0, 20))} is not a protocol`);
      const tsText = cell(f, at.ts);
      const start = wallTimeToMs(tsText, ctx.clock);
      if (Number.isNaN(start)) return ctx.bad('field-invalid', lineNo, `first-seen ${JSON.stringify(tsText.slice(0, 40))} is not a time`);
      const teText = cell(f, at.te);
      const tdText = cell(f, at.td);
      const end = teText !== '' ? wallTimeToMs(teText, ctx.clock) : tdText !== '' ? start + secondsToMs(tdText) : start;
      if (!(end >= start)) return ctx.bad('field-invalid', lineNo, `last-seen ${JSON.stringify((teText || tdText).slice(0, 40))} is not a time at or after first-seen`);

      const spText = cell(f, at.sp);
      const dpText = cell(f, at.dp);
      const sport = spText === '' ? 0 : parseUint(spText, 65535);
      let dport: number;
      const dot = dpText.indexOf('.');
      if (dot >= 0) {
        // ICMP as type.code (later 1.7).
        const type = parseUint(dpText.slice(0, dot), 255);
        const code = parseUint(dpText.slice(dot + 1), 255);
        dport = type < 0 || code < 0 || !isIcmp(proto) ? -1 : (type << 8) | code;
      } else dport = dpText === '' ? 0 : parseUint(dpText, 65535);
      if (sport < 0 || dport < 0) return ctx.bad('field-invalid', lineNo, `port ${JSON.stringify((sport < 0 ? spText : dpText).slice(0, 20))} is not a port`);
      const flgText = cell(f, at.flg);
      const flags = flgText === '' ? 0 : parseFlagLetters(flgText);
      if (flags < 0) return ctx.bad('field-invalid', lineNo, `flags ${JSON.stringify(flgText.slice(0, 20))} are not TCP flags`);

      const packets = countCell(f, at.ipkt);
      const octets = countCell(f, at.ibyt);
      const revPackets = countCell(f, at.opkt);
      const revOctets = countCell(f, at.obyt);
      const inIf = countCell(f, at.in);
      const outIf = countCell(f, at.out);
      const srcAs = countCell(f, at.sas);
      const dstAs = countCell(f, at.das);
      if (Number.isNaN(packets + octets + revPackets + revOctets)) return ctx.bad('field-invalid', lineNo, 'a packet or byte count is not a number');
      if (!(inIf <= 0xffffffff && outIf <= 0xffffffff && srcAs <= 0xffffffff && dstAs <= 0xffffffff)) return ctx.bad('field-invalid', lineNo, 'an interface or AS number is not a 32-bit number');

      const i = b.begin();
      const saText = cell(f, at.sa);
      const daText = cell(f, at.da);
      const fs = setEndpoints(b, i, saText, daText);
      if (fs === 0) return ctx.bad('field-invalid', lineNo, endpointsProblem(saText, daText));
      const raText = cell(f, at.ra);
      if (raText !== '' && raText !== '0.0.0.0' && raText !== '::' && setAddress(b.exporter16, i, raText) === 0) {
        return ctx.bad('field-invalid', lineNo, `router address ${JSON.stringify(raText.slice(0, 45))} is not an address`);
      }
      const engText = cell(f, at.eng);
      const slash = engText.indexOf('/');
      if (slash > 0) {
        const type = parseUint(engText.slice(0, slash), 255);
        const id = parseUint(engText.slice(slash + 1), 255);
        if (type >= 0 && id >= 0) b.domain[i] = (type << 8) | id;
      }
      writeFlow(b, i, { kind: FLOW_KIND.nfdump, family: fs, startMs: start, endMs: end, proto, sport, dport, tcpFlags: flags, octets, packets, revOctets, revPackets });
      b.inIf[i] = inIf;
      b.outIf[i] = outIf;
      b.srcAs[i] = srcAs;
      b.dstAs[i] = dstAs;
      ctx.commit(i);
    },
  };
}

/** Reads `nfdump -o csv` output (see the file's comment); a FlowFileReader. */
export function readNfdumpCsv(input: AsyncIterable<Uint8Array>, opts: TextFlowReadOptions): Promise<TextFlowReadSummary> {
  return readTextFlows(input, opts, 'nfdump-csv', nfdumpCsvParser);
}
