/**
 * Local vulnerability feeds: what is imported and the CVEs they attach to CPE names, for every
 * signed-in principal (the feeds are public catalogues); importing a feed (the file as the body)
 * for platform admins and analysts.
 */
import { z } from 'zod';
import { defineRoute } from './define.js';
import { IsoTime } from './common.js';

/** The feed formats (vulns/import.ts, VulnFormat; vuln-routes.ts checks both are the same). */
export const VULN_FORMAT_NAMES = ['kev', 'nvd'] as const;
export const VulnFormatName = z.enum(VULN_FORMAT_NAMES);

export const VulnFeedInfo = z.object({
  feed: z.string().describe('kev, or the NVD feed name'),
  format: VulnFormatName,
  file: z.string().describe('the input\'s name as imported'),
  importedAt: IsoTime,
  records: z.number().describe('records read from the file (good and bad)'),
  skipped: z.number().describe('bad records, skipped'),
  complete: z.boolean().describe('the file was read to its end'),
  catalogVersion: z.string().describe('the catalogue version or timestamp the file states; empty: none'),
});

export const VulnFeeds = z.object({ feeds: z.array(VulnFeedInfo) });

const Cpe = z.string().max(500);
export const VulnMatchQuery = z.object({
  cpe: z.union([Cpe, z.array(Cpe).max(50)]).describe('CPE 2.3 names or 2.2 URIs (repeat the parameter, at most 50)'),
});

export const CveMatch = z.object({ id: z.string().describe('CVE id'), kev: z.boolean().describe('in the CISA Known Exploited Vulnerabilities catalogue') });
export const VulnMatch = z.object({
  cpes: z.array(z.string()),
  cves: z.array(CveMatch).describe('sorted by id, distinct'),
});

export const VulnImportIssue = z.object({
  record: z.number().describe('0-based index in the vulnerabilities array'),
  id: z.string().optional().describe('CVE id, when the record has one'),
  message: z.string(),
});

export const VulnImportSummary = z.object({
  file: z.string(),
  format: VulnFormatName,
  feed: z.string(),
  catalogVersion: z.string(),
  records: z.number().describe('records read from the array (good and bad)'),
  imported: z.number().describe('KEV entries or CVEs written'),
  cpeMatches: z.number().describe('CPE match criteria written (NVD)'),
  rejected: z.number().describe('NVD records with status Rejected (not stored; an earlier copy is removed)'),
  skipped: z.number().describe('bad records, skipped'),
  complete: z.boolean().describe('the file was read to its end and its structure closed'),
  removed: z.number().describe('rows of earlier imports of the feed that this (complete) file no longer holds'),
  issues: z.array(VulnImportIssue).describe('the first bad records (all are counted in skipped)'),
  error: z.string().optional().describe('why the file is not complete, naming the record'),
  elapsedMs: z.number(),
});

export const VULNS = {
  feeds: defineRoute({
    method: 'GET', url: '/vulns/feeds', errors: [],
    schema: {
      tags: ['survey'], summary: 'Vulnerability feeds imported (feed, format, file, time, records, skipped, complete, catalogue version)',
      response: { 200: VulnFeeds },
    },
  }),
  match: defineRoute({
    method: 'GET', url: '/vulns/match', errors: [],
    schema: {
      tags: ['survey'], summary: 'The CVEs the imported feeds attach to CPE names (2.3 or 2.2 URI), KEV entries marked',
      querystring: VulnMatchQuery,
      response: { 200: VulnMatch },
    },
  }),
  importFeed: defineRoute({
    method: 'POST', url: '/vulns/feeds/:format', errors: ['FORBIDDEN', 'VULN_FEED_INVALID'],
    schema: {
      tags: ['survey'],
      summary: 'Import a CISA KEV catalogue or an NVD CVE JSON 2.0 file sent as the body; an NVD feed replaces the records of the same feed name',
      description: 'The body is the feed file itself, any content type, plain or gzip (recognised by its magic bytes).',
      params: z.object({ format: VulnFormatName }),
      querystring: z.object({
        feed: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).optional().describe('NVD: the feed these records replace; default: the name without .json or .gz (nvd)'),
        name: z.string().max(500).optional().describe('the input\'s name as recorded; default: the feed\'s usual file name'),
      }),
      consumes: ['application/octet-stream', 'application/gzip', 'application/json'],
      response: { 200: VulnImportSummary },
    },
  }),
};

export type VulnFormatName = z.output<typeof VulnFormatName>;
export type VulnFeedInfo = z.output<typeof VulnFeedInfo>;
export type VulnFeeds = z.output<typeof VulnFeeds>;
export type CveMatch = z.output<typeof CveMatch>;
export type VulnMatch = z.output<typeof VulnMatch>;
export type VulnImportIssue = z.output<typeof VulnImportIssue>;
export type VulnImportSummary = z.output<typeof VulnImportSummary>;
