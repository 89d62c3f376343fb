/**
 * Reasons a datagram, record or line is not stored, counted per reason without allocating on
 * the hot path (as decode/skip-reasons.ts does for packets). Every reader reports these.
 * Append new reasons at the end; the names are shown to users and in `--json`.
 */
export const FLOW_SKIP_REASONS = [
  'datagram-truncated',
  'unknown-version',
  'not-flow-export',
  'netflow5-bad-count',
  'set-length-invalid',
  'template-invalid',
  'template-zero-fields',
  'template-too-large',
  'options-template-invalid',
  'data-without-template',
  'record-truncated',
  'sampling-rate-zero',
  'flow-from-future',
  'sflow-bad-address-type',
  'sflow-sample-truncated',
  'sflow-record-truncated',
  'sflow-header-undecodable',
  'line-malformed',
  'field-invalid',
  'sflow-sample-without-packet',
] as const;

export type FlowSkipReason = (typeof FLOW_SKIP_REASONS)[number];

export const FLOW_SKIP = Object.fromEntries(FLOW_SKIP_REASONS.map((r, i) => [r, i])) as { readonly [K in FlowSkipReason]: number };

export class FlowSkipCounters {
  readonly counts = new Float64Array(FLOW_SKIP_REASONS.length);

  add(reason: number, n = 1): void {
    this.counts[reason] = (this.counts[reason] ?? 0) + n;
  }

  get total(): number {
    let t = 0;
    for (const n of this.counts) t += n;
    return t;
  }

  toRecord(): Record<string, number> {
    const out: Record<string, number> = {};
    FLOW_SKIP_REASONS.forEach((r, i) => {
      const n = this.counts[i] ?? 0;
      if (n > 0) out[r] = n;
    });
    return out;
  }
}
