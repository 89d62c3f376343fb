/**
 * The hub's objects as the console and REST clients browse them: a collection's objects the
 * principal may receive (the sharing policy decides each one; what is shown is written to the
 * egress audit), and one object with its versions.
 */
import { z } from 'zod';
import { defineRoute } from './define.js';
import { queryInt } from './common.js';

const TlpLevel = z.enum(['clear', 'green', 'amber', 'amber+strict', 'red']).nullable().describe('the strictest TLP marking; null: unmarked (treated as AMBER)');

export const ShareObjectSummary = z.object({
  id: z.string(),
  type: z.string(),
  version: z.string(),
  dateAdded: z.string(),
  tlp: TlpLevel,
  label: z.string().describe('the name, value or pattern that says what it is'),
  revoked: z.boolean(),
  ownerOrgId: z.string().nullable(),
});

export const ShareObjectDetail = z.object({
  collection: z.string(),
  id: z.string(),
  versions: z.array(z.object({ version: z.string(), dateAdded: z.string(), tlp: TlpLevel })).describe('the versions this principal may receive, oldest first'),
  object: z.unknown().describe('the newest of them, exactly as posted'),
});

export const SHARE_OBJECTS = {
  list: defineRoute({
    method: 'GET', url: '/share/objects', errors: ['NOT_FOUND'],
    schema: {
      tags: ['share'], summary: "A collection's objects this principal may receive, newest versions, in the order they were added",
      querystring: z.object({
        collection: z.string().min(1).max(200).describe('collection id or alias'),
        type: z.string().min(1).max(100).optional().describe('only this STIX type'),
        after: z.string().max(40).optional().describe('the `next` of the previous page'),
        limit: queryInt(1, 500).default(50),
      }),
      response: { 200: z.object({ objects: z.array(ShareObjectSummary), next: z.string().nullable() }) },
    },
  }),
  one: defineRoute({
    method: 'GET', url: '/share/objects/:id', errors: ['NOT_FOUND'],
    schema: {
      tags: ['share'], summary: 'One object of a collection with the versions this principal may receive',
      params: z.object({ id: z.string().min(3).max(200) }),
      querystring: z.object({ collection: z.string().min(1).max(200) }),
      response: { 200: ShareObjectDetail },
    },
  }),
};

export type ShareObjectSummary = z.output<typeof ShareObjectSummary>;
export type ShareObjectDetail = z.output<typeof ShareObjectDetail>;
