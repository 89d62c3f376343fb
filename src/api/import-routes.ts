import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { SakimoriError } from '../errors.js';
import { seesEverything } from '../auth/principal.js';
import { access } from './auth-plugin.js';
import { importStream } from '../imports/import-file.js';
import { IMPORT_FORMATS, isImportFormat } from '../imports/types.js';
import { parseOptionsFrom } from '../imports/options.js';

const query = {
  type: 'object',
  properties: {
    port: { type: 'string', pattern: '^[0-9]{1,5}$' },
    transport: { type: 'string', enum: ['tcp', 'udp'] },
    includeClosed: { type: 'string', enum: ['true', 'false', '1', '0'] },
    fields: { type: 'string', maxLength: 2000 },
    name: { type: 'string', maxLength: 500 },
  },
} as const;

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
  app.post<{ Params: { format: string }; Querystring: { port?: string; transport?: string; includeClosed?: string; fields?: string; name?: string } }>('/imports/:format', {
    schema: {
      tags: ['survey'],
      summary: `Import a survey output (${IMPORT_FORMATS.join(', ')}) sent as the request body; returns records, services stored, errors with line numbers`,
      params: { type: 'object', properties: { format: { type: 'string', enum: [...IMPORT_FORMATS] } }, required: ['format'] },
      querystring: query,
    },
  }, async (req) => {
    const format = req.params.format;
    if (!isImportFormat(format)) throw new SakimoriError('BAD_REQUEST', `unknown format ${format}`);
    const body = req.body as AsyncIterable<Uint8Array> | undefined;
    if (!body || typeof (body as Partial<AsyncIterable<Uint8Array>>)[Symbol.asyncIterator] !== 'function') throw new SakimoriError('BAD_REQUEST', 'the request body is the file to import');
    const summary = await importStream({ events: ctx.events, enricher: ctx.enricher }, body, {
      ...parseOptionsFrom(req.query), format, name: req.query.name ?? 'request body',
    });
    if (summary.records === 0 && summary.errors > 0) {
      throw new SakimoriError('IMPORT_BAD_FORMAT', `${summary.firstErrors[0]?.message ?? ''}`.slice(0, 300), { format, line: summary.firstErrors[0]?.line ?? 0 });
    }
    return summary;
  });
};
