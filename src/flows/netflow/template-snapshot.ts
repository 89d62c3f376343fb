/**
 * The template cache as plain data, for the state store (a warm restart): templates as the
 * exporter defined them, sampler intervals and boot times, per exporter, version and domain.
 */
import { FlowBatch } from '../flow-batch.js';
import { FlowSkipCounters } from '../flow-skips.js';
import { newTally } from './data-set.js';
import type { TemplateCache } from './template-cache.js';

export interface TemplateSnapshotEntry {
  readonly exporter: string;
  readonly version: number;
  readonly domain: number;
  readonly id: number;
  readonly fields: { id: number; enterprise: number; length: number }[];
  readonly scopeCount: number;
  readonly options: boolean;
  readonly receivedMs: number;
}

export interface SamplerSnapshotEntry {
  readonly exporter: string;
  readonly version: number;
  readonly domain: number;
  /** -1: the interval of the whole domain (an options record naming no sampler). */
  readonly sampler: number;
  readonly interval: number;
  readonly receivedMs: number;
}

export interface TemplateCacheSnapshot {
  readonly templates: TemplateSnapshotEntry[];
  readonly samplers: SamplerSnapshotEntry[];
  readonly systemInit: { exporter: string; version: number; domain: number; ms: number }[];
}

const finite = (...xs: unknown[]): boolean => xs.every((x) => typeof x === 'number' && Number.isFinite(x));

/** Puts a snapshot's entries into a fresh cache, skipping those that are not plain data or could not describe a record. */
export function restoreSnapshot(c: TemplateCache, snapshot: TemplateCacheSnapshot): void {
  // A fresh cache holds no data, so defining a template only installs it.
  const none = new FlowBatch(1);
  const skips = new FlowSkipCounters();
  for (const t of snapshot.templates ?? []) {
    if (typeof t.exporter !== 'string' || !finite(t.version, t.domain, t.id, t.scopeCount, t.receivedMs) || !Array.isArray(t.fields) || t.fields.length === 0
      || !t.fields.every((f) => finite(f.id, f.enterprise, f.length) && f.length > 0)) continue;
    const fields = t.fields.map((f) => ({ id: f.id, enterprise: f.enterprise, length: f.length }));
    c.define(c.state(t.exporter, t.version, t.domain), t.id, fields, t.scopeCount, t.options === true, t.receivedMs, none, skips, newTally());
  }
  for (const e of snapshot.samplers ?? []) {
    if (typeof e.exporter !== 'string' || !finite(e.version, e.domain, e.sampler, e.interval, e.receivedMs) || e.interval < 1) continue;
    c.state(e.exporter, e.version, e.domain).samplers.set(e.sampler, { interval: e.interval, receivedMs: e.receivedMs });
  }
  for (const e of snapshot.systemInit ?? []) {
    if (typeof e.exporter === 'string' && finite(e.version, e.domain, e.ms)) c.state(e.exporter, e.version, e.domain).systemInitMs = e.ms;
  }
}
