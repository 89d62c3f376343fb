/**
 * Stores one journal chunk: the one function behind both deliveries (the sensor's own stores,
 * and the server's `POST /honeypot/events`). The state store records the journal byte ranges it
 * holds (journal-ranges.ts), so a range delivered again — a shipper killed before it noted the
 * delivery, or one whose state file was lost or corrupt — stores nothing; the insert's token
 * names the journal and range, so a range begun by a killed delivery and sent again is kept once.
 */
import type { EventsStore, StateStore } from '../../store/types.js';
import type { IpEnricher } from '../../enrich/enricher.js';
import type { HoneypotEventRow } from '../../schema/honeypot-event.js';
import { SakimoriError } from '../../errors.js';
import { writeHoneypotEvents } from '../store/write-events.js';
import { claimRange, commitRange, storedRanges } from './journal-ranges.js';
import type { ShipTarget } from './journal-shipper.js';

export interface SensorChunk {
  /** The journal file's name (not its path): unique per sensor process and file. */
  readonly journal: string;
  readonly from: number;
  readonly to: number;
  readonly events: HoneypotEventRow[];
}

export interface ChunkStored {
  /** Events handed to the store now. */
  readonly stored: number;
  /** The store already held the range: nothing was stored. */
  readonly repeated: boolean;
}

const JOURNAL_NAME = /^[A-Za-z0-9._-]{1,200}$/;

export function chunkToken(c: Pick<SensorChunk, 'journal' | 'from' | 'to'>): string {
  return `sakimori-sensor:${c.journal}:${c.from}-${c.to}`;
}

export async function storeSensorChunk(store: { events: EventsStore; state: StateStore; enricher?: IpEnricher }, chunk: SensorChunk): Promise<ChunkStored> {
  if (!JOURNAL_NAME.test(chunk.journal)) throw new SakimoriError('BAD_REQUEST', 'journal: a file name of letters, digits, . _ -', { field: 'journal' });
  if (!(chunk.to > chunk.from)) throw new SakimoriError('BAD_REQUEST', 'to must be after from', { field: 'to' });
  if (chunk.events.length === 0) return { stored: 0, repeated: false };
  const claim = await claimRange(store.state, { journal: chunk.journal, from: chunk.from, to: chunk.to, events: chunk.events.length }, Date.now());
  if (claim.held) return { stored: 0, repeated: true };
  const stored = await writeHoneypotEvents(store.events, chunk.events, {
    token: chunkToken(chunk), storedAtMs: claim.storedAtMs, ...(store.enricher ? { enricher: store.enricher } : {}),
  });
  await commitRange(store.state, chunk);
  return { stored, repeated: false };
}

/** The stores as a shipper's target (a sensor or `honeypot ship` with no server to go through). */
export function storesTarget(store: { events: EventsStore; state: StateStore; enricher?: IpEnricher }): ShipTarget {
  return {
    deliver: async (c) => { await storeSensorChunk(store, c); },
    stored: (journal) => storedRanges(store.state, journal),
  };
}
