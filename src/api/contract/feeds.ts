/**
 * The TAXII client through a running server (`sakimori taxii pull|push` beside it) and the feeds
 * it keeps: platform admins only, since a pull writes into a collection whatever the remote
 * holds and a push sends the hub's objects out. The remote's credentials travel in the body and
 * are never stored.
 */
import { z } from 'zod';
import { defineRoute, fileAnswer } from './define.js';
import { bodyNumber, bodyText } from './body-values.js';

const remoteCredentials = {
  user: bodyText(z.string().min(1).max(200)).optional().describe('HTTP Basic user at the remote (with password)'),
  password: bodyText(z.string().max(1000)).optional(),
  token: bodyText(z.string().min(1).max(4000)).optional().describe('a Bearer token for the remote (instead of user and password)'),
};

export const Feed = z.object({
  id: z.string(),
  apiRoot: z.string(),
  remoteCollection: z.string(),
  localCollection: z.string(),
  addedAfter: z.string().nullable().describe("the remote's X-TAXII-Date-Added-Last of the last complete read"),
  next: z.string().nullable().describe('the remote cursor of a paged read under way'),
  pages: z.number(),
  objectsReceived: z.number(),
  objectsFailed: z.number(),
  createdAt: z.string(),
  lastPullAt: z.string().nullable(),
  lastError: z.string().nullable(),
});

const Failure = z.object({ id: z.string(), message: z.string() });

export const PushRunSummary = z.object({
  apiRoot: z.string(),
  considered: z.number().describe('newest versions in the local collection'),
  withheld: z.record(z.string(), z.number()).describe('objects the sharing policy kept from the remote, by reason'),
  envelopes: z.number(),
  sent: z.number(),
  succeeded: z.number(),
  failed: z.number(),
  pending: z.number(),
  failures: z.array(Failure),
});

export const FEEDS = {
  list: defineRoute({
    method: 'GET', url: '/share/feeds', errors: ['FORBIDDEN'],
    schema: { tags: ['share'], summary: 'The remote collections pulled into this hub, with their cursors and counts', response: { 200: z.object({ feeds: z.array(Feed) }) } },
  }),
  pull: defineRoute({
    method: 'POST', url: '/share/feeds/pull', errors: ['FORBIDDEN', 'NOT_FOUND', 'BAD_REQUEST', 'TAXII_REMOTE_FAILED'],
    schema: {
      tags: ['share'], summary: 'Pull a remote TAXII 2.1 collection into a local one, resuming where the last pull stopped',
      description: 'The answer is JSON lines: {"page": {page, objects, received, failed}} per stored page, then {"result": {…}} or {"error": {code, message}}.',
      body: z.object({
        url: bodyText(z.string().url().max(2000)).describe("the remote's discovery URL or API root"),
        collection: bodyText(z.string().min(1).max(200)).describe('the remote collection id'),
        into: bodyText(z.string().min(1).max(200)).describe('the local collection (id or alias)'),
        limit: bodyNumber(z.number().int().min(1).max(10_000)).optional().describe('objects per page asked of the remote (default 1,000)'),
        ...remoteCredentials,
      }),
      produces: ['application/x-ndjson'],
      response: { 200: fileAnswer('JSON lines: pages, then the result or an error') },
    },
  }),
  push: defineRoute({
    method: 'POST', url: '/share/feeds/push', errors: ['FORBIDDEN', 'NOT_FOUND', 'BAD_REQUEST', 'TAXII_REMOTE_FAILED'],
    schema: {
      tags: ['share'], summary: "Push the newest versions of a local collection's objects that the policy lets the remote receive",
      body: z.object({
        url: bodyText(z.string().url().max(2000)),
        collection: bodyText(z.string().min(1).max(200)).describe('the remote collection id'),
        from: bodyText(z.string().min(1).max(200)).describe('the local collection (id or alias)'),
        to: bodyText(z.string().min(1).max(200)).optional().describe('the organisation (id or name) that runs the remote: the policy decides as for its members; without it only TLP:CLEAR leaves'),
        ...remoteCredentials,
      }),
      response: { 200: PushRunSummary },
    },
  }),
};

export type Feed = z.output<typeof Feed>;
export type PushRunSummary = z.output<typeof PushRunSummary>;
