/** The periodic observation report, for those who see every organisation. */
import { z } from 'zod';
import { defineRoute, fileAnswer } from './define.js';
import { WindowQuery } from './common.js';

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
      response: { 200: fileAnswer('the HTML page, or the PDF as an attachment') },
    },
  }),
};
