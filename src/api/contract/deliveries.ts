/** Deliveries of the case digests: where each went, its state, attempts, next try and last error. */
import { z } from 'zod';
import { defineRoute } from './define.js';
import { IsoTime, queryInt } from './common.js';

// The same states as notify/list-deliveries.ts (the handler's type checks that they agree).
const STATES = ['pending', 'sending', 'retrying', 'sent', 'failed'] as const;

export const DeliveryRow = z.object({
  id: z.number(),
  round: z.number().describe('the notification round that made it'),
  recipient: z.string().describe('org:<id>, email:<address> or the escalation\'s recipient'),
  recipientName: z.string(),
  channel: z.enum(['email', 'webhook', 'escalation']),
  target: z.string().describe('e-mail address or webhook URL'),
  cases: z.number().describe('cases in the digest'),
  state: z.enum(STATES),
  attempts: z.number(),
  nextAttemptAt: IsoTime.nullable().describe('when it is tried next; null once sent or failed for good'),
  lastError: z.string().nullable().describe('why the last attempt failed; null when none did'),
  sentAt: IsoTime.nullable(),
});

export const DeliveriesQuery = z.object({
  state: z.enum(STATES).optional(),
  recipient: z.string().optional().describe('org:<id> or email:<address>'),
  case: queryInt(1, 2147483647).optional().describe('only deliveries of the digest holding this case'),
  limit: queryInt(1, 10000).optional().describe('default 100'),
  offset: queryInt(0, 1000000).optional(),
});

export const DELIVERIES = {
  list: defineRoute({
    method: 'GET', url: '/deliveries', errors: [],
    schema: {
      tags: ['cases'], summary: 'Deliveries of case digests, newest first (an organisation sees those addressed to it)',
      querystring: DeliveriesQuery,
      response: { 200: z.array(DeliveryRow) },
    },
  }),
};

export type DeliveryRow = z.output<typeof DeliveryRow>;
