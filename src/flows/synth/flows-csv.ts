/**
 * The generator's flows as nfdump CSV (`nfdump -o csv`, the 1.6 header names the nfdump CSV
 * reader looks columns up by). Unidirectional records, so `opkt`/`obyt` are 0. CSV has no
 * sampling column: with sampling, counters are written scaled up (kept × N), as nfdump shows
 * flows from an exporter whose sampling rate it knows.
 */
import type { FlowBatch } from '../flow-batch.js';
import { addressText } from '../flow-batch.js';

export const NFDUMP_CSV_HEADER = 'ts,te,td,sa,da,sp,dp,pr,flg,ipkt,ibyt,opkt,obyt';

const PROTO: Record<number, string> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP', 58: 'ICMP6' };

const two = (n: number): string => (n < 10 ? `0${n}` : String(n));
let cachedDay = -1;
let cachedDayText = '';

/** nfdump's time form: 'YYYY-MM-DD hh:mm:ss.mmm' (UTC); the date part is formatted once a day (Date objects per record cost 30× the rest). */
export function tsText(ms: number): string {
  const day = Math.floor(ms / 86_400_000);
  if (day !== cachedDay) { cachedDay = day; cachedDayText = new Date(day * 86_400_000).toISOString().slice(0, 10); }
  let r = Math.floor(ms - day * 86_400_000);
  const milli = r % 1000; r = (r - milli) / 1000;
  const sec = r % 60; r = (r - sec) / 60;
  const min = r % 60;
  const hour = (r - min) / 60;
  return `${cachedDayText} ${two(hour)}:${two(min)}:${two(sec)}.${String(milli).padStart(3, '0')}`;
}

/** nfdump's 6-letter TCP flags, UAPRSF, a dot for each flag not set. */
export function nfdumpFlags(f: number): string {
  const L = 'UAPRSF';
  let s = '';
  for (let k = 0; k < 6; k++) s += f & (0x20 >> k) ? L[k] : '.';
  return s;
}

/** The batch's records as CSV lines (no header), in pieces of a few thousand lines (one string of them all churns the collector). */
export function flowsCsvLines(b: FlowBatch): string[] {
  const out: string[] = [];
  let lines: string[] = [];
  for (let i = 0; i < b.length; i++) {
    const s = b.startMs[i] as number;
    const e = b.endMs[i] as number;
    const n = b.sampling[i] as number;
    const proto = b.proto[i] as number;
    lines.push(`${tsText(s)},${tsText(e)},${((e - s) / 1000).toFixed(3)},${addressText(b.src16, i * 16)},${addressText(b.dst16, i * 16)},` +
      `${b.sport[i] as number},${b.dport[i] as number},${PROTO[proto] ?? proto},${nfdumpFlags(b.tcpFlags[i] as number)},` +
      `${(b.packets[i] as number) * n},${(b.octets[i] as number) * n},0,0\n`);
    if (lines.length === 1024) { out.push(lines.join('')); lines = []; }
  }
  if (lines.length > 0) out.push(lines.join(''));
  return out;
}
