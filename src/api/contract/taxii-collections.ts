/** The sharing hub's TAXII collections, managed through the REST API (the TAXII server itself is at /taxii2/). */
import { z } from 'zod';
import { defineRoute } from './define.js';
import { IsoTime } from './common.js';
import { bodyList, bodyText } from './body-values.js';

export const ShareCollection = z.object({
  id: z.string().describe('UUID, the collection id of the TAXII server'),
  title: z.string(),
  description: z.string(),
  alias: z.string().nullable(),
  createdAt: IsoTime,
  createdBy: z.string().describe('id of the user that created it'),
  read: z.array(z.string()).describe('ids of the organisations that read it (the audience of its objects)'),
  write: z.array(z.string()).describe('ids of the organisations that write it'),
  canRead: z.boolean().describe('whether the caller may read it'),
  canWrite: z.boolean().describe('whether the caller may write it'),
});

const orgs = (what: string) => bodyList(z.array(bodyText().pipe(z.string().min(1).max(200))).max(1000)).optional().describe(what);

export const TAXII_COLLECTIONS = {
  list: defineRoute({
    method: 'GET', url: '/share/collections', errors: [],
    schema: { tags: ['sharing'], summary: 'TAXII collections the caller may read or write', response: { 200: z.array(ShareCollection) } },
  }),
  create: defineRoute({
    method: 'POST', url: '/share/collections', errors: ['FORBIDDEN', 'NOT_FOUND'],
    schema: {
      tags: ['sharing'], summary: 'Create a TAXII collection (admin)',
      body: z.object({
        title: bodyText().describe('1–200 characters'),
        description: bodyText().optional(),
        alias: bodyText().optional().describe('a-z 0-9 . _ -, at most 64; unique'),
        read: orgs('organisations (id or name) that read it'),
        write: orgs('organisations (id or name) that write it'),
      }),
      response: { 201: ShareCollection },
    },
  }),
};
