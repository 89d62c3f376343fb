/** Monitors: saved searches over one's own ranges that alert on what is new. */
import { z } from 'zod';
import { defineRoute, NoContent } from './define.js';
import { IsoTime } from './common.js';
import { bodyBool, bodyList, bodyText } from './body-values.js';

/** What a monitor watches for (monitors/findings.ts, MONITOR_KINDS). */
export const MONITOR_KIND_NAMES = ['service', 'weak_credential', 'cve'] as const;

export const Monitor = z.object({
  id: z.string(),
  name: z.string(),
  orgId: z.string().nullable().describe('the owning organisation; null: the platform\'s own monitor'),
  query: z.string().describe('search query; empty: everything in the ranges'),
  cidrs: z.array(z.string()),
  kinds: z.array(z.enum(MONITOR_KIND_NAMES)),
  webhooks: z.array(z.string()),
  emails: z.array(z.string()),
  language: z.enum(['ja', 'en']).describe('language of the alerts'),
  enabled: z.boolean(),
  createdAt: IsoTime,
  lastRunAt: IsoTime.nullable().describe('null: never run'),
  lastRunFindings: z.number().nullable().describe('findings of the last run; null: never run'),
});

/**
 * The keys the monitor store reads (monitors/monitor-store.ts, monitorInput), coerced as ajv did
 * (body-values.ts); the store checks the rest (lengths, kinds, CIDRs, URLs, addresses, the query)
 * and answers MONITOR_INVALID naming the field.
 */
export const MonitorCreate = z.object({
  name: bodyText().describe('1–200 characters, unique within the organisation'),
  cidrs: bodyList(z.array(bodyText())).describe('1–10000 ranges; an organisation\'s member: within its own prefixes'),
  query: bodyText().optional().describe('search query (at most 4000 characters); default: everything in the ranges'),
  kinds: bodyList(z.array(bodyText())).optional().describe('service, weak_credential, cve; default: all three'),
  webhooks: bodyList(z.array(bodyText())).optional().describe('at most 20 http(s) URLs, each allowed by the webhook policy'),
  emails: bodyList(z.array(bodyText())).optional().describe('at most 100 addresses'),
  language: bodyText(z.enum(['ja', 'en'])).optional().describe('default: ja'),
  // Not in the body schema before the contract, so ajv never coerced it: a boolean only.
  enabled: z.boolean().optional().describe('default: true'),
});

export const MonitorFinding = z.object({
  key: z.string().describe('stable across runs'),
  kind: z.string(),
  ip: z.string(),
  port: z.number(),
  transport: z.string(),
  detail: z.record(z.string(), z.string()),
  firstSeen: IsoTime,
  lastSeen: IsoTime,
  present: z.boolean().describe('seen by the last run'),
  muted: z.boolean(),
  alertedAt: IsoTime.nullable().describe('null: never alerted'),
});

export const MonitorAlert = z.object({
  key: z.string(),
  kind: z.enum(MONITOR_KIND_NAMES),
  ip: z.string(),
  port: z.number(),
  transport: z.string(),
  detail: z.record(z.string(), z.string()),
});

export const MonitorDeliverySummary = z.object({
  sent: z.number(),
  retrying: z.number(),
  failed: z.number(),
  errors: z.record(z.string(), z.number()).describe('failed or retried deliveries per error class'),
});

export const MonitorRun = z.object({
  monitor: z.string().describe('the monitor\'s name'),
  runAt: IsoTime,
  matched: z.number().describe('services the query matched'),
  findings: z.number(),
  alerted: z.array(MonitorAlert).describe('findings new (or back) and not muted; none on the first run (the baseline)'),
  baseline: z.boolean().describe('the first run: what is there is recorded, not alerted'),
  gone: z.number().describe('findings present before and not now'),
  deliveries: z.number().describe('deliveries queued'),
  delivery: MonitorDeliverySummary.describe('this monitor\'s deliveries sent (or tried) by this call'),
});

export const MonitorsRun = z.object({
  runs: z.array(MonitorRun),
  delivery: MonitorDeliverySummary.describe('all deliveries sent (or tried) by this call: an organisation\'s, of its monitors only'),
});

export const MonitorMute = z.object({ key: z.string(), muted: z.boolean() });

const MonitorIdParam = z.object({ id: z.string().describe('monitor id, or its name within one\'s organisation') });

export const MONITORS = {
  list: defineRoute({
    method: 'GET', url: '/monitors', errors: [],
    schema: { tags: ['monitors'], summary: 'Monitors (an organisation sees its own)', response: { 200: z.array(Monitor) } },
  }),
  create: defineRoute({
    method: 'POST', url: '/monitors', errors: ['MONITOR_INVALID', 'FORBIDDEN'],
    schema: {
      tags: ['monitors'],
      summary: 'Create a monitor: name, cidrs (required), query, kinds (service, weak_credential, cve), webhooks, emails, language',
      body: MonitorCreate,
      response: { 201: Monitor },
    },
  }),
  get: defineRoute({
    method: 'GET', url: '/monitors/:id', errors: ['NOT_FOUND', 'MONITOR_INVALID'],
    schema: { tags: ['monitors'], summary: 'One monitor (id or name)', params: MonitorIdParam, response: { 200: Monitor } },
  }),
  delete: defineRoute({
    method: 'DELETE', url: '/monitors/:id', errors: ['NOT_FOUND', 'MONITOR_INVALID', 'FORBIDDEN'],
    schema: { tags: ['monitors'], summary: 'Delete a monitor and its findings', params: MonitorIdParam, response: { 204: NoContent } },
  }),
  findings: defineRoute({
    method: 'GET', url: '/monitors/:id/findings', errors: ['NOT_FOUND', 'MONITOR_INVALID'],
    schema: { tags: ['monitors'], summary: 'Findings of a monitor, present first', params: MonitorIdParam, response: { 200: z.array(MonitorFinding) } },
  }),
  mute: defineRoute({
    method: 'POST', url: '/monitors/:id/findings/mute', errors: ['NOT_FOUND', 'MONITOR_INVALID', 'FORBIDDEN'],
    schema: {
      tags: ['monitors'], summary: 'Mute (or unmute with muted=false) one finding',
      params: MonitorIdParam,
      body: z.object({ key: bodyText(), muted: bodyBool().optional().describe('default: true') }),
      response: { 200: MonitorMute },
    },
  }),
  run: defineRoute({
    method: 'POST', url: '/monitors/run', errors: ['NOT_FOUND', 'MONITOR_INVALID', 'FORBIDDEN', 'QUERY_LIMIT_EXCEEDED'],
    schema: {
      tags: ['monitors'], summary: 'Evaluate one monitor (or every enabled one) now and send the alerts',
      body: z.object({ monitor: bodyText().optional().describe('id or name; absent: every enabled monitor one may see') }).optional(),
      response: { 200: MonitorsRun },
    },
  }),
};

export type Monitor = z.output<typeof Monitor>;
export type MonitorCreate = z.input<typeof MonitorCreate>;
export type MonitorFinding = z.output<typeof MonitorFinding>;
export type MonitorAlert = z.output<typeof MonitorAlert>;
export type MonitorDeliverySummary = z.output<typeof MonitorDeliverySummary>;
export type MonitorRun = z.output<typeof MonitorRun>;
export type MonitorsRun = z.output<typeof MonitorsRun>;
export type MonitorMute = z.output<typeof MonitorMute>;
