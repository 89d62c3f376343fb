/** The honeypots' indicators into the hub (issue 18, item 5): POST /honeypot/share, the remote half of `sakimori share honeypot`. */
import { z } from 'zod';
import { PublishAnswer } from './share-indicators.js';
import { defineRoute } from './define.js';
import { IsoTime } from './common.js';

const TLP_NAMES = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;

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
  // What a publish did, worded once with the darknet's publish.
  objects: PublishAnswer.shape.objects,
  stored: PublishAnswer.shape.stored,
  failures: PublishAnswer.shape.failures,
  sample: PublishAnswer.shape.sample,
  recipients: PublishAnswer.shape.recipients,
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
