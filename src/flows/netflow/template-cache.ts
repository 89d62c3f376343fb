/**
 * The NetFlow v9 / IPFIX template cache, keyed by exporter address, export version, observation
 * domain (v9 source id) and template id — never by UDP port, since exporters change source ports
 * (docs/flows.md). Its clock is injected. Templates expire when not refreshed for
 * `templateTimeoutMs`; IPFIX withdrawals remove them at once. Data for a template not seen yet is
 * held (bounded per exporter) and decoded when the template arrives, or counted
 * `data-without-template` when the hold runs out. A template id that had a definition before
 * (expired or withdrawn) and comes back different is a redefinition: it applies only to data
 * that arrives after it, so data held meanwhile is counted, never decoded with the new layout.
 *
 * `snapshot()` is plain JSON-serialisable data (templates, sampler intervals, boot times) and
 * `TemplateCache.restore` makes a restarted collector warm (template-snapshot.ts).
 */
import { parseIp, ipBytes } from '../../net/ip.js';
import type { FlowBatch } from '../flow-batch.js';
import { FLOW_SKIP, type FlowSkipCounters } from '../flow-skips.js';
import { compilePlan, type TemplateField } from './template-plan.js';
import { DomainState, type Template, type TimeBase } from './domain-state.js';
import { decodeFlowRecords, decodeOptionsRecords, type SetTally } from './data-set.js';
import { HeldSets, type HeldSet } from './held-sets.js';
import { restoreSnapshot, type SamplerSnapshotEntry, type TemplateCacheSnapshot, type TemplateSnapshotEntry } from './template-snapshot.js';

export type { SamplerSnapshotEntry, TemplateCacheSnapshot, TemplateSnapshotEntry } from './template-snapshot.js';

export interface TemplateCacheOptions {
  /** A template not refreshed for this long is dropped (default 30 min, as for v9 over UDP). */
  readonly templateTimeoutMs?: number;
  /** How long data waits for its template (default 10 s). */
  readonly holdMs?: number;
  /** Data sets held per exporter at most (default 256); the oldest give way. */
  readonly maxHeldSets?: number;
  /** Bytes held per exporter at most (default 1 MiB). */
  readonly maxHeldBytes?: number;
}

const DEFAULTS = { templateTimeoutMs: 30 * 60_000, holdMs: 10_000, maxHeldSets: 256, maxHeldBytes: 1 << 20 } satisfies Required<TemplateCacheOptions>;

/** Domains kept at most before those without templates or samplers are let go (a flood of forged ids). */
const MAX_DOMAINS = 65_536;

/** One template as the console lists it. */
export interface TemplateListing {
  readonly exporter: string;
  readonly version: number;
  readonly domain: number;
  readonly templateId: number;
  readonly fieldCount: number;
  readonly lastSeenMs: number;
  readonly kind: 'data' | 'options';
}

function signatureOf(fields: readonly TemplateField[], scopeCount: number, options: boolean): string {
  let s = `${options ? 'o' : 'd'}${scopeCount}`;
  for (const f of fields) s += `,${f.id}.${f.enterprise}.${f.length}`;
  return s;
}

function exporterBytes(text: string): Uint8Array {
  return parseIp(text) === null ? new Uint8Array(16) : ipBytes(text);
}

export class TemplateCache {
  readonly options: Required<TemplateCacheOptions>;
  private readonly domains = new Map<string, Map<number, DomainState>>();
  private domainCount = 0;
  private readonly held: HeldSets;
  private readonly unknownFields = new Map<string, number>();

  constructor(readonly clock: () => number = Date.now, opts: TemplateCacheOptions = {}) {
    this.options = { ...DEFAULTS, ...opts };
    this.held = new HeldSets(this.options.maxHeldSets, this.options.maxHeldBytes);
  }

  now(): number {
    return this.clock();
  }

  /** The state of one (exporter, version, domain), created on first use. */
  state(exporter: string, version: number, domain: number): DomainState {
    // Two levels with a numeric inner key: no string is built per datagram.
    let byDomain = this.domains.get(exporter);
    if (byDomain === undefined) {
      byDomain = new Map();
      this.domains.set(exporter, byDomain);
    }
    const key = version * 4294967296 + domain;
    let s = byDomain.get(key);
    if (s === undefined) {
      if (this.domainCount >= MAX_DOMAINS) this.dropEmptyDomains();
      s = new DomainState(exporter, version, domain, exporterBytes(exporter));
      byDomain.set(key, s);
      this.domainCount++;
    }
    return s;
  }

  private *allDomains(): Generator<DomainState> {
    for (const byDomain of this.domains.values()) yield* byDomain.values();
  }

  private dropEmptyDomains(): void {
    for (const byDomain of this.domains.values()) {
      for (const [key, s] of byDomain) {
        if (s.templates.size === 0 && s.samplers.size === 0) {
          byDomain.delete(key);
          this.domainCount--;
        }
      }
    }
  }

  /** The live template `id` of a domain; an expired one is retired on the way. */
  lookup(state: DomainState, id: number, nowMs: number): Template | undefined {
    const t = state.templates.get(id);
    if (t === undefined) return undefined;
    if (nowMs - t.receivedMs > this.options.templateTimeoutMs) {
      state.templates.delete(id);
      state.retired.set(id, t.signature);
      return undefined;
    }
    return t;
  }

  /**
   * Adds or refreshes a template, then decodes the data held for it (into `out`, counted in
   * `tally`); returns the flow records decoded from held data.
   */
  define(state: DomainState, id: number, fields: readonly TemplateField[], scopeCount: number, options: boolean, nowMs: number,
    out: FlowBatch, skips: FlowSkipCounters, tally: SetTally): number {
    const signature = signatureOf(fields, scopeCount, options);
    const old = state.templates.get(id);
    if (old !== undefined && old.signature === signature) {
      old.receivedMs = nowMs;
    } else {
      const plan = compilePlan(fields, { options, skipScope: state.version === 9 ? scopeCount : 0 });
      if (plan.unknownEnterprise > 0) this.unknownFields.set(state.exporter, (this.unknownFields.get(state.exporter) ?? 0) + plan.unknownEnterprise);
      state.templates.set(id, { id, fields: fields.map((f) => ({ id: f.id, enterprise: f.enterprise, length: f.length })), scopeCount, options, receivedMs: nowMs, signature, plan });
    }
    state.retired.delete(id);
    return this.release(state, id, signature, nowMs, out, skips, tally);
  }

  /** IPFIX withdrawal of one template. */
  withdraw(state: DomainState, id: number): void {
    const t = state.templates.get(id);
    if (t === undefined) return;
    state.templates.delete(id);
    state.retired.set(id, t.signature);
  }

  /** IPFIX withdrawal of all data templates (set 2) or all options templates (set 3) of a domain. */
  withdrawAll(state: DomainState, options: boolean): void {
    for (const t of [...state.templates.values()]) if (t.options === options) this.withdraw(state, t.id);
  }

  /** Keeps a copy of a data set whose template is unknown. */
  hold(state: DomainState, id: number, d: Uint8Array, start: number, end: number, time: TimeBase, nowMs: number, skips: FlowSkipCounters, tally: SetTally): void {
    this.held.add({ state, id, body: d.slice(start, end), time, heldMs: nowMs, prior: state.retired.get(id), origin: tally }, skips);
  }

  /** Data sets held now, over all exporters. */
  get heldSets(): number {
    return this.held.count;
  }

  private decodeHeld(h: HeldSet, t: Template, nowMs: number, out: FlowBatch, skips: FlowSkipCounters, rates: number[]): number {
    if (t.options) {
      decodeOptionsRecords(h.body, 0, h.body.length, t, h.state, nowMs, out, skips);
      return 0;
    }
    return decodeFlowRecords(h.body, 0, h.body.length, t, h.state, h.time, out, skips, rates);
  }

  /** Decodes (or, under a redefined template, counts) the data held for template `id` of `state`. */
  private release(state: DomainState, id: number, signature: string, nowMs: number, out: FlowBatch, skips: FlowSkipCounters, tally: SetTally): number {
    const t = state.templates.get(id);
    if (t === undefined) return 0;
    let records = 0;
    for (const h of this.held.take(state.exporter, (x) => x.state === state && x.id === id)) {
      if (h.origin === tally) tally.held--;
      if (h.prior !== undefined && h.prior !== signature) skips.add(FLOW_SKIP['data-without-template']);
      else records += this.decodeHeld(h, t, nowMs, out, skips, tally.rates);
    }
    return records;
  }

  /**
   * Expires held data: sets held longer than `holdMs` (or all, with `all`, at the end of an input)
   * are counted `data-without-template`, except those whose template is now known, which are
   * decoded into `batch`. Returns the flow records decoded.
   */
  flushHeld(batch: FlowBatch, skips: FlowSkipCounters, opts: { all?: boolean } = {}): number {
    const nowMs = this.now();
    const usable = (h: HeldSet): Template | undefined => {
      const t = this.lookup(h.state, h.id, nowMs);
      return t !== undefined && (h.prior === undefined || h.prior === t.signature) ? t : undefined;
    };
    const due = this.held.take(null, (h) => usable(h) !== undefined || opts.all === true || nowMs - h.heldMs >= this.options.holdMs);
    const rates: number[] = [];
    let records = 0;
    for (const h of due) {
      const t = usable(h);
      if (t !== undefined) records += this.decodeHeld(h, t, nowMs, batch, skips, rates);
      else skips.add(FLOW_SKIP['data-without-template']);
    }
    return records;
  }

  /** Drops templates not refreshed within the timeout; returns how many. */
  expire(): number {
    const nowMs = this.now();
    let n = 0;
    for (const s of this.allDomains()) {
      for (const id of [...s.templates.keys()]) if (this.lookup(s, id, nowMs) === undefined) n++;
    }
    return n;
  }

  /** Fields of private enterprises we do not read, seen in this exporter's templates (not errors). */
  unknownEnterpriseFields(exporter: string): number {
    return this.unknownFields.get(exporter) ?? 0;
  }

  /** The live templates, for the console. */
  listing(): TemplateListing[] {
    const out: TemplateListing[] = [];
    for (const s of this.allDomains()) {
      for (const t of s.templates.values()) {
        out.push({ exporter: s.exporter, version: s.version, domain: s.domain, templateId: t.id, fieldCount: t.fields.length, lastSeenMs: t.receivedMs, kind: t.options ? 'options' : 'data' });
      }
    }
    return out;
  }

  snapshot(): TemplateCacheSnapshot {
    const templates: TemplateSnapshotEntry[] = [];
    const samplers: SamplerSnapshotEntry[] = [];
    const systemInit: TemplateCacheSnapshot['systemInit'] = [];
    for (const s of this.allDomains()) {
      const where = { exporter: s.exporter, version: s.version, domain: s.domain };
      for (const t of s.templates.values()) {
        templates.push({ ...where, id: t.id, fields: t.fields.map((f) => ({ id: f.id, enterprise: f.enterprise, length: f.length })), scopeCount: t.scopeCount, options: t.options, receivedMs: t.receivedMs });
      }
      for (const [sampler, e] of s.samplers) samplers.push({ ...where, sampler, interval: e.interval, receivedMs: e.receivedMs });
      if (s.systemInitMs >= 0) systemInit.push({ ...where, ms: s.systemInitMs });
    }
    return { templates, samplers, systemInit };
  }

  /** A cache holding a snapshot's templates, samplers and boot times (entries that are not plain numbers are skipped). */
  static restore(snapshot: TemplateCacheSnapshot, clock: () => number = Date.now, opts: TemplateCacheOptions = {}): TemplateCache {
    const c = new TemplateCache(clock, opts);
    restoreSnapshot(c, snapshot);
    return c;
  }
}
