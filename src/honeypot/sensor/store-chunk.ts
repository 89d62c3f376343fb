/**
 * Stores one journal chunk: the one function behind both deliveries (the sensor's own stores,
 * and the server's `POST /honeypot/events`). The insert's token names the journal file and its
 * byte range, so a chunk delivered again (a shipper killed before it noted the delivery) is
 * stored once.
 */
import type { EventsStore } from '../../store/types.js';
import type { IpEnricher } from '../../enrich/enricher.js';
import type { HoneypotEventRow } from '../../schema/honeypot-event.js';
import { SakimoriError } from '../../errors.js';
import { writeHoneypotEvents } from '../store/write-events.js';

export interface SensorChunk {
  /** The journal file's name (not its path): unique per sensor process and file. */
  readonly journal: string;
  readonly from: number;
  readonly to: number;
  readonly events: HoneypotEventRow[];
}

export interface ChunkStored { readonly stored: number }

const JOURNAL_NAME = /^[A-Za-z0-9._-]{1,200}$/;

export function chunkToken(c: Pick<SensorChunk, 'journal' | 'from' | 'to'>): string {
  return `sakimori-sensor:${c.journal}:${c.from}-${c.to}`;
}

export async function storeSensorChunk(store: { events: EventsStore; enricher?: IpEnricher }, chunk: SensorChunk): Promise<ChunkStored> {
  if (!JOURNAL_NAME.test(chunk.journal)) throw new SakimoriError('BAD_REQUEST', 'journal: a file name of letters, digits, . _ -', { field: 'journal' });
  if (!(chunk.to > chunk.from)) throw new SakimoriError('BAD_REQUEST', 'to must be after from', { field: 'to' });
  const stored = await writeHoneypotEvents(store.events, chunk.events, { token: chunkToken(chunk), ...(store.enricher ? { enricher: store.enricher } : {}) });
  return { stored };
}
