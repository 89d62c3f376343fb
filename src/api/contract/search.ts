/** Search over the current services (the latest observation per ip/port/transport), its export and its fields. */
import { z } from 'zod';
import { defineRoute, fileAnswer } from './define.js';
import { queryInt } from './common.js';

/** The bounds of search/search.ts (MAX_PAGE, MAX_OFFSET, MAX_FACET_SIZE), copied: this folder imports nothing from the server; search.test.ts in this folder checks they agree. */
export const SEARCH_MAX_PAGE = 1000;
export const SEARCH_MAX_OFFSET = 100_000;
export const SEARCH_MAX_FACET_SIZE = 100;
/** The orders of search/search.ts (SEARCH_SORTS), copied for the same reason. */
export const SEARCH_SORTS = ['ip', 'port', 'last_seen'] as const;

const QUERY_DOC = 'query: field:value, "phrases", AND / OR / NOT, parentheses, ip:203.0.113.0/24, port:[1 TO 1024], port>1000, wildcards (product:Open*), free text; see GET /search/fields';

export const SearchHit = z.object({
  ip: z.string(),
  port: z.number(),
  transport: z.string().describe('tcp or udp'),
  service: z.string(),
  lastSeen: z.string().describe('ISO 8601 time (UTC, whole seconds) of the latest observation'),
  product: z.string(),
  vendor: z.string(),
  version: z.string(),
  device: z.string().describe('vendor, product and version as one name, the vendor not repeated (BusyBox telnetd 1.19.4)'),
  deviceType: z.string(),
  banner: z.string().describe('the first 512 characters of the banner (the host page and exports carry it whole)'),
  httpStatus: z.number().describe('0: none'),
  httpTitle: z.string(),
  tlsSubject: z.string(),
  sshIdent: z.string(),
  cves: z.array(z.string()),
  tags: z.array(z.string()),
  weakCredential: z.boolean(),
  noAuth: z.boolean(),
  asn: z.number().describe('0: unknown'),
  org: z.string(),
  country: z.string(),
});

export const SearchFacetValue = z.object({ value: z.string(), count: z.number() });

export const SearchResult = z.object({
  query: z.string(),
  total: z.number().describe('services matching the query'),
  limit: z.number(),
  offset: z.number(),
  sort: z.enum(SEARCH_SORTS),
  hits: z.array(SearchHit).describe('in the order of sort: ip (ip, port, transport), port (then ip, transport) or last_seen (newest first, then ip, port, transport)'),
  facets: z.record(z.string(), z.array(SearchFacetValue)).describe('per requested facet (by its field name): the most frequent values, most first'),
  tookMs: z.number().describe('milliseconds'),
});

export const SearchField = z.object({
  name: z.string(),
  aliases: z.array(z.string()),
  kind: z.enum(['ip', 'uint', 'keyword', 'version', 'text', 'array', 'bool', 'time']).describe('how a value applies'),
  facetable: z.boolean().describe('whether results can be faceted by it'),
  doc: z.string(),
  docJa: z.string().describe('doc in Japanese'),
  examples: z.array(z.string()).describe('queries that use the field'),
});

export const SEARCH = {
  search: defineRoute({
    method: 'GET', url: '/search', errors: ['QUERY_PARSE', 'QUERY_UNKNOWN_FIELD', 'QUERY_LIMIT_EXCEEDED'],
    schema: {
      tags: ['search'],
      summary: 'Search services: hits (latest observation per ip/port/transport), total and facets',
      querystring: z.object({
        q: z.string().optional().describe(QUERY_DOC),
        limit: queryInt(0, SEARCH_MAX_PAGE).default(50),
        offset: queryInt(0, SEARCH_MAX_OFFSET).default(0),
        facets: z.string().optional().describe('comma-separated fields to count the result by (country,port,product)'),
        facetSize: queryInt(1, SEARCH_MAX_FACET_SIZE).default(10),
        sort: z.enum(SEARCH_SORTS).default('ip').describe('order of the hits: ip (address, port, transport), port, or last_seen (newest first); ties by address, port, transport'),
      }),
      response: { 200: SearchResult },
    },
  }),
  export: defineRoute({
    method: 'GET', url: '/search/export', errors: ['QUERY_PARSE', 'QUERY_UNKNOWN_FIELD', 'QUERY_LIMIT_EXCEEDED'],
    schema: {
      tags: ['search'],
      summary: 'Export the whole result, every service column, as JSON lines or CSV (streamed)',
      querystring: z.object({
        q: z.string().optional().describe(QUERY_DOC),
        format: z.enum(['jsonl', 'csv']).default('jsonl'),
        max: z.coerce.number().int().min(1).optional().describe('stop after this many rows'),
      }),
      produces: ['application/x-ndjson', 'text/csv'],
      response: { 200: fileAnswer('JSON lines (one object per service, every column) or CSV with a header row') },
    },
  }),
  fields: defineRoute({
    method: 'GET', url: '/search/fields', errors: [],
    schema: {
      tags: ['search'],
      summary: 'The search fields: name, aliases, kind, whether it can be a facet, what it means (English and Japanese) and example queries',
      response: { 200: z.array(SearchField) },
    },
  }),
};

export type SearchHit = z.output<typeof SearchHit>;
export type SearchFacetValue = z.output<typeof SearchFacetValue>;
export type SearchResult = z.output<typeof SearchResult>;
export type SearchField = z.output<typeof SearchField>;
