/**
 * Building cases from findings, verifying resolutions and opting targets out, as `sakimori cases
 * build|verify|opt-out` run them beside a running server: they reach every organisation's cases,
 * hence platform admins only.
 */
import { z } from 'zod';
import { defineRoute } from './define.js';
import { bodyNumber, bodyText } from './body-values.js';

export const BuildCasesSummary = z.object({
  findings: z.number(),
  opened: z.number().describe('new cases'),
  seenAgain: z.number().describe('open cases whose finding was seen again'),
  reopened: z.number().describe('resolved cases whose finding came back'),
  noRecipient: z.object({
    findings: z.number(),
    addresses: z.number(),
    topCountries: z.array(z.object({ country: z.string(), addresses: z.number() })),
    topAsns: z.array(z.object({ asn: z.number(), asName: z.string(), addresses: z.number() })),
  }).describe('findings nobody can be told about (no organisation, no abuse contact): counted, not opened as cases'),
  optedOut: z.number(),
  byKind: z.record(z.string(), z.number()),
  ms: z.number().describe('how long the build took'),
});

export const VerifySummary = z.object({
  checked: z.number().describe('open cases checked'),
  resolved: z.number(),
  byKind: z.record(z.string(), z.number()).describe('resolved cases per kind'),
});

export const CASE_RUNS = {
  build: defineRoute({
    method: 'POST', url: '/cases/build', errors: ['FORBIDDEN'],
    schema: {
      tags: ['cases'], summary: 'Turn current findings into cases (no duplicates; resolved cases seen again are reopened)',
      response: { 200: BuildCasesSummary },
    },
  }),
  verify: defineRoute({
    method: 'POST', url: '/cases/verify', errors: ['FORBIDDEN'],
    schema: {
      tags: ['cases'], summary: 'Resolve the open cases whose weakness later evidence shows gone',
      body: z.object({ quietDays: bodyNumber(z.number().int().min(1).max(365)).optional().describe('darknet days without Mirai-like packets that resolve an infection; default 7') }).optional(),
      response: { 200: VerifySummary },
    },
  }),
  optOut: defineRoute({
    method: 'POST', url: '/cases/opt-outs', errors: ['FORBIDDEN'],
    schema: {
      tags: ['cases'], summary: 'Never open cases for this target again (an address, block, e-mail or organisation)',
      body: z.object({
        target: bodyText(z.string().min(1).max(500)),
        reason: bodyText(z.string().max(2000)).optional().describe('why; default empty'),
      }),
      response: { 201: z.object({ target: z.string() }) },
    },
  }),
};

export type BuildCasesSummary = z.output<typeof BuildCasesSummary>;
export type VerifySummary = z.output<typeof VerifySummary>;
