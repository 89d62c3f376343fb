/**
 * `sakimori report flows` and GET /api/v1/flows/report: what was collected in a window, from
 * the hourly aggregates (flow_exporter_hour) and the exporter statistics (state), so a report
 * needs no read of raw flows. Counters as exported (`octets`, `packets`, the reverse direction
 * of biflows) and scaled by each record's sampling rate (`scaledOctets`, `scaledPackets`, the
 * forward direction). The exporters' datagrams, loss and sampling rates are counted since they
 * were first heard; their records are the window's.
 */
import type { EventsStore, StateStore } from '../../store/types.js';
import type { TimeWindow } from '../../analyze/time-window.js';
import { parseWindow } from '../../analyze/time-window.js';
import { formatIp, parseIpUnmapped } from '../../net/ip.js';
import { FLOW_KIND_NAMES, type FlowKind } from '../flow-batch.js';
import { listExporters, type StoredExporter } from '../collect/exporter-store.js';

export interface FlowReportExporter {
  address: string;
  domain: number;
  /** Export protocols heard from it (netflow5, netflow9, ipfix, sflow5), or the file kinds. */
  protocols: string[];
  datagrams: number;
  /** Records stored in the window. */
  records: number;
  /** Records (NetFlow v5, IPFIX) or datagrams (NetFlow v9, sFlow) missing from its sequence, since first heard. */
  lost: number;
  restarts: number;
  samplingRates: number[];
  recordsPerSecond: number;
  templates: number;
  lastSeen: string | null;
}

export interface FlowReport {
  from: string;
  to: string;
  records: number;
  octets: number;
  packets: number;
  reverseOctets: number;
  reversePackets: number;
  scaledOctets: number;
  scaledPackets: number;
  exporters: FlowReportExporter[];
  /** Records per kind (netflow5, netflow9, ipfix, sflow5, argus, zeek, nfdump). */
  byVersion: Partial<Record<FlowKind, number>>;
}

interface HourRow {
  exporter: string; domain: number; kind: number; records: number; octets: number; packets: number;
  rev_octets: number; rev_packets: number; scaled_octets: number; scaled_packets: number;
}

const sec = (d: Date): number => Math.floor(d.getTime() / 1000);

/** The default window: the 24 hours up to the end of the last hour with flows (or now). */
export async function defaultFlowWindow(events: EventsStore): Promise<TimeWindow> {
  const [r] = await events.query<{ last: number }>('SELECT toUnixTimestamp(max(hour)) AS last, count() AS n FROM flow_exporter_hour');
  const last = Number(r?.last ?? 0);
  const to = last > 0 ? new Date((last + 3600) * 1000) : new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
  return { from: new Date(to.getTime() - 86_400_000), to };
}

export async function flowWindow(events: EventsStore, from?: string, to?: string): Promise<TimeWindow> {
  return parseWindow(from, to, from ? { from: new Date(0), to: new Date(0) } : await defaultFlowWindow(events));
}

const addressOf = (text: string): string => {
  const p = parseIpUnmapped(text);
  return p ? formatIp(p) : text;
};

export async function flowReport(stores: { events: EventsStore; state: Pick<StateStore, 'query'> }, w: TimeWindow): Promise<FlowReport> {
  const rows = await stores.events.query<HourRow>(
    `SELECT toString(exporter) AS exporter, domain, kind, sum(records) AS records, sum(octets) AS octets, sum(packets) AS packets,
            sum(rev_octets) AS rev_octets, sum(rev_packets) AS rev_packets, sum(scaled_octets) AS scaled_octets, sum(scaled_packets) AS scaled_packets
       FROM flow_exporter_hour
      WHERE hour >= toDateTime({from:UInt32}, 'UTC') AND hour < toDateTime({to:UInt32}, 'UTC')
      GROUP BY exporter, domain, kind ORDER BY exporter, domain, kind`,
    { from: sec(w.from), to: sec(w.to) },
  );
  const report: FlowReport = {
    from: w.from.toISOString(), to: w.to.toISOString(), records: 0, octets: 0, packets: 0, reverseOctets: 0, reversePackets: 0,
    scaledOctets: 0, scaledPackets: 0, exporters: [], byVersion: {},
  };
  const exporters = new Map<string, FlowReportExporter>();
  const exporterOf = (address: string, domain: number): FlowReportExporter => {
    const key = `${address}|${domain}`;
    let e = exporters.get(key);
    if (!e) {
      e = { address, domain, protocols: [], datagrams: 0, records: 0, lost: 0, restarts: 0, samplingRates: [], recordsPerSecond: 0, templates: 0, lastSeen: null };
      exporters.set(key, e);
    }
    return e;
  };
  for (const r of rows) {
    const n = Number(r.records);
    report.records += n;
    report.octets += Number(r.octets);
    report.packets += Number(r.packets);
    report.reverseOctets += Number(r.rev_octets);
    report.reversePackets += Number(r.rev_packets);
    report.scaledOctets += Number(r.scaled_octets);
    report.scaledPackets += Number(r.scaled_packets);
    const kind = FLOW_KIND_NAMES[Number(r.kind) - 1];
    if (kind) report.byVersion[kind] = (report.byVersion[kind] ?? 0) + n;
    const e = exporterOf(addressOf(r.exporter), Number(r.domain));
    e.records += n;
    if (kind && !e.protocols.includes(kind)) e.protocols.push(kind);
  }
  // Exporters heard in the window, with their statistics (also those that sent only templates).
  for (const s of await listExporters(stores.state)) {
    const heard = Date.parse(s.lastSeen) >= w.from.getTime() && Date.parse(s.firstSeen) < w.to.getTime();
    const key = `${s.exporter}|${s.domain}`;
    if (!heard && !exporters.has(key)) continue;
    addStatistics(exporterOf(s.exporter, s.domain), s);
  }
  // Kinds in their fixed order (netflow5 first), whatever order the rows came in.
  report.byVersion = Object.fromEntries(FLOW_KIND_NAMES.filter((k) => report.byVersion[k] !== undefined).map((k) => [k, report.byVersion[k]]));
  report.exporters = [...exporters.values()].sort((a, b) => b.records - a.records || a.address.localeCompare(b.address) || a.domain - b.domain);
  return report;
}

function addStatistics(e: FlowReportExporter, s: StoredExporter): void {
  e.datagrams += s.datagrams;
  e.lost += s.lost;
  e.restarts += s.restarts;
  e.recordsPerSecond += s.recordsPerSecond;
  e.templates += s.templates;
  e.samplingRates = [...new Set([...e.samplingRates, ...s.samplingRates])].sort((a, b) => a - b);
  if (!e.protocols.includes(s.protocol)) e.protocols.push(s.protocol);
  if (!e.lastSeen || s.lastSeen > e.lastSeen) e.lastSeen = s.lastSeen;
}
