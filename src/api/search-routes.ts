import { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { access } from './auth-plugin.js';
import { search } from '../search/search.js';
import { exportSearch } from '../search/export.js';
import { SEARCH_FIELDS } from '../search/fields.js';
import { queryTimer } from './api-metrics.js';
import { SEARCH } from './contract/search.js';
import { serveRoute } from './serve-route.js';

/** Search over the current services; every principal sees only its constituency (need-to-know). */
export const searchRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  const timed = queryTimer(ctx.metrics);
  serveRoute(app, SEARCH.search, async (req) => {
    const { restriction } = access(req);
    const q = req.query;
    return timed('search', () => search(ctx.events, {
      query: q.q ?? '', restriction, limit: q.limit, offset: q.offset, facetSize: q.facetSize, sort: q.sort,
      facets: (q.facets ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    }));
  });

  serveRoute(app, SEARCH.export, async (req, reply) => {
    const { restriction } = access(req);
    const { format } = req.query;
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

  serveRoute(app, SEARCH.fields, async () =>
    SEARCH_FIELDS.map((f) => ({ name: f.name, aliases: f.aliases ?? [], kind: f.kind, facetable: f.facetable, doc: f.doc, docJa: f.docJa, examples: [...f.examples] })));
};
