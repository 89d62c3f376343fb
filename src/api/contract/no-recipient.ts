/** Findings nobody can be told about: not cases, counted per country, AS and kind (platform-wide). */
import { z } from 'zod';
import { defineRoute } from './define.js';
import { IsoTime, queryInt } from './common.js';

export const NoRecipientSummary = z.object({
  builtAt: IsoTime.nullable().describe('the case build that counted them; null: no build has yet'),
  findings: z.number().describe('findings with no registered organisation and no abuse contact'),
  addresses: z.number().describe('distinct addresses among them'),
  byKind: z.array(z.object({ kind: z.string(), addresses: z.number() })),
  countries: z.array(z.object({ country: z.string().describe('ISO 3166 alpha-2; empty: unknown'), addresses: z.number() })).describe('most addresses first'),
  asns: z.array(z.object({ asn: z.number().describe('0: unknown'), asName: z.string(), addresses: z.number() })).describe('most addresses first'),
  legacyUnassignedCases: z.number().describe('cases for "unassigned" opened by earlier releases, kept as they were'),
});

export const NO_RECIPIENT = {
  summary: defineRoute({
    method: 'GET', url: '/cases/no-recipient', errors: ['FORBIDDEN'],
    schema: {
      tags: ['cases'],
      summary: 'Findings of the last case build that nobody can be told about (platform admins and analysts; an organisation\'s own addresses always have a recipient)',
      querystring: z.object({ top: queryInt(1, 100).optional().describe('countries and ASes listed; default 10') }),
      response: { 200: NoRecipientSummary },
    },
  }),
};

export type NoRecipientSummary = z.output<typeof NoRecipientSummary>;
