import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { honeypotIngestRun } from '../honeypot/ingest/honeypot-ingest-run.js';
import type { HoneypotIngestProgress } from '../honeypot/ingest/honeypot-ingest.js';
import { localFileRun } from './local-file-run.js';
import { HONEYPOT_INGEST } from './contract/honeypot-ingest.js';
import { serveRoute } from './serve-route.js';

/** `sakimori ingest honeypot` beside a running server: the socket's owner names local files. */
export const honeypotIngestRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  serveRoute(app, HONEYPOT_INGEST.ingest, async (req, reply) => {
    const b = req.body;
    return localFileRun<HoneypotIngestProgress>(req, reply, 'honeypot ingest', b.files, (onProgress) => honeypotIngestRun(ctx, b.files, {
      ...(b.format ? { format: b.format } : {}),
      ...(b.batchSize ? { batchSize: b.batchSize } : {}),
      onProgress,
    }));
  });
};
