import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { ingestDarknetRun, type IngestProgress } from '../app/darknet-ingest-run.js';
import { INGEST } from './contract/ingest.js';
import { serveRoute } from './serve-route.js';
import { localFileRun } from './local-file-run.js';

/** Darknet captures on the server's machine, ingested by the server that holds the stores: its owner only (`sakimori ingest darknet` beside it). */
export const ingestRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  serveRoute(app, INGEST.darknet, async (req, reply) =>
    localFileRun<IngestProgress>(req, reply, 'darknet ingest', req.body.files, (onProgress) => ingestDarknetRun(ctx, req.body.files, {
      sensor: req.body.sensor ?? ctx.config.sensor,
      batchSize: req.body.batchSize ?? ctx.config.darknet.batchSize,
      onProgress,
    })));
};
