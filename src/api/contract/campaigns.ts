/**
 * Campaigns (issue 18): addresses tied together by what they share on the honeypots, computed
 * into the state store and read from it. `sakimori campaigns [--json] [--compute]` beside a
 * running server goes through these routes. Everyone signed in may list campaigns; a member of an
 * organisation sees only campaigns with members in its constituency, only those members, and only
 * its own organisation's impact. Computing reads every address: platform admins and analysts.
 */
import { z } from 'zod';
import { defineRoute } from './define.js';
import { IdParam, IsoTime, queryInt } from './common.js';
import { CAMPAIGN_TIE_KINDS, CampaignDetail, CampaignList } from './honeypot.js';

export const CampaignTie = z.object({ kind: z.enum(CAMPAIGN_TIE_KINDS), value: z.string(), members: z.number() });

export const CampaignComputeSummary = z.object({
  computedAt: IsoTime,
  addresses: z.number().describe('addresses the honeypots saw'),
  campaigns: z.number(),
  members: z.number().describe('addresses in a campaign'),
  ties: z.record(z.string(), z.number()).describe('ties used, per kind'),
  commonTies: z.record(z.string(), z.number()).describe('ties left out as too common (over their kind\'s limit), per kind'),
  largestCommon: z.array(CampaignTie).describe('the largest ties left out (at most 10)'),
  ms: z.record(z.string(), z.number()).describe('milliseconds per stage: addresses, ties, union, aggregate, store, total'),
});

export const CAMPAIGNS = {
  list: defineRoute({
    method: 'GET', url: '/campaigns', errors: [],
    schema: {
      tags: ['campaigns'], summary: 'Campaigns as last computed, most members first, with their ties, ports, countries, ASNs, URLs, hashes and impact per organisation',
      description: 'An organisation\'s member sees only campaigns with members in its constituency, and only its own organisation in `impact`.',
      querystring: z.object({ limit: queryInt(1, 100_000).optional().describe('default 100') }),
      response: { 200: CampaignList },
    },
  }),
  detail: defineRoute({
    method: 'GET', url: '/campaigns/:id', errors: ['NOT_FOUND'],
    schema: {
      tags: ['campaigns'], summary: 'One campaign with a sample of its members (most events first)',
      description: 'An organisation\'s member gets NOT_FOUND for a campaign without members in its constituency, and only those members in `sample`.',
      params: IdParam,
      response: { 200: CampaignDetail },
    },
  }),
  compute: defineRoute({
    method: 'POST', url: '/campaigns/compute', errors: ['FORBIDDEN'],
    schema: {
      tags: ['campaigns'], summary: 'Compute the campaigns again from every honeypot event (replaces the previous result; ids stay while their strongest tie lasts)',
      description: 'Platform admins and analysts only.',
      response: { 200: CampaignComputeSummary },
    },
  }),
};

export type CampaignTie = z.output<typeof CampaignTie>;
export type CampaignComputeSummary = z.output<typeof CampaignComputeSummary>;
