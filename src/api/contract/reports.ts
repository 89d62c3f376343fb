/** The periodic observation report, for those who see every organisation. */
import { z } from 'zod';
import { defineRoute } from './define.js';
import { WindowQuery } from './common.js';

/** A binary answer (the PDF): sent as it is, never serialised. */
const ReportPdf = z.custom<Uint8Array>((v) => v instanceof Uint8Array).meta({ type: 'string', format: 'binary', description: 'the PDF (attachment)' });

export const REPORTS = {
  observation: defineRoute({
    method: 'GET', url: '/reports/observation', errors: ['FORBIDDEN', 'BAD_TIME', 'QUERY_LIMIT_EXCEEDED'],
    schema: {
      tags: ['reports'],
      summary: 'Observation report (darknet, exposure, notices and their effect) as HTML or PDF, Japanese or English',
      description: 'Not for organisation roles (FORBIDDEN): it describes every organisation\'s data. format=pdf needs Chromium on the server (BAD_REQUEST without it).',
      querystring: WindowQuery.extend({
        lang: z.enum(['ja', 'en']).optional().describe('default: ja'),
        format: z.enum(['html', 'pdf']).optional().describe('default: html'),
      }),
      produces: ['text/html', 'application/pdf'],
      response: { 200: z.union([z.string().describe('the HTML page'), ReportPdf]) },
    },
  }),
};
