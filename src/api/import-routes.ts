import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { SakimoriError } from '../errors.js';
import { seesEverything } from '../auth/principal.js';
import { access } from './auth-plugin.js';
import { importStream } from '../imports/import-file.js';
import type { ImportFormat } from '../imports/types.js';
import { parseOptionsFrom } from '../imports/options.js';
import { IMPORTS, type ImportFormatName } from './contract/imports.js';
import { serveRoute } from './serve-route.js';

/** The contract's formats are the importer's, no more and no fewer (a compile-time check). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const FORMATS_MATCH: Same<ImportFormat, ImportFormatName> = true;
void FORMATS_MATCH;

function isByteStream(v: unknown): v is AsyncIterable<Uint8Array> {
  return typeof v === 'object' && v !== null && Symbol.asyncIterator in v && typeof v[Symbol.asyncIterator] === 'function';
}

/**
 * POST /imports/:format with the survey output as the body (any content type; gzip recognised by
 * its magic bytes; streamed, so no body size limit applies): the import summary. Platform admins
 * and analysts only — an import writes observations every organisation may see.
 */
export const importRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  // The body is the file itself: hand the request stream to the importer, whatever its type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
  app.addHook('onRequest', async (req) => {
    const { principal } = access(req);
    if (!seesEverything(principal)) throw new SakimoriError('FORBIDDEN', 'imports are for platform admins and analysts', { role: principal.role });
  });
  serveRoute(app, IMPORTS.import, async (req) => {
    const format = req.params.format;
    const body = req.body;
    if (!isByteStream(body)) throw new SakimoriError('BAD_REQUEST', 'the request body is the file to import');
    const summary = await importStream({ events: ctx.events, enricher: ctx.enricher, state: ctx.state }, body, {
      ...parseOptionsFrom(req.query), format, name: req.query.name ?? 'request body',
    });
    if (summary.records === 0 && summary.errors > 0) {
      throw new SakimoriError('IMPORT_BAD_FORMAT', `${summary.firstErrors[0]?.message ?? ''}`.slice(0, 300), { format, line: summary.firstErrors[0]?.line ?? 0 });
    }
    return summary;
  });
};
