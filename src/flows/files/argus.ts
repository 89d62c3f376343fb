/**
 * Argus flow records as `ra -c ,` prints them (`--format argus`): a header line of column titles
 * (StartTime, Flgs, Proto, SrcAddr, Sport, Dir, DstAddr, Dport, TotPkts, TotBytes, State, and
 * SrcPkts, DstPkts, SrcBytes, DstBytes, LastTime, Dur …), in any order, then one record per line.
 * Columns are mapped by title; unknown ones are ignored; the delimiter is whatever follows the
 * first title (`-c ,`, `-c ';'`, a tab). A header repeated later (RA_PRINT_LABELS=N) is read again.
 *
 * Argus records are conversations: forward is the Src side (SrcPkts, SrcBytes), reverse the Dst
 * side (DstPkts, DstBytes → revPackets, revOctets); with only TotPkts/TotBytes everything is
 * forward. Dir `<-` (and `<?`) means Dst began the conversation: the sides are swapped so that the
 * source is the initiator. Quirks of real output:
 * - Times are the local time of the machine that ran ra, without a zone (`timeZone`, default UTC),
 *   with the date only when RA_TIME_FORMAT asks for it (`"%Y/%m/%d %T.%f"`); ra's default
 *   `%T.%f` (time of day only) cannot be placed and is a field-invalid. `ra -u` prints epoch
 *   seconds. The end is LastTime, else StartTime + Dur, else StartTime.
 * - Dir is padded with spaces (`  ->`, ` <->`); Flgs is ignored.
 * - ICMP has no ports: Sport is `0x` + code (high byte) and type (low byte), Dport the echo id
 *   (ignored).
 *   They become sport 0, dport type·256 + code, as NetFlow carries them.
 * - Without `-n` ports are service names (`http`): the common ones are mapped (text-values.ts).
 * - Management and event records (Proto `man`, `evt`) are ignored (counted in `ignored`).
 * - TCP flags are approximated from State: REQ → SYN; ACC, CON → SYN+ACK; FIN, CLO → SYN+ACK+FIN;
 *   RST → RST; others none. Sampling is 1 and the exporter none (::).
 */
import { FLOW_KIND } from '../flow-batch.js';
import { secondsToMs, wallTimeToMs, type WallClock } from './local-time.js';
import { readTextFlows, type LineContext, type LineParser, type TextFlowReadOptions, type TextFlowReadSummary } from './text-flow-reader.js';
import { cell, countCell, endpointsProblem, isIcmp, parseHex16, parsePort, parseUint, protocolNumber, setEndpoints, writeFlow } from './text-values.js';

const TITLES = {
  StartTime: 'stime', LastTime: 'ltime', Dur: 'dur', Proto: 'proto', SrcAddr: 'saddr', Sport: 'sport', Dir: 'dir', DstAddr: 'daddr', Dport: 'dport',
  TotPkts: 'pkts', TotBytes: 'bytes', SrcPkts: 'spkts', DstPkts: 'dpkts', SrcBytes: 'sbytes', DstBytes: 'dbytes', State: 'state',
} as const;
type Col = (typeof TITLES)[keyof typeof TITLES];
const COL_OF_TITLE: ReadonlyMap<string, Col> = new Map(Object.entries(TITLES));

interface Columns {
  readonly delimiter: string;
  readonly header: string;
  readonly count: number;
  /** Field index of each known column, -1 when absent. */
  readonly at: Readonly<Record<Col, number>>;
}

const STATE_FLAGS: Readonly<Record<string, number>> = { REQ: 0x02, ACC: 0x12, CON: 0x12, FIN: 0x13, CLO: 0x13, RST: 0x04 };
const TIME_OF_DAY = /^\d{1,2}:\d{2}:\d{2}(\.\d+)?$/;

/** The header's columns, or a message saying why it cannot be used. */
function columns(line: string): Columns | string {
  const m = /[^A-Za-z0-9]/.exec(line);
  const delimiter = m ? m[0] : ',';
  if (delimiter === ' ') return 'the header is not delimited: run ra with -c , (or another delimiter)';
  const names = line.split(delimiter).map((s) => s.trim());
  const at = Object.fromEntries([...COL_OF_TITLE.values()].map((c) => [c, -1])) as Record<Col, number>;
  names.forEach((n, k) => {
    const col = COL_OF_TITLE.get(n);
    if (col !== undefined && at[col] < 0) at[col] = k;
  });
  const missing = (['StartTime', 'Proto', 'SrcAddr', 'DstAddr'] as const).filter((t) => at[TITLES[t]] < 0);
  return missing.length > 0 ? `the header has no ${missing.join(', ')} column` : { delimiter, header: line, count: names.length, at };
}

/** StartTime/LastTime text → ms, or NaN. */
function argusTime(s: string, clock: WallClock): number {
  const c = s.charCodeAt(4);
  if (c === 47 || c === 45) return wallTimeToMs(s, clock);
  return secondsToMs(s);
}

export function argusParser(ctx: LineContext): LineParser {
  const b = ctx.batch;
  let cols: Columns | undefined;
  let headerProblem = 'no header line naming the columns (StartTime, Proto, SrcAddr, DstAddr, …) before the first record';

  return {
    line(text, lineNo) {
      if (text.trim() === '') return ctx.ignore();
      if (cols !== undefined && text === cols.header) return ctx.ignore();
      if (text.indexOf('SrcAddr') >= 0) {
        const c = columns(text);
        if (typeof c === 'string') {
          cols = undefined;
          headerProblem = c;
          ctx.bad('line-malformed', lineNo, c);
        } else {
          cols = c;
          ctx.ignore();
        }
        return;
      }
      if (cols === undefined) return ctx.bad('line-malformed', lineNo, headerProblem);
      const f = text.split(cols.delimiter);
      if (f.length !== cols.count) return ctx.bad('line-malformed', lineNo, `expected ${cols.count} fields as in the header, found ${f.length}`);
      const at = cols.at;

      const protoText = cell(f, at.proto);
      if (protoText === 'man' || protoText === 'evt') return ctx.ignore();
      const proto = protocolNumber(protoText);
      if (proto < 0) return ctx.bad('field-invalid', lineNo, `unknown protocol ${JSON.stringify(protoText.slice(0, 40))}`);

      const stimeText = cell(f, at.stime);
      const start = argusTime(stimeText, ctx.clock);
      if (Number.isNaN(start)) {
        const why = TIME_OF_DAY.test(stimeText) ? ': a time of day without a date (run ra with -u, or with RA_TIME_FORMAT="%Y/%m/%d %T.%f")' : '';
        return ctx.bad('field-invalid', lineNo, `StartTime ${JSON.stringify(stimeText.slice(0, 40))} is not a time${why}`);
      }
      let end = start;
      const ltimeText = cell(f, at.ltime);
      const durText = cell(f, at.dur);
      if (ltimeText !== '') end = argusTime(ltimeText, ctx.clock);
      else if (durText !== '') end = start + secondsToMs(durText);
      if (!(end >= start)) return ctx.bad('field-invalid', lineNo, `LastTime/Dur ${JSON.stringify((ltimeText || durText).slice(0, 40))} is not a time at or after StartTime`);

      const dir = cell(f, at.dir);
      const swap = dir === '<-' || dir === '<?';
      const saddr = cell(f, at.saddr);
      const daddr = cell(f, at.daddr);
      const i = b.begin();
      const fs = swap ? setEndpoints(b, i, daddr, saddr) : setEndpoints(b, i, saddr, daddr);
      if (fs === 0) return ctx.bad('field-invalid', lineNo, endpointsProblem(saddr, daddr));

      const sportText = cell(f, at.sport);
      const dportText = cell(f, at.dport);
      let sport = 0;
      let dport = 0;
      if (isIcmp(proto)) {
        const tc = sportText === '' ? 0 : sportText.startsWith('0x') ? parseHex16(sportText) : parseUint(sportText, 65535);
        if (tc < 0) return ctx.bad('field-invalid', lineNo, `ICMP type/code ${JSON.stringify(sportText.slice(0, 20))} is not a number`);
        dport = ((tc & 255) << 8) | (tc >>> 8);
      } else {
        sport = sportText === '' ? 0 : parsePort(sportText);
        dport = dportText === '' ? 0 : parsePort(dportText);
        if (sport < 0 || dport < 0) return ctx.bad('field-invalid', lineNo, `port ${JSON.stringify((sport < 0 ? sportText : dportText).slice(0, 30))} is neither a number nor a known service name`);
        if (swap) [sport, dport] = [dport, sport];
      }

      let fwdPkts = countCell(f, at.spkts);
      let fwdBytes = countCell(f, at.sbytes);
      let revPkts = countCell(f, at.dpkts);
      let revBytes = countCell(f, at.dbytes);
      const totPkts = countCell(f, at.pkts);
      const totBytes = countCell(f, at.bytes);
      // Totals alone are all forward; a total beside one side gives the other.
      if (at.spkts < 0) fwdPkts = at.dpkts < 0 ? totPkts : Math.max(0, totPkts - revPkts);
      else if (at.dpkts < 0) revPkts = at.pkts < 0 ? 0 : Math.max(0, totPkts - fwdPkts);
      if (at.sbytes < 0) fwdBytes = at.dbytes < 0 ? totBytes : Math.max(0, totBytes - revBytes);
      else if (at.dbytes < 0) revBytes = at.bytes < 0 ? 0 : Math.max(0, totBytes - fwdBytes);
      if (Number.isNaN(fwdPkts + fwdBytes + revPkts + revBytes + totPkts + totBytes)) return ctx.bad('field-invalid', lineNo, 'a packet or byte count is not a number');

      writeFlow(b, i, {
        kind: FLOW_KIND.argus, family: fs, startMs: start, endMs: end, proto, sport, dport, tcpFlags: STATE_FLAGS[cell(f, at.state)] ?? 0,
        octets: swap ? revBytes : fwdBytes, packets: swap ? revPkts : fwdPkts, revOctets: swap ? fwdBytes : revBytes, revPackets: swap ? fwdPkts : revPkts,
      });
      ctx.commit(i);
    },
  };
}

/** Reads `ra -c ,` output (see the file's comment); a FlowFileReader. */
export function readArgus(input: AsyncIterable<Uint8Array>, opts: TextFlowReadOptions): Promise<TextFlowReadSummary> {
  return readTextFlows(input, opts, 'argus', argusParser);
}
