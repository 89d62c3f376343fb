/**
 * Flows (issue 17): what was collected and from which exporters, for platform admins and
 * analysts (flows are the operator's, not per-organisation data yet), and the ingest of local
 * flow files by the server that holds the stores (`sakimori ingest flows` beside it).
 */
import { z } from 'zod';
import { defineRoute, fileAnswer } from './define.js';
import { IsoTime, WindowQuery } from './common.js';
import { bodyList, bodyText } from './body-values.js';

export const FLOW_FILE_FORMATS = ['pcap', 'argus', 'zeek', 'nfdump-csv'] as const;

export const FlowReportExporter = z.object({
  address: z.string(),
  domain: z.number().describe('observation domain (IPFIX), source id (v9), engine type << 8 | id (v5), sub-agent (sFlow)'),
  protocols: z.array(z.string()),
  datagrams: z.number().describe('since first heard'),
  records: z.number().describe('records stored in the window'),
  lost: z.number().describe('missing from its sequence since first heard: records (NetFlow v5, IPFIX) or datagrams (NetFlow v9, sFlow)'),
  restarts: z.number().describe('sequence restarts (exporter reboots, counter resets)'),
  samplingRates: z.array(z.number()).describe('1-in-N rates seen'),
  recordsPerSecond: z.number(),
  templates: z.number(),
  lastSeen: IsoTime.nullable(),
});

export const FlowReportBody = z.object({
  from: IsoTime,
  to: IsoTime,
  records: z.number(),
  octets: z.number().describe('as exported (not scaled by sampling)'),
  packets: z.number(),
  reverseOctets: z.number().describe('reverse direction of biflows (RFC 5103, Argus, Zeek), as exported'),
  reversePackets: z.number(),
  scaledOctets: z.number().describe('octets × each record\'s sampling rate'),
  scaledPackets: z.number(),
  exporters: z.array(FlowReportExporter),
  byVersion: z.record(z.string(), z.number()).describe('records per kind: netflow5, netflow9, ipfix, sflow5, argus, zeek, nfdump'),
});

export const FlowExporter = z.object({
  exporter: z.string(),
  domain: z.number(),
  protocol: z.enum(['netflow5', 'netflow9', 'ipfix', 'sflow5']),
  datagrams: z.number(),
  records: z.number(),
  lost: z.number(),
  lostUnit: z.enum(['records', 'datagrams']),
  restarts: z.number(),
  samplingRates: z.array(z.number()),
  recordsPerSecond: z.number(),
  templates: z.number(),
  firstSeen: IsoTime,
  lastSeen: IsoTime,
});

export const FLOWS = {
  report: defineRoute({
    method: 'GET', url: '/flows/report', errors: ['FORBIDDEN', 'BAD_TIME', 'QUERY_LIMIT_EXCEEDED'],
    schema: {
      tags: ['flows'], summary: 'Flow records collected in a window, by kind and exporter (from the hourly aggregates; no raw flow is read)',
      description: 'Platform admins and analysts only. Default window: the 24 hours up to the last hour with flows.',
      querystring: WindowQuery,
      response: { 200: FlowReportBody },
    },
  }),
  exporters: defineRoute({
    method: 'GET', url: '/flows/exporters', errors: ['FORBIDDEN'],
    schema: {
      tags: ['flows'], summary: 'Exporters heard (NetFlow, IPFIX, sFlow) with datagrams, records, loss, sampling rates, records/s and templates',
      description: 'Platform admins and analysts only. Counted since each was first heard, kept across restarts.',
      response: { 200: z.object({ exporters: z.array(FlowExporter) }) },
    },
  }),
  ingest: defineRoute({
    method: 'POST', url: '/ingest/flows', errors: ['FORBIDDEN'],
    schema: {
      tags: ['flows'], summary: 'Ingest local flow files (the data directory\'s owner, through the server\'s socket, only), with progress as it goes',
      description: 'The answer is JSON lines: {"progress": {file, bytes, size, records}} while it runs, then {"result": …} or {"error": {code, message}}.',
      body: z.object({
        files: bodyList(z.array(bodyText(z.string().min(1).max(4096))).min(1).max(10_000)).describe('absolute paths'),
        format: z.enum(FLOW_FILE_FORMATS).optional().describe('default: by content'),
        internal: bodyList(z.array(bodyText(z.string().min(1).max(64))).max(100_000)).optional().describe('internal prefixes (CIDRs) to orient flows'),
        org: bodyText(z.string().min(1).max(200)).optional().describe('an organisation whose prefixes are internal'),
        timeZone: bodyText(z.string().min(1).max(64)).optional().describe('IANA time zone of Argus time stamps'),
      }),
      produces: ['application/x-ndjson'],
      response: { 200: fileAnswer('JSON lines: progress, then the result or an error') },
    },
  }),
};
