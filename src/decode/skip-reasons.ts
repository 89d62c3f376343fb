/**
 * Reasons a frame is not stored, counted per reason without allocating per packet: the hot
 * path increments a slot of a typed array; the summary turns it into a record.
 */
export const SKIP_REASONS = [
  'non-ip',
  'unsupported-linktype',
  'link-truncated',
  'ip-truncated',
  'ip-bad-version',
  'ipv4-truncated',
  'ipv4-bad-ihl',
  'ipv4-bad-total-length',
  'ipv6-truncated',
  'ipv6-ext-truncated',
  'ipv6-too-many-ext-headers',
  'tcp-truncated',
  'tcp-bad-offset',
  'udp-truncated',
  'icmp-truncated',
  'pcapng-bad-packet-block',
  'unknown-interface',
] as const;

export type SkipReason = (typeof SKIP_REASONS)[number];

export const SKIP = Object.fromEntries(SKIP_REASONS.map((r, i) => [r, i])) as { readonly [K in SkipReason]: number };

export class SkipCounters {
  readonly counts = new Float64Array(SKIP_REASONS.length);

  add(reason: number): void {
    this.counts[reason] = (this.counts[reason] ?? 0) + 1;
  }

  toRecord(): Record<string, number> {
    const out: Record<string, number> = {};
    SKIP_REASONS.forEach((r, i) => {
      const n = this.counts[i] ?? 0;
      if (n > 0) out[r] = n;
    });
    return out;
  }
}
