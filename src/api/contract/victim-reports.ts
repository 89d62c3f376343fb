/**
 * Victim reports (issue 16, item 8; docs/sharing.md): members submit incidents, their
 * organisation's admin consents, the hub's operators release; the attack-technical STIX is
 * shareable at once, the victim-identifying part only released, pseudonymised and generalised;
 * aggregates only with at least k reporters.
 */
import { z } from 'zod';
import { defineRoute } from './define.js';
import { IsoTime } from './common.js';
import { bodyText } from './body-values.js';

const ReportId = z.object({ id: z.string().min(1).max(64).describe('the report id (a UUID)') });

const Generalised = z.object({ sector: z.string(), sizeBand: z.string().describe('employees: 1-49, 50-249, 250-999, 1000+ or unknown'), region: z.string() });
const Technical = z.object({
  c2: z.array(z.string()), malware: z.array(z.string()), techniques: z.array(z.string()),
  stix: z.array(z.record(z.string(), z.unknown())).describe('attack-technical STIX objects as submitted'),
});
const Victim = z.object({
  name: z.string(), addresses: z.array(z.string()), sector: z.string(), employees: z.number().optional(), sizeBand: z.string().optional(),
  region: z.string(), affectedSystems: z.array(z.string()),
});

export const VictimReport = z.object({
  id: z.string(),
  state: z.enum(['draft', 'consented', 'released']),
  ownerOrgId: z.string().describe('empty for anyone but the reporting organisation and the operators'),
  title: z.string().nullable().describe('null: not yours to see (it may name the victim)'),
  attackKind: z.string(),
  occurredAt: IsoTime,
  submittedAt: IsoTime,
  generalised: Generalised,
  technical: Technical.nullable(),
  victim: Victim.nullable().describe('the victim-identifying part: the reporting organisation, and the operators once it consented'),
  description: z.string().nullable(),
  consentedBy: z.string().nullable(), consentedAt: IsoTime.nullable(),
  releasedBy: z.string().nullable(), releasedAt: IsoTime.nullable(),
});

const StixObjects = z.object({ objects: z.array(z.record(z.string(), z.unknown())).describe('STIX 2.1 objects this caller may receive') });

export const AggregateAnswer = z.object({
  k: z.number().describe('reporters a cell needs (config victimReports.k)'),
  computedAt: IsoTime,
  cells: z.array(z.object({ month: z.string().describe('YYYY-MM'), sector: z.string(), attackKind: z.string(), victims: z.number(), reporters: z.number() })),
  suppressed: z.number().describe('cells with fewer than k reporters, not shown'),
});

export const VICTIM_REPORTS = {
  submit: defineRoute({
    method: 'POST', url: '/share/reports', errors: ['FORBIDDEN', 'NOT_FOUND'],
    schema: {
      tags: ['share'], summary: 'Submit a victim report (the form\'s JSON, or a STIX bundle with an incident carrying the incident-core extension)',
      description: 'Stored as a draft of the caller\'s organisation (an operator names it with ?org=). The same content again is the same report (200, created false).',
      querystring: z.object({ org: z.string().max(200).optional().describe('operators: the organisation (id or name) reporting') }),
      body: z.union([z.looseObject({}), z.array(z.unknown()).max(10_000)]),
      response: { 201: z.object({ report: VictimReport, created: z.boolean() }), 200: z.object({ report: VictimReport, created: z.boolean() }) },
    },
  }),
  list: defineRoute({
    method: 'GET', url: '/share/reports', errors: [],
    schema: {
      tags: ['share'], summary: 'Victim reports: your organisation\'s (whole), and released ones of others (generalised only)',
      querystring: z.object({}),
      response: { 200: z.object({ reports: z.array(VictimReport) }) },
    },
  }),
  get: defineRoute({
    method: 'GET', url: '/share/reports/:id', errors: ['NOT_FOUND'],
    schema: { tags: ['share'], summary: 'One victim report as you may see it (another organisation\'s draft is not found)', params: ReportId, response: { 200: VictimReport } },
  }),
  consent: defineRoute({
    method: 'POST', url: '/share/reports/:id/consent', errors: ['FORBIDDEN', 'NOT_FOUND'],
    schema: {
      tags: ['share'], summary: 'Consent to releasing the report\'s victim information, pseudonymised (draft → consented; an admin of the reporting organisation only)',
      description: 'Through the server\'s socket the data directory\'s owner acts for a named admin of that organisation (`as`); nobody else may name one.',
      params: ReportId,
      body: z.object({ as: bodyText(z.string().min(1).max(200)).optional().describe('socket owner only: the username of the consenting organisation admin') }).optional(),
      response: { 200: VictimReport },
    },
  }),
  release: defineRoute({
    method: 'POST', url: '/share/reports/:id/release', errors: ['FORBIDDEN', 'NOT_FOUND'],
    schema: { tags: ['share'], summary: 'Release a consented report (consented → released; the hub\'s operators)', params: ReportId, response: { 200: VictimReport } },
  }),
  stix: defineRoute({
    method: 'GET', url: '/share/reports/:id/stix', errors: ['NOT_FOUND'],
    schema: {
      tags: ['share'], summary: 'The report\'s STIX: its attack-technical part (at once, under the hub\'s identity) and, once released, the incident with the anonymised victim',
      params: ReportId, response: { 200: StixObjects },
    },
  }),
  aggregates: defineRoute({
    method: 'GET', url: '/share/victim-aggregates', errors: [],
    schema: { tags: ['share'], summary: 'Victims per month, sector and attack kind: only cells with at least k reporting organisations', querystring: z.object({}), response: { 200: AggregateAnswer } },
  }),
};

export type VictimReportView = z.output<typeof VictimReport>;
export type VictimAggregateAnswer = z.output<typeof AggregateAnswer>;
export type VictimReport = z.output<typeof VictimReport>;
