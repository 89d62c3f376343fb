/**
 * What a honeypot reader did not store (`skipped`, by reason) and what it stored but found odd
 * (`anomalies`: sessions without a close, clocks that jump), each with the line where the reason
 * was first seen, so a user can look at one example. Reason names are shown to users and in
 * `--json`; see docs/honeypot.md ("Ingest").
 */
export class ReadCounts {
  readonly skipped: Record<string, number> = {};
  readonly anomalies: Record<string, number> = {};
  /** Reason (skip or anomaly) → the first line (or row, for SQLite) it was seen on, 1-based. */
  readonly firstLine: Record<string, number> = {};

  skip(reason: string, line: number, n = 1): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + n;
    if (this.firstLine[reason] === undefined) this.firstLine[reason] = line;
  }

  anomaly(reason: string, line: number, n = 1): void {
    this.anomalies[reason] = (this.anomalies[reason] ?? 0) + n;
    if (this.firstLine[reason] === undefined) this.firstLine[reason] = line;
  }
}
