/**
 * What the survey does to what its probes recorded, done to what an import read, so that a banner
 * from Masscan, ZGrab2 or nmap is known by product, version and CVEs as a survey's would be: the
 * service named from the banner when the scanner named none (the survey's first-bytes classifier),
 * then the same post-processing — fingerprint rules (vendor, product, version, CPE, tags) and the
 * CVE matcher of the imported feeds (services/post-process.ts).
 */
import type { ServicePostProcessing } from '../services/post-process.js';
import { identifyRecordedBanner } from '../probe/identify/recorded-banner.js';
import { CORE_FIELDS, type RowBatch } from './collector.js';

/** Identifies a batch's findings in place; returns the batch (marked rich when a port-only row gained a field). */
export function identifyBatch(batch: RowBatch, post: ServicePostProcessing): RowBatch {
  // Port-only rows (ZMap, Masscan status records) hold nothing a rule reads but their service,
  // which they rarely have: a rule set that never reads it leaves them as they are.
  if (!batch.rich && !post.rules.fields.has('service')) return batch;
  for (const f of batch.findings) {
    identifyRecordedBanner(f);
    for (const p of post.processors) p(f);
  }
  if (!batch.rich) batch.rich = batch.findings.some((f) => Object.keys(f).some((k) => !CORE_FIELDS.has(k)));
  return batch;
}
