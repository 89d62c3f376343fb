/**
 * Corroboration of C&C candidates among carriers (issue 17, item 6; docs/flows.md, "What leaves
 * a carrier"): a carrier submits keyed hashes of its candidates with coarse client buckets, and
 * reads, for its own hashes only, how many other carriers submitted the same.
 */
import { z } from 'zod';
import { defineRoute } from './define.js';
import { queryInt } from './common.js';

const BUCKETS = ['1', '2-9', '10-99', '100+'] as const;
const Org = z.string().min(1).max(200).describe('the carrier\'s organisation (id or name): operators name one; a member may only name its own');
const KeyId = z.string().regex(/^[0-9a-f]{16}$/, 'the community key\'s fingerprint: 16 lower-case hex digits').describe('fingerprint of the community key the hashes were made with');

export const CorroborationSubmitBody = z.object({
  org: Org.optional(),
  keyId: KeyId,
  entries: z.array(z.object({
    hash: z.string().regex(/^[0-9a-f]{64}$/, 'HMAC-SHA256 in 64 lower-case hex digits').describe('HMAC-SHA256(community key, "server|port|proto")'),
    bucket: z.enum(BUCKETS).describe('distinct internal clients, coarsely'),
    day: z.string().max(10).describe('UTC day the candidate was last seen (YYYY-MM-DD)'),
  })).max(10_000),
});

export const CorroborationSubmitAnswer = z.object({
  orgId: z.string(), keyId: z.string(),
  stored: z.number().describe('entries new or with a changed bucket'),
  entries: z.number(),
});

const Histogram = z.object({ '1': z.number(), '2-9': z.number(), '10-99': z.number(), '100+': z.number() });

export const CorroborationAnswer = z.object({
  orgId: z.string().describe('the carrier asked about: always the caller\'s own (or the one an operator named)'),
  from: z.string().describe('first day of the window (UTC)'), to: z.string().describe('last day of the window (UTC)'),
  k: z.number().describe('others needed before their buckets are told'),
  answers: z.array(z.object({
    hash: z.string(), keyId: z.string(),
    lastDay: z.string().describe('the last day this carrier submitted the hash'),
    bucket: z.enum(BUCKETS).describe('this carrier\'s own bucket'),
    others: z.number().describe('other carriers that submitted the same hash in the window (never named)'),
    othersBuckets: Histogram.nullable().describe('their buckets counted; null when fewer than k others'),
  })).describe('one per hash this carrier submitted in the window; nothing about hashes it did not submit'),
});

export const CommunityKeyBody = z.object({
  import: z.string().max(200).optional().describe('the ISAC\'s key in hex, to use from now on'),
  replace: z.boolean().optional().describe('with import: replace another key (the ISAC rotated it)'),
  reveal: z.boolean().optional().describe('answer the key itself (to hash locally, or to hand to a member carrier)'),
});

export const CommunityKeyAnswer = z.object({
  keyId: z.string(), created: z.boolean().describe('the key was generated or imported by this call'),
  key: z.string().optional().describe('hex; only when revealed'),
});

const TLP_NAMES = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;

export const CandidatePublishBody = z.object({
  collection: z.string().min(1).max(200).describe('collection id or alias'),
  tlp: z.enum(TLP_NAMES).optional().describe('default amber'),
  minScore: z.number().min(0).max(1).optional().describe('publish candidates scoring at least this, after corroboration (default 0.5)'),
  dryRun: z.boolean().optional(),
  candidates: z.array(z.record(z.string(), z.unknown())).max(100_000).describe('CncCandidate objects, as `cnc candidates --json` writes them'),
  corroborate: z.boolean().optional().describe('raise the scores with the corroboration answered to this carrier'),
  org: Org.optional(),
  internal: z.array(z.string().max(50)).max(10_000).optional().describe('the carrier\'s own prefixes: servers inside are never published'),
});

export const CandidatePublishAnswer = z.object({
  collection: z.object({ id: z.string(), title: z.string() }),
  dryRun: z.boolean(), tlp: z.enum(TLP_NAMES), minScore: z.number(),
  candidates: z.number(), corroborated: z.number(),
  created: z.number(), updated: z.number(), revoked: z.number(), unchanged: z.number(),
  excluded: z.record(z.string(), z.number()).describe('candidates not published, by reason: invalid, reserved, own-sensor, warning-list, internal, below-min-score, below-threshold, expired'),
  objects: z.number(), stored: z.number(),
  failures: z.array(z.object({ id: z.string(), message: z.string() })),
  sample: z.array(z.object({ id: z.string(), pattern: z.string(), confidence: z.number(), validUntil: z.string() })),
  recipients: z.object({
    organisations: z.array(z.object({ orgId: z.string(), name: z.string(), reason: z.string() })),
    users: z.array(z.object({ userId: z.string(), username: z.string(), reason: z.string() })),
    victimFields: z.number(),
  }).nullable().describe('a dry run: who would receive the objects (the policy\'s dry run); null otherwise'),
});

export const FLOW_SHARE = {
  publish: defineRoute({
    method: 'POST', url: '/flows/candidates/publish', errors: ['FORBIDDEN', 'NOT_FOUND'],
    schema: { tags: ['sharing'], summary: 'Publish C&C candidates as STIX indicators, infrastructure and relationships into a collection the caller may write (a dry run says what and to whom)', body: CandidatePublishBody, response: { 200: CandidatePublishAnswer } },
  }),
  submit: defineRoute({
    method: 'POST', url: '/flows/corroboration', errors: ['FORBIDDEN', 'NOT_FOUND', 'BAD_TIME'],
    schema: { tags: ['sharing'], summary: 'Submit keyed hashes of this carrier\'s C&C candidates with coarse client buckets (a member for its own organisation only)', body: CorroborationSubmitBody, response: { 200: CorroborationSubmitAnswer } },
  }),
  corroboration: defineRoute({
    method: 'GET', url: '/flows/corroboration', errors: ['FORBIDDEN', 'NOT_FOUND'],
    schema: {
      tags: ['sharing'], summary: 'For each hash this carrier submitted, how many other carriers submitted the same (never which)',
      querystring: z.object({ org: Org.optional(), days: queryInt(1, 90).optional().describe('the window in days, ending today (default 7)') }),
      response: { 200: CorroborationAnswer },
    },
  }),
  key: defineRoute({
    method: 'POST', url: '/flows/corroboration/key', errors: ['FORBIDDEN', 'NOT_FOUND'],
    schema: { tags: ['sharing'], summary: 'The community key: generate it if absent, import the ISAC\'s, or reveal it (the data directory\'s owner only, beside the server)', body: CommunityKeyBody, response: { 200: CommunityKeyAnswer } },
  }),
};

export type CorroborationSubmitAnswer = z.output<typeof CorroborationSubmitAnswer>;
export type CorroborationAnswer = z.output<typeof CorroborationAnswer>;
export type CandidatePublishAnswer = z.output<typeof CandidatePublishAnswer>;
export type CommunityKeyAnswer = z.output<typeof CommunityKeyAnswer>;
