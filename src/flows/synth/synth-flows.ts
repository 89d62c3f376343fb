/**
 * `synth flows`: the synthetic ISP into the events store (each chunk through `writeFlows` with its
 * own deduplication token, oriented by the generator's internal prefixes, and the scanning
 * clients as darknet sources) or into an nfdump-style CSV; the labels (the truth) always.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { EventsStore } from '../../store/types.js';
import { CidrSet } from '../../net/cidr-set.js';
import { formatIPv4 } from '../../net/ip.js';
import { writeFlows } from '../store/write-flows.js';
import { generateIspFlows, type IspFlowOptions, type IspFlowSummary } from './isp-flows.js';
import { clientV4, SYNTH_INTERNAL, type CncLabel } from './isp-plan.js';
import { flowsCsvLines, NFDUMP_CSV_HEADER } from './flows-csv.js';

export interface SynthFlowsResult {
  readonly records: number;
  readonly clients: number;
  readonly labels: readonly CncLabel[];
  readonly startMs: number;
  readonly endMs: number;
  /** Clients that scan (written as darknet sources in store mode). */
  readonly scanners: readonly string[];
}

function result(s: IspFlowSummary): SynthFlowsResult {
  const scanners = [...s.plan.botnets.filter((n) => n.scans).flatMap((n) => n.clients), ...s.plan.benignScanners].map((c) => formatIPv4(clientV4(c)));
  return { records: s.records, clients: s.plan.clients, labels: s.plan.labels, startMs: s.startMs, endMs: s.endMs, scanners };
}

/** Scanning clients as darknet sources of the window's day (what a telescope of ours would have seen). */
async function writeScanners(events: EventsStore, r: SynthFlowsResult): Promise<void> {
  if (r.scanners.length === 0) return;
  const t = new Date(r.startMs + 3_600_000).toISOString().replace('T', ' ').replace('Z', '');
  await events.exec(
    `INSERT INTO darknet_source_day (day, sensor, src, first_seen, last_seen, packets, pkts_scan, pkts_backscatter, pkts_other, tag_hits, ports, dsts, asn, country)
     SELECT toDate(t), 'synth-flows', toIPv6(ip), t, t, 120, 120, 0, 0, ([0], [120]), ([], []), ([], []), 0, ''
     FROM (SELECT arrayJoin({ips:Array(String)}) AS ip, toDateTime64({t:String}, 6, 'UTC') AS t)`,
    { ips: r.scanners.map((ip) => `::ffff:${ip}`), t },
  );
}

export async function synthFlowsToStore(events: EventsStore, o: IspFlowOptions, storedAtMs = Date.now()): Promise<SynthFlowsResult> {
  const internal = new CidrSet(SYNTH_INTERNAL);
  const seed = o.seed ?? 1;
  let chunk = 0;
  const s = await generateIspFlows(o, async (b) => {
    // The token names the run's parameters and the chunk: a retry stores nothing twice.
    await writeFlows(events, b, { token: `synth-flows:${seed}:${o.clients ?? o.flows ?? ''}:${o.hours ?? 24}:${o.sample ?? 1}:${storedAtMs}:${chunk++}`, internal, storedAtMs });
  });
  const r = result(s);
  await writeScanners(events, r);
  return r;
}

export async function synthFlowsToCsv(path: string, o: IspFlowOptions): Promise<SynthFlowsResult> {
  const out = createWriteStream(path);
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`${NFDUMP_CSV_HEADER}\n`);
  const s = await generateIspFlows(o, async (b) => {
    for (const piece of flowsCsvLines(b)) await write(piece);
  });
  out.end();
  await once(out, 'finish');
  return result(s);
}
