/**
 * Abuse contacts from RIR databases and CSV, as `sakimori contacts import` runs them beside a
 * running server. The files are named by their paths on the server's machine, so only the data
 * directory's owner (through the server's socket) may import them: nobody else may make the server
 * read its local files.
 */
import { z } from 'zod';
import { defineRoute } from './define.js';
import { bodyList, bodyText } from './body-values.js';

export const ContactsImportSummary = z.object({
  source: z.string().describe('the source whose rows the import replaced (RIPE, APNIC, JPNIC…)'),
  format: z.enum(['rpsl', 'csv']),
  files: z.array(z.string()),
  objects: z.number(),
  resources: z.number().describe('address blocks and ASes'),
  stored: z.number().describe('contact rows stored'),
  withoutContact: z.number().describe('resources without an abuse contact'),
  badLines: z.number(),
  firstBad: z.array(z.object({ file: z.string(), line: z.number(), reason: z.string(), text: z.string().optional() })),
});

export const AbuseContact = z.object({
  email: z.string(),
  resource: z.string().describe('the RIR object the contact came from'),
  prefix: z.string().nullable(),
  asn: z.number().nullable(),
  via: z.string().describe('how the contact was found (abuse-c, abuse-mailbox, CSV…)'),
  source: z.string(),
  name: z.string(),
  country: z.string(),
});

export const CONTACTS = {
  lookup: defineRoute({
    method: 'GET', url: '/contacts/lookup', errors: ['FORBIDDEN', 'NOT_FOUND', 'BAD_IP'],
    schema: {
      tags: ['organisations'], summary: 'The abuse contact for an address (most specific block) or an AS (platform admins and analysts)',
      querystring: z.object({ what: z.string().min(1).max(100).describe('an IP address or an AS number (AS64500)') }),
      response: { 200: AbuseContact },
    },
  }),
  importFiles: defineRoute({
    method: 'POST', url: '/contacts/imports', errors: ['FORBIDDEN', 'NOT_FOUND'],
    schema: {
      tags: ['organisations'], summary: 'Import abuse contacts from local RPSL dumps or CSV files (the data directory\'s owner, through the server\'s socket, only)',
      description: 'Replaces the rows of the same source. The paths are absolute paths on the server\'s machine; any other principal gets FORBIDDEN.',
      body: z.object({
        files: bodyList(z.array(bodyText(z.string().min(1).max(4096))).min(1).max(100)).describe('absolute paths'),
        format: bodyText(z.enum(['rpsl', 'csv'])).optional().describe('default: csv when every file is *.csv, else rpsl'),
        source: bodyText(z.string().max(64)).optional().describe('default: the objects\' source:'),
      }),
      response: { 200: ContactsImportSummary },
    },
  }),
};

export type AbuseContact = z.output<typeof AbuseContact>;
export type ContactsImportSummary = z.output<typeof ContactsImportSummary>;
