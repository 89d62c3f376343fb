import { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { access } from './auth-plugin.js';
import { search, MAX_PAGE, MAX_OFFSET } from '../search/search.js';
import { exportSearch, type ExportFormat } from '../search/export.js';
import { SEARCH_FIELDS } from '../search/fields.js';
import { queryTimer } from './api-metrics.js';

interface SearchQuery { q?: string; limit?: number; offset?: number; facets?: string; facetSize?: number }
interface ExportQuery { q?: string; format?: ExportFormat; max?: number }

const QUERY_DOC = 'query: field:value, "phrases", AND / OR / NOT, parentheses, ip:203.0.113.0/24, port:[1 TO 1024], port>1000, wildcards (product:Open*), free text; see GET /search/fields';

/** Search over the current services; every principal sees only its constituency (need-to-know). */
export const searchRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  const timed = queryTimer(ctx.metrics);
  app.get<{ Querystring: SearchQuery }>('/search', {
    schema: {
      tags: ['search'],
      summary: 'Search services: hits (latest observation per ip/port/transport), total and facets',
      querystring: {
        type: 'object',
        properties: {
          q: { type: 'string', description: QUERY_DOC },
          limit: { type: 'integer', minimum: 0, maximum: MAX_PAGE, default: 50 },
          offset: { type: 'integer', minimum: 0, maximum: MAX_OFFSET, default: 0 },
          facets: { type: 'string', description: 'comma-separated fields to count the result by (country,port,product)' },
          facetSize: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
        },
      },
    },
  }, async (req) => {
    const { restriction } = access(req);
    const q = req.query;
    return timed('search', () => search(ctx.events, {
      query: q.q ?? '', restriction,
      ...(q.limit !== undefined ? { limit: q.limit } : {}),
      ...(q.offset !== undefined ? { offset: q.offset } : {}),
      ...(q.facetSize !== undefined ? { facetSize: q.facetSize } : {}),
      facets: (q.facets ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    }));
  });

  app.get<{ Querystring: ExportQuery }>('/search/export', {
    schema: {
      tags: ['search'],
      summary: 'Export the whole result, every service column, as JSON lines or CSV (streamed)',
      querystring: {
        type: 'object',
        properties: {
          q: { type: 'string', description: QUERY_DOC },
          format: { type: 'string', enum: ['jsonl', 'csv'], default: 'jsonl' },
          max: { type: 'integer', minimum: 1, description: 'stop after this many rows' },
        },
      },
    },
  }, async (req, reply) => {
    const { restriction } = access(req);
    const format = req.query.format ?? 'jsonl';
    const chunks = exportSearch(ctx.events, { query: req.query.q ?? '', restriction, format, ...(req.query.max ? { max: req.query.max } : {}) });
    // The first chunk is read before the headers go out, so a query that does not parse is a 400.
    const first = await chunks.next();
    const rest = async function* (): AsyncGenerator<string> {
      if (!first.done) yield first.value;
      yield* chunks;
    };
    const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '');
    return reply
      .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
      .header('content-disposition', `attachment; filename="sakimori-search-${stamp}.${format === 'csv' ? 'csv' : 'jsonl'}"`)
      .send(Readable.from(rest()));
  });

  app.get('/search/fields', { schema: { tags: ['search'], summary: 'The search fields: name, aliases, kind, whether it can be a facet, and what it means' } }, async () =>
    SEARCH_FIELDS.map((f) => ({ name: f.name, aliases: f.aliases ?? [], kind: f.kind, facetable: f.facetable, doc: f.doc })));
};
