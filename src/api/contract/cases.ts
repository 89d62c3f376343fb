/** Cases: one finding about one address, addressed to one recipient; an organisation sees its own. */
import { z } from 'zod';
import { defineRoute } from './define.js';
import { IsoTime, queryInt } from './common.js';
import { bodyText } from './body-values.js';

export const CaseRow = z.object({
  id: z.number(),
  recipient: z.string().describe('org:<id>, email:<address> or unassigned'),
  recipientName: z.string().describe('the recipient\'s name; empty when unknown'),
  ip: z.string(),
  kind: z.string().describe('finding kind (mirai_infection, default_credential, no_authentication, vulnerable_firmware…)'),
  state: z.string().describe('new, notified, acknowledged, resolved, reopened…'),
  deviceModel: z.string(),
  asn: z.number(),
  detail: z.record(z.string(), z.unknown()).describe('the evidence the case was opened on'),
  firstSeen: IsoTime,
  lastSeen: IsoTime,
  openedAt: IsoTime,
  notifiedAt: IsoTime.nullable().describe('first notice sent; null: not notified yet'),
  acknowledgedAt: IsoTime.nullable().describe('null: not acknowledged'),
  resolvedAt: IsoTime.nullable().describe('null: not resolved'),
  reopenedCount: z.number().describe('times the finding came back after the case was resolved'),
  resolution: z.record(z.string(), z.unknown()).nullable().describe('the evidence of the resolution; null: not resolved'),
});

export const CaseEvent = z.object({
  at: IsoTime,
  from: z.string().nullable().describe('state before; null: the case was opened'),
  to: z.string(),
  reason: z.string(),
  evidence: z.unknown().describe('what the change was based on (JSON), or null'),
});

export const CaseDelivery = z.object({
  id: z.number(),
  roundId: z.number().describe('the notification round'),
  createdAt: IsoTime.describe('when the round made the delivery'),
  channel: z.string().describe('email, webhook or escalation'),
  target: z.string().describe('the e-mail address or webhook URL'),
  status: z.string().describe('pending, sending, retrying, sent or failed'),
  attempts: z.number(),
  nextAttemptAt: IsoTime.nullable().describe('the next try; null: sent or failed for good'),
  lastError: z.string().nullable().describe('why the last try failed; null: none failed'),
  sentAt: IsoTime.nullable().describe('null: not sent'),
});

export const CaseDetail = CaseRow.extend({
  events: z.array(CaseEvent).describe('state changes, oldest first'),
  deliveries: z.array(CaseDelivery).describe('the notices that told about the case, oldest first'),
});

export const CASE_SORT_NAMES = ['lastSeen', 'firstSeen', 'ip', 'state', 'id'] as const;

export const CasePage = z.object({
  total: z.number().describe('cases that match the filters, all pages'),
  offset: z.number(),
  limit: z.number(),
  cases: z.array(CaseRow),
});

export const CaseCount = z.object({ state: z.string(), kind: z.string(), n: z.number() });

export const CaseAck = z.object({ id: z.number(), state: z.literal('acknowledged') });

const CaseIdParam = z.object({ id: queryInt(1, 2147483647) });

export const CASES = {
  list: defineRoute({
    method: 'GET', url: '/cases', errors: [],
    schema: {
      tags: ['cases'], summary: 'A page of cases, filtered and sorted, with the number that match (an organisation sees its own)',
      querystring: z.object({
        state: z.string().optional(),
        kind: z.string().optional(),
        recipient: z.string().optional().describe('org:<id>, email:<address> or unassigned'),
        ip: z.string().max(100).optional().describe('an address or a prefix (IPv4 or IPv6): the cases of the addresses it contains'),
        sort: z.enum(CASE_SORT_NAMES).optional().describe('default lastSeen'),
        order: z.enum(['asc', 'desc']).optional().describe('default: newest first for times, ascending otherwise'),
        limit: queryInt(1, 1000).optional().describe('default 50'),
        offset: queryInt(0, 100000000).optional(),
      }),
      response: { 200: CasePage },
    },
  }),
  counts: defineRoute({
    method: 'GET', url: '/cases/counts', errors: [],
    schema: { tags: ['cases'], summary: 'Cases per state and kind', response: { 200: z.array(CaseCount) } },
  }),
  get: defineRoute({
    method: 'GET', url: '/cases/:id', errors: ['NOT_FOUND'],
    schema: { tags: ['cases'], summary: 'One case with its events and its deliveries', params: CaseIdParam, response: { 200: CaseDetail } },
  }),
  ack: defineRoute({
    method: 'POST', url: '/cases/:id/ack', errors: ['NOT_FOUND', 'FORBIDDEN'],
    schema: {
      tags: ['cases'], summary: 'Acknowledge a case (the recipient has seen it; resolution still needs evidence)',
      description: 'Only a new, notified or reopened case can be acknowledged (otherwise BAD_REQUEST). The body may be absent.',
      params: CaseIdParam,
      body: z.object({ note: bodyText(z.string().max(2000)).optional().describe('kept with the case event; default: "acknowledged by the recipient"') }).optional(),
      response: { 200: CaseAck },
    },
  }),
};

export type CaseRow = z.output<typeof CaseRow>;
export type CaseEvent = z.output<typeof CaseEvent>;
export type CaseDetail = z.output<typeof CaseDetail>;
export type CaseDelivery = z.output<typeof CaseDelivery>;
export type CasePage = z.output<typeof CasePage>;
export type CaseCount = z.output<typeof CaseCount>;
export type CaseAck = z.output<typeof CaseAck>;
