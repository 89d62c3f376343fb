/** Notification rounds and sending, as `sakimori notify round|send` run them: platform administrators only. */
import { z } from 'zod';
import { defineRoute } from './define.js';
import { IsoTime } from './common.js';
import { bodyBool } from './body-values.js';

export const RoundSummary = z.object({
  round: z.number().nullable().describe('null: nothing needed telling'),
  cases: z.number(),
  recipients: z.number(),
  deliveries: z.number(),
  withoutContact: z.number().describe('cases escalated: nobody to tell'),
});

export const SendResult = z.object({
  sent: z.number(),
  retrying: z.number(),
  failed: z.number().describe('failed for good (a bounce, or the last attempt)'),
  casesNotified: z.number(),
  errors: z.record(z.string(), z.number()).describe('why deliveries were not sent: each error with how many deliveries had it'),
  waiting: z.object({
    deliveries: z.number().describe('deliveries not due yet (retries in back-off)'),
    nextAttemptAt: IsoTime.nullable(),
  }),
});

export const NOTIFY = {
  round: defineRoute({
    method: 'POST', url: '/notify/rounds', errors: ['FORBIDDEN'],
    schema: {
      tags: ['cases'], summary: 'Group the cases that need telling into digests (a notification round); send them right away with send: true',
      body: z.object({ send: bodyBool().optional().describe('default: false') }).optional(),
      response: { 201: z.object({ round: RoundSummary, sent: SendResult.nullable().describe('null: not sent (send was not true)') }) },
    },
  }),
  send: defineRoute({
    method: 'POST', url: '/notify/send', errors: ['FORBIDDEN'],
    schema: {
      tags: ['cases'], summary: 'Send the deliveries that are due (new and retries); says why any were not sent',
      response: { 200: SendResult },
    },
  }),
};

export type SendResult = z.output<typeof SendResult>;
export type RoundSummary = z.output<typeof RoundSummary>;
