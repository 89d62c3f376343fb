/**
 * The darknet's sources of a window, one row per source with what an indicator is made of: its
 * class (the one with most packets), the tool tags it carries (decided over the window's days as
 * the reports decide them, classify/tag-evidence.ts) with their evidence, first and last packet,
 * packets and days seen, and two facts that keep it from being published: backscatter (it is a
 * DoS victim) and a weak-credential or compromised device of the survey (a victim, told through
 * cases only).
 */
import type { EventsStore } from '../../store/types.js';
import type { Fingerprint } from '../../classify/fingerprints.js';
import { carriesTag, tagPosterior } from '../../classify/tag-evidence.js';
import { CLASS_NAMES } from '../../classify/packet-class.js';
import { chTime, ipText } from '../../store/events/sql-helpers.js';
import type { TimeWindow } from '../../analyze/time-window.js';

export interface SourceTag { readonly tag: string; readonly confidence: number }

export interface ScannerSource {
  readonly ip: string;
  readonly cls: string;
  readonly tags: readonly SourceTag[];
  readonly firstSeen: Date;
  readonly lastSeen: Date;
  readonly packets: number;
  readonly days: number;
  readonly backscatterPackets: number;
  /** Seen by the survey with a default credential accepted, no authentication, or tagged compromised. */
  readonly surveyVictim: boolean;
}

interface Row {
  ip: string; p: number; b: number; k: number; f: string; l: string; d: number; v: number;
  [hn: string]: number | string;
}

const DAY_WHERE = 'day >= toDate({from:DateTime64(6)}) AND day <= toDate({to:DateTime64(6)} - INTERVAL 1 MICROSECOND)';

function sourcesSql(fingerprints: readonly Fingerprint[]): string {
  // Plain sums per bit (a sumMap per source costs far more); rows written before migration 008
  // have no inapplicable counts, so all their packets count as applicable, as in the reports.
  const bits = fingerprints.map((f) => `sum(arrayElement(tag_hits.2, indexOf(tag_hits.1, ${f.bit}))) AS h${f.bit},
      p - sum(arrayElement(tag_inapplicable.2, indexOf(tag_inapplicable.1, ${f.bit}))) AS n${f.bit},`).join(' ');
  return `SELECT ${ipText('src')} AS ip, sum(packets) AS p, sum(pkts_scan) AS s, sum(pkts_backscatter) AS b, sum(pkts_other) AS o,
            ${bits}
            multiIf(s >= b AND s >= o, 1, b >= o, 2, 0) AS k,
            formatDateTime(min(first_seen), '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC') AS f,
            formatDateTime(max(last_seen), '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC') AS l,
            uniqExact(day) AS d,
            src IN (SELECT ip FROM services_current FINAL WHERE weak_credential = 1 OR no_auth = 1 OR has(tags, 'compromised')) AS v
          FROM darknet_source_day WHERE ${DAY_WHERE}
          GROUP BY src ORDER BY src`;
}

/** Every source of the window's whole UTC days. */
export async function scannerSources(events: EventsStore, fingerprints: readonly Fingerprint[], w: TimeWindow): Promise<ScannerSource[]> {
  const rows = await events.query<Row>(sourcesSql(fingerprints), { from: chTime(w.from), to: chTime(w.to) });
  return rows.map((r) => toSource(r, fingerprints));
}

function toSource(r: Row, fingerprints: readonly Fingerprint[]): ScannerSource {
  const tags: SourceTag[] = [];
  for (const f of fingerprints) {
    const h = Number(r[`h${f.bit}`] ?? 0);
    const n = Number(r[`n${f.bit}`] ?? 0);
    if (carriesTag(f.minShare, h, n)) tags.push({ tag: f.name, confidence: tagPosterior(n, h, f.falseMatchChance, f.prior) });
  }
  return {
    ip: r.ip,
    cls: CLASS_NAMES[Number(r.k)] ?? 'other',
    tags,
    firstSeen: new Date(r.f.replace(/(\.\d{3})\d*Z$/, '$1Z')),
    lastSeen: new Date(r.l.replace(/(\.\d{3})\d*Z$/, '$1Z')),
    packets: Number(r.p),
    days: Number(r.d),
    backscatterPackets: Number(r.b),
    surveyVictim: Number(r.v) === 1,
  };
}
