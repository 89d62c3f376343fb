/** Liveness for anyone; version and stores for a principal. */
import { z } from 'zod';
import { defineRoute } from './define.js';

export const Status = z.object({
  ok: z.literal(true),
  version: z.string().optional(),
  events: z.string().optional().describe('events store in use (chdb, clickhouse)'),
  state: z.string().optional().describe('state store in use (pglite, postgres)'),
  sensor: z.string().optional(),
  enrichment: z.boolean().optional().describe('whether ASN and country tables are imported'),
});

export const STATUS = {
  status: defineRoute({
    method: 'GET', url: '/status', errors: [], public: true,
    schema: { tags: ['status'], summary: 'Liveness (public); version and stores in use when signed in', response: { 200: Status } },
  }),
};

export type Status = z.output<typeof Status>;
