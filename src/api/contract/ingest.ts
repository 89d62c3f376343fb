/**
 * Ingest of darknet captures named by their paths on the server's machine, as `sakimori ingest
 * darknet` runs it beside a running server: only the data directory's owner, through the server's
 * socket, may make the server read its local files.
 */
import { z } from 'zod';
import { defineRoute, fileAnswer } from './define.js';
import { bodyList, bodyNumber, bodyText } from './body-values.js';

export const INGEST = {
  darknet: defineRoute({
    method: 'POST', url: '/ingest/darknet', errors: ['FORBIDDEN'],
    schema: {
      tags: ['darknet'], summary: 'Ingest local pcap/pcapng captures (the data directory\'s owner, through the server\'s socket, only), with progress as it goes',
      description: 'The answer is JSON lines: {"progress": {file, bytes, size, packets}} while it runs, then {"result": {seconds, files, dailyReports}} or {"error": {code, message}}. Any principal but the socket\'s owner gets FORBIDDEN.',
      body: z.object({
        files: bodyList(z.array(bodyText(z.string().min(1).max(4096))).min(1).max(10_000)).describe('absolute paths'),
        sensor: bodyText(z.string().min(1).max(100)).optional().describe('the sensor that captured the files; default: the configured sensor'),
        batchSize: bodyNumber(z.number().int().min(1).max(10_000_000)).optional().describe('packets per batch; default: darknet.batchSize'),
      }),
      produces: ['application/x-ndjson'],
      response: { 200: fileAnswer('JSON lines: progress, then the result or an error') },
    },
  }),
};
