/**
 * What the template cache keeps per exporter address, export version and observation domain (v9
 * source id): its templates, the last definition of each template id that expired or was
 * withdrawn, the sampling interval of each sampler and the system's boot time (from options data).
 */
import type { RecordPlan, TemplateField } from './template-plan.js';

export interface Template {
  readonly id: number;
  readonly fields: readonly TemplateField[];
  readonly scopeCount: number;
  readonly options: boolean;
  /** When the exporter last sent this definition (cache clock). */
  receivedMs: number;
  /** The definition as text, to tell a refresh from a redefinition. */
  readonly signature: string;
  readonly plan: RecordPlan;
}

export interface SamplerEntry {
  interval: number;
  receivedMs: number;
}

/** The sampler key of an options record that names no sampler: the rate of the whole domain. */
export const DOMAIN_SAMPLER = -1;

/** How a datagram's relative times become absolute: its export time and (v9) the exporter's uptime then. */
export interface TimeBase {
  readonly exportMs: number;
  /** NetFlow v9 header sysUptime (ms); -1 for IPFIX, whose uptimes count from IE 160. */
  readonly sysUptimeMs: number;
}

export class DomainState {
  readonly templates = new Map<number, Template>();
  /** Signature of the last definition of a template id that expired or was withdrawn. */
  readonly retired = new Map<number, string>();
  readonly samplers = new Map<number, SamplerEntry>();
  /** IE 160 systemInitTimeMilliseconds from options data; -1 until seen. */
  systemInitMs = -1;

  constructor(
    readonly exporter: string,
    readonly version: number,
    readonly domain: number,
    /** The exporter address as 16 bytes (IPv4-mapped), copied into each record. */
    readonly exporter16: Uint8Array,
  ) {}
}
