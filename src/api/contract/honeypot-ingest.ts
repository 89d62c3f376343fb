/**
 * Ingest of honeypot logs named by their paths on the server's machine, as `sakimori ingest
 * honeypot` runs it beside a running server: only the data directory's owner, through the
 * server's socket, may make the server read its local files.
 */
import { z } from 'zod';
import { defineRoute, fileAnswer } from './define.js';
import { bodyList, bodyNumber, bodyText } from './body-values.js';
import { HONEYPOT_FORMATS } from './honeypot.js';

export const HONEYPOT_INGEST = {
  ingest: defineRoute({
    method: 'POST', url: '/ingest/honeypot', errors: ['FORBIDDEN'],
    schema: {
      tags: ['honeypot'], summary: 'Ingest local honeypot logs (Cowrie JSON, Dionaea JSON or SQLite, Conpot JSON; the data directory\'s owner, through the server\'s socket, only), with progress as it goes',
      description: 'The answer is JSON lines: {"progress": {file, bytes, size, records}} while it runs, then {"result": …} or {"error": {code, message}}.',
      body: z.object({
        files: bodyList(z.array(bodyText(z.string().min(1).max(4096))).min(1).max(10_000)).describe('absolute paths'),
        format: z.enum(HONEYPOT_FORMATS).optional().describe('default: by content'),
        batchSize: bodyNumber(z.number().int().min(1).max(10_000_000)).optional().describe('events per batch; default 50,000'),
      }),
      produces: ['application/x-ndjson'],
      response: { 200: fileAnswer('JSON lines: progress, then the result or an error') },
    },
  }),
};
