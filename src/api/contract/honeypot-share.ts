/** The honeypots' indicators into the hub (issue 18, item 5): POST /honeypot/share, the remote half of `sakimori share honeypot`. */
import { z } from 'zod';
import { defineRoute } from './define.js';
import { IsoTime } from './common.js';

const TLP_NAMES = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
const Failure = z.object({ id: z.string(), message: z.string() });

export const HoneypotShareBody = z.object({
  collection: z.string().min(1).max(200).describe('collection id or alias'),
  tlp: z.enum(TLP_NAMES).optional().describe('marking of the indicators; default amber'),
  from: z.string().max(40).optional().describe('first UTC day (YYYY-MM-DD or ISO time); default: 7 days before `to`'),
  to: z.string().max(40).optional().describe('end of the window (exclusive); default: the end of today (UTC)'),
  dryRun: z.boolean().optional().describe('say what would be published and excluded, store nothing'),
  benignDomains: z.array(z.string().min(1).max(253)).max(100_000).optional().describe('names never published (with every name under them), besides the built-in list'),
});

export const HoneypotShareAnswer = z.object({
  collection: z.object({ id: z.string(), title: z.string() }),
  dryRun: z.boolean(),
  tlp: z.enum(TLP_NAMES),
  from: IsoTime, to: IsoTime,
  observables: z.object({ urls: z.number(), hosts: z.number(), hashes: z.number() }).describe('read from the honeypots in the window'),
  created: z.number(), updated: z.number(), revoked: z.number(), unchanged: z.number(),
  excluded: z.record(z.string(), z.number()).describe('observables not published, by reason: invalid, own-address, reserved, warning-list, benign-domain, below-threshold, expired'),
  objects: z.number().describe('object versions sent to the collection (or that would be)'),
  stored: z.number(),
  failures: z.array(Failure),
  sample: z.array(z.object({ id: z.string(), pattern: z.string(), confidence: z.number(), validUntil: z.string(), labels: z.array(z.string()) })).describe('the first indicators published (or that would be)'),
  recipients: z.object({
    organisations: z.array(z.object({ orgId: z.string(), name: z.string(), reason: z.string() })),
    users: z.array(z.object({ userId: z.string(), username: z.string(), reason: z.string() })),
    victimFields: z.number(),
  }).nullable().describe('a dry run: who would receive the indicators (the policy\'s dry run); null otherwise'),
});

export const HONEYPOT_SHARE = {
  publish: defineRoute({
    method: 'POST', url: '/honeypot/share', errors: ['FORBIDDEN', 'NOT_FOUND', 'BAD_TIME'],
    schema: {
      tags: ['honeypot', 'sharing'], summary: 'Publish the honeypots\' malicious URLs, download hosts and file hashes of a window into a collection as STIX 2.1 indicators',
      description: 'Platform admins and analysts only. Honeypot and sensor addresses, client addresses, reserved addresses and benign domains are never published; a re-publish versions, never duplicates.',
      body: HoneypotShareBody,
      response: { 200: HoneypotShareAnswer },
    },
  }),
};

export type HoneypotShareAnswer = z.output<typeof HoneypotShareAnswer>;
