/** Survey output imports: the file is the request body (streamed). Platform admins and analysts only. */
import { z } from 'zod';
import { defineRoute } from './define.js';

/** The import formats (imports/types.ts, IMPORT_FORMATS; import-routes.ts checks both lists are the same). */
export const IMPORT_FORMAT_NAMES = ['zmap', 'masscan', 'zgrab2', 'nmap'] as const;
export const ImportFormatName = z.enum(IMPORT_FORMAT_NAMES);

export const ImportQuery = z.object({
  port: z.string().regex(/^[0-9]{1,5}$/).optional().describe('port of records that carry none (ZMap without sport, ZGrab2 results without port); 0–65535'),
  transport: z.enum(['tcp', 'udp']).optional().describe('transport of records that do not say; default: tcp'),
  includeClosed: z.enum(['true', 'false', '1', '0']).optional().describe('store closed ports too; default: open ports only'),
  fields: z.string().max(2000).optional().describe('ZMap: the field names, comma-separated, when the file has no header row'),
  name: z.string().max(500).optional().describe('name of the input in the summary; default: request body'),
});

export const ImportSummary = z.object({
  importId: z.string().describe('the run_id of the rows'),
  format: ImportFormatName,
  input: z.string(),
  gzip: z.boolean(),
  bytes: z.number().describe('bytes read, after decompression'),
  lines: z.number(),
  records: z.number().describe('input records read (data lines, hosts), well-formed or not'),
  services: z.number().describe('rows handed to the store'),
  stored: z.number().describe('rows of this import now in the store (fewer than services when the same input was imported before)'),
  alreadyImported: z.number().describe('rows not stored again because the same input had been imported before'),
  batches: z.number(),
  skipped: z.record(z.string(), z.number()).describe('records well-formed but not stored, by reason (closed port, duplicate …)'),
  errors: z.number().describe('malformed records'),
  firstErrors: z.array(z.object({ line: z.number(), message: z.string() })).describe('the first problems, with their line numbers'),
  inputError: z.string().optional().describe('the input could not be read to its end (cut gzip, read error): where and why'),
  seconds: z.number(),
});

export const IMPORTS = {
  import: defineRoute({
    method: 'POST', url: '/imports/:format', errors: ['FORBIDDEN', 'IMPORT_BAD_FORMAT'],
    schema: {
      tags: ['survey'],
      summary: `Import a survey output (${IMPORT_FORMAT_NAMES.join(', ')}) sent as the request body; returns records, services stored, errors with line numbers`,
      description: 'The body is the file itself, any content type, streamed (no size limit); gzip is recognised by its magic bytes. Refused with IMPORT_BAD_FORMAT when no record could be read.',
      params: z.object({ format: ImportFormatName }),
      querystring: ImportQuery,
      consumes: ['application/octet-stream', 'application/gzip', 'text/plain', 'text/csv', 'application/json', 'application/xml'],
      response: { 200: ImportSummary },
    },
  }),
};

export type ImportFormatName = z.output<typeof ImportFormatName>;
export type ImportQuery = z.output<typeof ImportQuery>;
export type ImportSummary = z.output<typeof ImportSummary>;
