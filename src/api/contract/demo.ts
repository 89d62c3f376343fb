/** The demo's local mail sink, shown by the console as an outbox (platform admins). */
import { z } from 'zod';
import { defineRoute } from './define.js';
import { IsoTime, queryInt } from './common.js';

export const OutboxMessage = z.object({
  messageId: z.string(),
  sentAt: IsoTime,
  recipient: z.string().describe('the e-mail address it went to'),
  subject: z.string(),
  text: z.string().describe('the plain-text body'),
});

export const Outbox = z.object({
  demo: z.boolean().describe('true: the server runs as `sakimori demo` (the console then shows the outbox)'),
  total: z.number(),
  messages: z.array(OutboxMessage).describe('newest first'),
});

export const DEMO = {
  outbox: defineRoute({
    method: 'GET', url: '/demo/outbox', errors: ['FORBIDDEN'],
    schema: {
      tags: ['status'],
      summary: 'Messages the demo "sent" to its synthetic organisations, kept by its local mail sink (platform admins)',
      querystring: z.object({ limit: queryInt(1, 1000).optional().describe('default 100'), offset: queryInt(0, 1000000).optional() }),
      response: { 200: Outbox },
    },
  }),
};

export type OutboxMessage = z.output<typeof OutboxMessage>;
export type Outbox = z.output<typeof Outbox>;
