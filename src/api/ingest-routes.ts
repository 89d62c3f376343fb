import type { FastifyPluginAsync } from 'fastify';
import { randomUUID } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { PassThrough } from 'node:stream';
import type { AppContext } from '../app/context.js';
import { ingestDarknetRun } from '../app/darknet-ingest-run.js';
import { ERRORS, isSakimoriError, SakimoriError } from '../errors.js';
import { preferredLang } from './accept-language.js';
import { requirePeer } from './auth-plugin.js';
import { INGEST } from './contract/ingest.js';
import { serveRoute } from './serve-route.js';

/** Progress lines at most this often: enough for a bar, little for the socket. */
const PROGRESS_MS = 200;

/** Darknet captures on the server's machine, ingested by the server that holds the stores: its owner only (`sakimori ingest darknet` beside it). */
export const ingestRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  serveRoute(app, INGEST.darknet, async (req, reply) => {
    requirePeer(req, 'darknet ingests');
    const relative = req.body.files.find((f) => !isAbsolute(f));
    if (relative) throw new SakimoriError('BAD_REQUEST', `files: not an absolute path: ${relative}`, { field: 'files' });
    const lang = preferredLang(req.headers['accept-language']);
    const lines = new PassThrough();
    const send = (o: unknown): void => { lines.write(`${JSON.stringify(o)}\n`); };
    let last = 0;
    // The headers go out now and progress follows; an error after that can only be a line.
    void ingestDarknetRun(ctx, req.body.files, {
      sensor: req.body.sensor ?? ctx.config.sensor,
      batchSize: req.body.batchSize ?? ctx.config.darknet.batchSize,
      onProgress: (p) => { if (Date.now() - last >= PROGRESS_MS) { last = Date.now(); send({ progress: p }); } },
    }).then((result) => send({ result }), (e: unknown) => {
      if (isSakimoriError(e) && e.status < 500) return send({ error: e.toJSON(lang) });
      const errorId = randomUUID();
      req.log.error({ err: e, errorId }, `darknet ingest failed (error id ${errorId})`);
      send({ error: { code: 'INTERNAL', message: ERRORS.INTERNAL[lang], errorId } });
    }).finally(() => lines.end());
    return reply.header('content-type', 'application/x-ndjson; charset=utf-8').send(lines);
  });
};
