/**
 * Background merges paused while an embedded store takes in bulk data (captures, imports). On
 * two cores the merges of the previous batches' parts competed with the ingest for the CPU and
 * took a third of its time (20M packets stored in 26.2 s with merges, 17.5 s without); afterwards
 * they catch up in the background. A partition that reaches `maxParts` active parts turns them
 * back on for the rest of the ingest (ClickHouse slows inserts down from 1,000 parts a
 * partition). Only for chDB: a ClickHouse server's merges serve every other client too. Nothing
 * of it is persisted, so a process killed in the middle leaves nothing paused.
 */
import type { EventsStore } from '../types.js';

export class MergePause {
  private paused = false;
  private batches = 0;

  constructor(private readonly events: EventsStore, private readonly maxParts = 300, private readonly checkEvery = 16) {}

  async begin(): Promise<void> {
    if (this.events.kind !== 'chdb') return;
    await this.events.exec('SYSTEM STOP MERGES');
    this.paused = true;
  }

  /** After each stored batch: every few batches, resumes merges if a partition has too many parts. */
  async afterBatch(): Promise<void> {
    if (!this.paused || ++this.batches % this.checkEvery !== 0) return;
    const [r] = await this.events.query<{ n: number }>(
      'SELECT max(n) AS n FROM (SELECT count() AS n FROM system.parts WHERE active AND database = currentDatabase() GROUP BY table, partition)',
    );
    if (Number(r?.n ?? 0) >= this.maxParts) await this.end();
  }

  async end(): Promise<void> {
    if (!this.paused) return;
    this.paused = false;
    await this.events.exec('SYSTEM START MERGES');
  }
}
