/** Organisations, their constituencies, and whom to tell about an address. */
import { z } from 'zod';
import { defineRoute, NoContent } from './define.js';
import { IsoTime } from './common.js';
import { bodyList, bodyText, type BodyList, type BodyValue } from './body-values.js';

export const OrgKind = z.enum(['isp', 'enterprise', 'isac-member', 'cert', 'research', 'government', 'other']);

export const OrgConstituency = z.object({
  cidrs: z.array(z.string()),
  asns: z.array(z.number()),
  domains: z.array(z.string()),
});

export const Organisation = z.object({
  id: z.string(),
  name: z.string(),
  kind: OrgKind,
  country: z.string().describe('ISO 3166 alpha-2; empty: not set'),
  emails: z.array(z.string()).describe('where its notices go'),
  language: z.enum(['ja', 'en']).describe('language of its notices'),
  createdAt: IsoTime,
  constituency: OrgConstituency,
});

export const ResponsibleRecipient = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('organisation'),
    orgId: z.string(),
    name: z.string(),
    emails: z.array(z.string()),
    language: z.string(),
    matched: z.enum(['prefix', 'asn']),
    via: z.string().describe('the prefix or the AS (AS64500) that matched'),
  }),
  z.object({
    kind: z.literal('abuse-contact'),
    email: z.string(),
    name: z.string(),
    source: z.string().describe('the RIR data it came from'),
    via: z.string().describe('the block or AS it was found for, and how'),
  }),
]);

export const Responsibility = z.object({
  ip: z.string(),
  asn: z.number().describe('origin AS; 0: unknown'),
  asnOrg: z.string().describe('name of the origin AS; empty: unknown'),
  recipient: ResponsibleRecipient.nullable().describe('null: nobody found'),
  steps: z.array(z.object({ step: z.string(), found: z.string() })).describe('each lookup in order, with what it found'),
});

/** Items of a constituency to add, 1 to 10 000. */
const items = (what: string): BodyList<z.ZodArray<BodyValue>> =>
  bodyList(z.array(bodyText()).min(1).max(10000)).describe(what);

/** An organisation by id or name. */
const OrgRef = z.object({ id: z.string().describe('id or name') });

const addTo = (what: 'prefixes' | 'asns' | 'domains'): string => `Add ${what} to the constituency (admin)`;

export const ORGS = {
  list: defineRoute({
    method: 'GET', url: '/orgs', errors: [],
    schema: { tags: ['organisations'], summary: 'Organisations (an organisation member: its own)', response: { 200: z.array(Organisation) } },
  }),
  get: defineRoute({
    method: 'GET', url: '/orgs/:id', errors: ['NOT_FOUND'],
    schema: {
      tags: ['organisations'], summary: 'One organisation with its constituency',
      params: OrgRef,
      response: { 200: Organisation },
    },
  }),
  create: defineRoute({
    method: 'POST', url: '/orgs', errors: ['FORBIDDEN'],
    schema: {
      tags: ['organisations'], summary: 'Register an organisation (admin)',
      body: z.object({
        name: bodyText().describe('1–200 characters, unique'),
        kind: bodyText().optional().describe(`one of ${OrgKind.options.join(', ')}; default: other`),
        country: bodyText().optional().describe('ISO 3166 alpha-2 or empty; default: empty'),
        emails: bodyList(z.array(bodyText())).optional().describe('e-mail addresses for its notices, at most 50; default: none'),
        language: bodyText().optional().describe('ja or en; default: ja'),
      }),
      response: { 201: Organisation },
    },
  }),
  addPrefixes: defineRoute({
    method: 'POST', url: '/orgs/:id/prefixes', errors: ['FORBIDDEN', 'NOT_FOUND'],
    schema: {
      tags: ['organisations'], summary: addTo('prefixes'), params: OrgRef,
      body: z.object({ prefixes: items('CIDRs or address ranges (a-b, split into CIDRs)') }),
      response: { 200: Organisation },
    },
  }),
  addAsns: defineRoute({
    method: 'POST', url: '/orgs/:id/asns', errors: ['FORBIDDEN', 'NOT_FOUND'],
    schema: {
      tags: ['organisations'], summary: addTo('asns'), params: OrgRef,
      body: z.object({ asns: items('AS numbers (64500 or AS64500)') }),
      response: { 200: Organisation },
    },
  }),
  addDomains: defineRoute({
    method: 'POST', url: '/orgs/:id/domains', errors: ['FORBIDDEN', 'NOT_FOUND'],
    schema: {
      tags: ['organisations'], summary: addTo('domains'), params: OrgRef,
      body: z.object({ domains: items('domain names') }),
      response: { 200: Organisation },
    },
  }),
  remove: defineRoute({
    method: 'DELETE', url: '/orgs/:id', errors: ['FORBIDDEN', 'NOT_FOUND', 'ORG_HAS_USERS'],
    schema: { tags: ['organisations'], summary: 'Delete an organisation (admin)', params: OrgRef, response: { 204: NoContent } },
  }),
  responsible: defineRoute({
    method: 'GET', url: '/responsible/:ip', errors: ['BAD_IP', 'NOT_FOUND'],
    schema: {
      tags: ['organisations'], summary: 'Whom to tell about an address, with the evidence of each step',
      params: z.object({ ip: z.string() }),
      response: { 200: Responsibility },
    },
  }),
};

export type OrgKind = z.output<typeof OrgKind>;
export type OrgConstituency = z.output<typeof OrgConstituency>;
export type Organisation = z.output<typeof Organisation>;
export type ResponsibleRecipient = z.output<typeof ResponsibleRecipient>;
export type Responsibility = z.output<typeof Responsibility>;
