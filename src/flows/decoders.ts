/**
 * The real decoders wired together (docs/flows.md): one template cache for NetFlow v9 and IPFIX,
 * the sFlow decoder with its sample-loss accounting, dispatch by content (the UDP port says
 * nothing: collectors and captures mix protocols), and the flow-file readers by format. The
 * collector and `ingest flows` take this one object, so what a file and a socket decode is the
 * same code.
 */
import type { DecodeDatagram } from './datagram.js';
import type { FlowFileFormat, FlowFileReader } from './reader.js';
import type { FlowBatch } from './flow-batch.js';
import type { FlowSkipCounters } from './flow-skips.js';
import type { FlowDecoding, MakeFlowDecoding } from './flow-decoding.js';
import { netflowDecoders, TemplateCache, type TemplateCacheOptions, type TemplateCacheSnapshot, type TemplateListing } from './netflow/index.js';
import { createSflowDecoder } from './sflow/sample-loss.js';
import type { SflowInterfaceCounters } from './sflow/sflow-summary.js';
import { recogniseExport } from './files/recognise-export.js';
import { readPcapDatagrams } from './files/pcap-datagrams.js';
import { TEXT_FLOW_READERS } from './files/text-readers.js';
import { FLOW_SKIP } from './flow-skips.js';

export interface WiredFlowDecoding extends FlowDecoding {
  /** Any export datagram, recognised by content. */
  readonly decode: DecodeDatagram;
  readonly readers: Readonly<Record<FlowFileFormat, FlowFileReader>>;
  readonly templates: TemplateCache;
  /** The template cache as plain data, for the state store (a warm restart). */
  snapshot(): TemplateCacheSnapshot;
  /** Held data past its time: decoded if its template came, else counted. */
  expireHeld(batch: FlowBatch, skips: FlowSkipCounters): void;
  templateCount(exporter: string, domain: number): number;
  /** Templates for the console (exporter, domain, id, fields, last seen). */
  listing(): TemplateListing[];
}

export interface FlowDecodingOptions {
  readonly clock?: () => number;
  readonly snapshot?: TemplateCacheSnapshot | null;
  readonly templates?: TemplateCacheOptions;
  readonly onSflowCounters?: (counters: readonly SflowInterfaceCounters[]) => void;
}

export function createFlowDecoding(opts: FlowDecodingOptions = {}): WiredFlowDecoding {
  const clock = opts.clock ?? Date.now;
  const templates = opts.snapshot ? TemplateCache.restore(opts.snapshot, clock, opts.templates) : new TemplateCache(clock, opts.templates);
  const nf = netflowDecoders(templates);
  const sflow = createSflowDecoder(opts.onSflowCounters ? { onCounters: opts.onSflowCounters } : {});
  const byProtocol = { netflow5: nf.netflow5, netflow9: nf.netflow9, ipfix: nf.ipfix, sflow5: sflow } as const;
  const decode: DecodeDatagram = (d, from, out, skips) => {
    const protocol = recogniseExport(d);
    if (protocol === null) {
      skips.add(FLOW_SKIP['not-flow-export']);
      return null;
    }
    return byProtocol[protocol](d, from, out, skips);
  };
  return {
    decode,
    readers: { pcap: readPcapDatagrams, ...TEXT_FLOW_READERS },
    templates,
    snapshot: () => templates.snapshot(),
    expireHeld: (batch, skips) => {
      templates.flushHeld(batch, skips);
    },
    templateCount: (exporter, domain) => templates.listing().filter((t) => t.exporter === exporter && t.domain === domain).length,
    listing: () => templates.listing(),
  };
}

/** A stored snapshot read back defensively: anything that is not the expected shape starts cold. */
function snapshotOf(s: unknown): TemplateCacheSnapshot | null {
  if (typeof s !== 'object' || s === null) return null;
  const o = s as Record<string, unknown>;
  const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
  return { templates: list(o['templates']), samplers: list(o['samplers']), systemInit: list(o['systemInit']) };
}

/** What the collector, `ingest flows` and `serve` use: warm from the stored snapshot when there is one. */
export const makeFlowDecoding: MakeFlowDecoding = (snapshot, now) => createFlowDecoding({ clock: now, snapshot: snapshotOf(snapshot) });
