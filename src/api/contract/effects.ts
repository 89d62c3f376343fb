/** Effect of the notices: remediation rates, Kaplan–Meier time to remediation, reappearance. */
import { z } from 'zod';
import { defineRoute, fileAnswer } from './define.js';
import { IsoTime, queryBool, queryInt } from './common.js';

/** How the notified cases are grouped (effects/effect-report.ts, GROUP_BY). */
export const EFFECT_GROUP_BY = ['kind', 'device_model', 'recipient', 'round'] as const;

export const KmStep = z.object({
  days: z.number().describe('days since the first notice'),
  survival: z.number().describe('share of cases still unresolved after `days` (0–1)'),
  atRisk: z.number(),
  events: z.number().describe('cases resolved at `days`'),
  censored: z.number().describe('cases followed up to `days` and not resolved'),
});

export const GroupEffect = z.object({
  group: z.string(),
  notified: z.number().describe('notified cases'),
  resolved: z.number(),
  organisations: z.number().describe('distinct recipients among them'),
  within: z.array(z.object({
    days: z.number().describe('7, 14 or 30'),
    rate: z.number().nullable().describe('share resolved within `days` of the cases followed that long; null: none followed'),
    followed: z.number(),
  })),
  medianDays: z.number().nullable().describe('Kaplan–Meier median time to remediation; null: not reached'),
  reappearanceRate: z.number().nullable().describe('share of resolved cases that came back; null: none resolved'),
  curve: z.array(KmStep),
});

export const EffectReport = z.object({
  groupBy: z.enum(EFFECT_GROUP_BY),
  now: IsoTime,
  groups: z.array(GroupEffect).describe('published=true: only groups with cases of at least k organisations, none when grouped by recipient'),
  peers: z.object({
    organisations: z.number(),
    rank: z.number().nullable().describe('1 = best 30-day remediation rate; null: no notified cases of one\'s own'),
    overall: GroupEffect,
  }).nullable().describe('an organisation\'s standing among its peers; null: not an organisation, fewer than k peers, or published=true'),
  openOverTime: z.array(z.object({ day: z.string().describe('YYYY-MM-DD (UTC)'), open: z.number() })).describe('open cases at the end of each day, from the first day with a case (at most `days` back) to today; empty: no case'),
});

export const EffectsQuery = z.object({
  groupBy: z.enum(EFFECT_GROUP_BY).optional().describe('default: kind'),
  published: queryBool().optional().describe('the publishable form: groups of at least k organisations only, no recipient names, no peers'),
  days: queryInt(1, 730).optional().describe('days of openOverTime at most (default 60); it starts on the first day with a case when that is later'),
});

export const EFFECTS = {
  report: defineRoute({
    method: 'GET', url: '/effects', errors: [],
    schema: {
      tags: ['effects'],
      summary: 'Remediation within 7/14/30 days, Kaplan–Meier time to remediation, reappearance, open cases per day (an organisation: its own, and its rank when there are at least k peers)',
      querystring: EffectsQuery,
      response: { 200: EffectReport },
    },
  }),
  csv: defineRoute({
    method: 'GET', url: '/effects.csv', errors: [],
    schema: {
      tags: ['effects'], summary: 'The same groups as CSV',
      querystring: EffectsQuery,
      produces: ['text/csv'],
      response: { 200: fileAnswer('CSV: group, notified, resolved, organisations, resolved_within_{7,14,30}d, followed_{7,14,30}d, median_days, reappearance_rate') },
    },
  }),
};

export type KmStep = z.output<typeof KmStep>;
export type GroupEffect = z.output<typeof GroupEffect>;
export type EffectReport = z.output<typeof EffectReport>;
export type EffectsQuery = z.output<typeof EffectsQuery>;
export type EffectGroupBy = (typeof EFFECT_GROUP_BY)[number];
