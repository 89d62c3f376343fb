/** The sharing hub's indicators: publish, export, import, match, warning lists and own sensors (issue 16, items 5, 6). */
import { z } from 'zod';
import { defineRoute, fileAnswer } from './define.js';
import { IsoTime } from './common.js';

const TLP_NAMES = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export const SHARE_EXPORT_FORMATS = ['stix', 'misp', 'csv', 'blocklist'] as const;
const CollectionRef = z.string().min(1).max(200).describe('collection id or alias');

const Excluded = z.record(z.string(), z.number()).describe('sources not published, by reason: not-scanner, dos-victim, survey-victim, reserved, own-sensor, warning-list, below-threshold, expired');
const Failure = z.object({ id: z.string(), message: z.string() });
const CollectionName = z.object({ id: z.string(), title: z.string() });

export const PublishBody = z.object({
  collection: CollectionRef,
  tlp: z.enum(TLP_NAMES).optional().describe('marking of the indicators; default amber'),
  from: z.string().max(40).optional().describe('first UTC day (YYYY-MM-DD or ISO time); default: 7 days before `to`'),
  to: z.string().max(40).optional().describe('end of the window (exclusive); default: the end of today (UTC)'),
  dryRun: z.boolean().optional().describe('say what would be published and excluded, store nothing'),
});

export const PublishAnswer = z.object({
  collection: CollectionName,
  dryRun: z.boolean(),
  tlp: z.enum(TLP_NAMES),
  from: IsoTime, to: IsoTime,
  sources: z.number().describe('darknet sources in the window'),
  created: z.number(), updated: z.number(), revoked: z.number(), unchanged: z.number(),
  excluded: Excluded,
  objects: z.number().describe('object versions sent to the collection (or that would be)'),
  stored: z.number(),
  failures: z.array(Failure),
  sample: z.array(z.object({ id: z.string(), pattern: z.string(), confidence: z.number(), validUntil: z.string(), labels: z.array(z.string()) })).describe('the first indicators published (or that would be)'),
  recipients: z.object({
    organisations: z.array(z.object({ orgId: z.string(), name: z.string(), reason: z.string() })),
    users: z.array(z.object({ userId: z.string(), username: z.string(), reason: z.string() })).describe('users beyond the organisations: named RED recipients, operators'),
    victimFields: z.number().describe('victim-identifying fields of an indicator (0: attack-technical only)'),
  }).nullable().describe('a dry run: who would receive the indicators (the policy\'s dry run); null otherwise'),
  timings: z.record(z.string(), z.number()).describe('milliseconds per stage'),
});

export const ShareImportAnswer = z.object({
  collection: CollectionName,
  format: z.enum(['stix', 'misp']),
  objects: z.number(), stored: z.number(),
  failures: z.array(Failure).describe('objects refused, each with why'),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).describe('MISP attributes that could not be converted, with where they are'),
  feedback: z.number().describe("new feedback on the hub's indicators (peers' sightings, opinions, notes)"),
});

export const MatchBody = z.object({ collection: CollectionRef, dryRun: z.boolean().optional(), tlp: z.enum(TLP_NAMES).optional().describe('marking of the sightings; default amber') });

export const MatchAnswer = z.object({
  collection: CollectionName, dryRun: z.boolean(),
  peerIndicators: z.number(), unmatchable: z.number().describe('peer indicators whose pattern names no address'),
  sighted: z.number(), sightings: z.number().describe('new sighting versions'), stored: z.number(),
  failures: z.array(Failure), feedback: z.number(),
});

export const WarningListBody = z.object({ name: z.string().max(200).optional().describe('default: the MISP warninglist\'s name'), text: z.string().max(64 * 1024 * 1024).describe('one address or CIDR per line, or a MISP warninglist (JSON)') });
export const WarningListAnswer = z.object({ name: z.string(), entries: z.number(), issues: z.array(z.object({ line: z.number(), column: z.number(), message: z.string() })) });
export const WarningLists = z.array(z.object({ name: z.string(), description: z.string(), entries: z.number(), importedAt: IsoTime }));
export const OwnSensors = z.object({ prefixes: z.array(z.string()) });

const OPERATORS = 'platform admins and analysts';

export const SHARE_INDICATORS = {
  publish: defineRoute({
    method: 'POST', url: '/share/publish', errors: ['FORBIDDEN', 'NOT_FOUND', 'BAD_TIME'],
    schema: { tags: ['sharing'], summary: `Publish the indicators generated from the darknet's scanners into a collection (${OPERATORS}; the collection must be writable)`, body: PublishBody, response: { 200: PublishAnswer } },
  }),
  export: defineRoute({
    method: 'GET', url: '/share/export', errors: ['FORBIDDEN', 'NOT_FOUND'],
    schema: {
      tags: ['sharing'], summary: 'A collection as a STIX bundle, a MISP event, CSV or a blocklist: what the sharing policy lets the caller receive (written to the egress audit)',
      querystring: z.object({ collection: CollectionRef, format: z.enum(SHARE_EXPORT_FORMATS).optional().describe('default stix') }),
      produces: ['application/stix+json;version=2.1', 'text/csv', 'text/plain'],
      response: { 200: fileAnswer('STIX: one bundle; MISP: one event (strictest TLP as its tag); CSV: value, type, confidence, valid_from, valid_until, tlp, labels, …; blocklist: one address or CIDR per line') },
    },
  }),
  import: defineRoute({
    method: 'POST', url: '/share/import', errors: ['FORBIDDEN', 'NOT_FOUND'],
    schema: {
      tags: ['sharing'], summary: 'Store a STIX bundle (or one object) or a MISP event, sent as the request body, in a collection the caller may write',
      querystring: z.object({ collection: CollectionRef }),
      consumes: ['application/json', 'application/stix+json', 'application/octet-stream'],
      response: { 200: ShareImportAnswer },
    },
  }),
  match: defineRoute({
    method: 'POST', url: '/share/match', errors: ['FORBIDDEN', 'NOT_FOUND'],
    schema: { tags: ['sharing'], summary: `Match the peers' indicators of a collection against the darknet and survey; publish the sightings (${OPERATORS})`, body: MatchBody, response: { 200: MatchAnswer } },
  }),
  warningLists: defineRoute({
    method: 'GET', url: '/share/warninglists', errors: ['FORBIDDEN'],
    schema: { tags: ['sharing'], summary: `Warning lists: addresses never published as indicators (${OPERATORS})`, response: { 200: WarningLists } },
  }),
  importWarningList: defineRoute({
    method: 'POST', url: '/share/warninglists', errors: ['FORBIDDEN'],
    schema: { tags: ['sharing'], summary: `Import (replace) a warning list of benign sources (${OPERATORS})`, body: WarningListBody, response: { 200: WarningListAnswer } },
  }),
  ownSensors: defineRoute({
    method: 'GET', url: '/share/sensors', errors: ['FORBIDDEN'],
    schema: { tags: ['sharing'], summary: `Our own sensors' prefixes, never published (${OPERATORS})`, response: { 200: OwnSensors } },
  }),
  addOwnSensors: defineRoute({
    method: 'POST', url: '/share/sensors', errors: ['FORBIDDEN'],
    schema: { tags: ['sharing'], summary: `Add prefixes of our own sensors (${OPERATORS})`, body: OwnSensors, response: { 200: OwnSensors } },
  }),
};

export type PublishBody = z.output<typeof PublishBody>;
export type PublishAnswer = z.output<typeof PublishAnswer>;
export type ShareImportAnswer = z.output<typeof ShareImportAnswer>;
export type MatchAnswer = z.output<typeof MatchAnswer>;
export type WarningListAnswer = z.output<typeof WarningListAnswer>;
export type ShareExportFormat = (typeof SHARE_EXPORT_FORMATS)[number];
