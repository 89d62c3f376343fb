/**
 * Our own honeypot sensor's delivery (issue 18): `sakimori honeypot run` beside a running server
 * posts its journal chunks here. The store records the journal byte ranges it holds, so a range
 * posted again stores nothing; a shipper whose state file was lost asks which ranges it holds. The data directory's owner (through the server's socket) and
 * platform admins only.
 */
import { z } from 'zod';
import { defineRoute } from './define.js';

const text = (max: number) => z.string().max(max);
const port = z.number().int().min(0).max(65535);

/** One event as the sensor journals it (src/schema/honeypot-event.ts; kinds and addresses are checked by the route). */
export const SensorEventRow = z.object({
  stored_at: text(40).optional(),
  ts: text(40),
  honeypot: z.literal('sakimori'),
  sensor: text(100).optional(),
  session: text(100).optional(),
  kind: text(40),
  proto: text(20).optional(),
  src: text(64),
  src_port: port.optional(),
  dst: text(64).optional(),
  dst_port: port.optional(),
  src_asn: z.number().int().min(0).optional(),
  src_country: text(2).optional(),
  username: text(1024).optional(),
  password: text(1024).optional(),
  success: z.number().int().min(-1).max(1).optional(),
  input: text(65_536).optional(),
  url: text(8192).optional(),
  url_host: text(1024).optional(),
  sha256: text(64).optional(),
  size: z.number().int().min(0).optional(),
  target: text(1024).optional(),
  client: text(2048).optional(),
  fingerprint: text(1024).optional(),
  duration: z.number().min(0).optional(),
  detail: text(65_536).optional(),
}).strict();

export const SensorChunkBody = z.object({
  journal: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/).describe('the journal file\'s name: unique per sensor process and file (start time, pid, a random part)'),
  from: z.number().int().min(0).describe('first byte of the chunk in the journal'),
  to: z.number().int().min(1).describe('the byte after the chunk'),
  events: z.array(SensorEventRow).min(1).max(20_000),
});

export const SensorChunkAnswer = z.object({
  stored: z.number().describe('events handed to the store now (0 for a range it already held)'),
  repeated: z.boolean().describe('the store already held this byte range of the journal: nothing was stored'),
});

const JournalName = z.string().regex(/^[A-Za-z0-9._-]{1,200}$/);

export const SensorJournalRanges = z.object({
  journal: JournalName,
  ranges: z.array(z.object({
    from: z.number().int().min(0),
    to: z.number().int().min(1),
    committed: z.boolean().describe('false: begun by a delivery that did not finish; only the same range sent again may cover it'),
  })).describe('in order; adjacent stored ranges are merged'),
});

export const HONEYPOT_SENSOR = {
  events: defineRoute({
    method: 'POST', url: '/honeypot/events', errors: ['FORBIDDEN'],
    schema: {
      tags: ['honeypot'], summary: 'Store a chunk of our own honeypot sensor\'s journal, exactly once per journal byte range (the data directory\'s owner and platform admins only)',
      body: SensorChunkBody,
      response: { 200: SensorChunkAnswer },
    },
  }),
  ranges: defineRoute({
    method: 'GET', url: '/honeypot/journals/:journal/ranges', errors: ['FORBIDDEN'],
    schema: {
      tags: ['honeypot'], summary: 'The byte ranges of one sensor journal the store holds: what a shipper whose state file was lost or corrupt rebuilds it from (the data directory\'s owner and platform admins only)',
      params: z.object({ journal: JournalName.describe('the journal file\'s name') }),
      response: { 200: SensorJournalRanges },
    },
  }),
};
