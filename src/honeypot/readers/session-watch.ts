/**
 * Time stamps and sessions as a reader sees them: a time stamp that cannot be read, or that
 * ClickHouse cannot hold, is skipped; one far in the future or the past, or going backwards
 * within a session by more than a minute, is stored and counted as an anomaly (a honeypot whose
 * clock jumped); a session that connected and never closed is counted at the end of the input.
 */
import type { ReadCounts } from './read-counts.js';
import { isoMicrosFast } from '../../util/iso-time.js';

/** Backwards within a session by more than this is a clock jump, not reordering of log lines. */
const BACKWARDS_MS = 60_000;
/** Earliest plausible honeypot log time: before this the clock was not set. */
const PAST_MS = Date.UTC(2000, 0, 1);
/** Later than now by more than a day: the clock is ahead. */
const FUTURE_SLACK_MS = 86_400_000;
/** The range of ts (DateTime64(6)) with a margin; outside it the row cannot be stored. */
const MIN_MS = Date.UTC(1970, 0, 1);
const MAX_MS = Date.UTC(2200, 0, 1);

const ZONE = /(?:Z|[+-]\d\d:?\d\d)$/i;

/**
 * Milliseconds of an ISO 8601 time stamp; one without a zone is UTC (Dionaea and Conpot write
 * Python's naive `utcnow().isoformat()`). NaN when it is not one.
 */
export function isoMs(ts: string): number {
  const fast = isoMicrosFast(ts);
  if (fast === fast) return Math.floor(fast / 1000);
  if (ts.length < 10 || ts.length > 40) return NaN;
  const ms = Date.parse(ZONE.test(ts) || ts.length === 10 ? ts : `${ts}Z`);
  return ms;
}

/** The text to store for a zone-less time stamp: marked UTC, so nothing reads it as local time. */
export function utcText(ts: string): string {
  return ZONE.test(ts) ? ts : `${ts}Z`;
}

export class SessionWatch {
  private readonly open = new Map<string, { last: number; line: number }>();
  private readonly now: number;

  constructor(private readonly counts: ReadCounts, nowMs: number = Date.now()) {
    this.now = nowMs;
  }

  /**
   * Checks a time stamp: false (and counted as skipped) when it cannot be stored; anomalies
   * counted for a clock far off. `session` '' means no session to follow.
   */
  time(ms: number, session: string, line: number): boolean {
    if (!(ms >= MIN_MS && ms < MAX_MS)) {
      this.counts.skip(Number.isNaN(ms) ? 'timestamp-invalid' : 'timestamp-out-of-range', line);
      return false;
    }
    if (ms > this.now + FUTURE_SLACK_MS) this.counts.anomaly('clock-future', line);
    else if (ms < PAST_MS) this.counts.anomaly('clock-past', line);
    if (session !== '') {
      const s = this.open.get(session);
      if (s) {
        if (ms < s.last - BACKWARDS_MS) this.counts.anomaly('clock-backwards', line);
        if (ms > s.last) s.last = ms;
      }
    }
    return true;
  }

  connect(session: string, ms: number, line: number): void {
    if (session !== '') this.open.set(session, { last: ms, line });
  }

  close(session: string): void {
    this.open.delete(session);
  }

  /** End of input: every session still open had no close. */
  end(): void {
    let first = Infinity;
    for (const s of this.open.values()) if (s.line < first) first = s.line;
    if (this.open.size > 0) this.counts.anomaly('session-without-close', first, this.open.size);
    this.open.clear();
  }
}
