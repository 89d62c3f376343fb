/**
 * Flows (issue 17): what was collected and from which exporters, for platform admins and
 * analysts (flows are the operator's, not per-organisation data yet), and the ingest of local
 * flow files by the server that holds the stores (`sakimori ingest flows` beside it).
 */
import { z } from 'zod';
import { defineRoute, fileAnswer } from './define.js';
import { IsoTime, WindowQuery, queryInt } from './common.js';
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

export const CandidateParts = z.record(z.string(), z.number()).describe('each feature\'s part in [0, 1]: beacon, size-regularity, server, client-grouping, rarity, darknet, indicator');

export const CncCandidateBody = z.object({
  server: z.string(),
  port: z.number(),
  proto: z.number().describe('IP protocol number'),
  score: z.number().describe('in [0, 1]; higher is more likely C&C'),
  parts: CandidateParts,
  clients: z.number().describe('distinct internal clients'),
  firstSeen: IsoTime,
  lastSeen: IsoTime,
  evidence: z.array(z.object({ client: z.string(), start: IsoTime, octets: z.number(), packets: z.number(), note: z.string() })).optional()
    .describe('the first flows of its most regular client (octets and packets scaled by sampling)'),
});

export const ServerViewBody = z.object({
  server: z.string(),
  port: z.number(),
  proto: z.number(),
  from: IsoTime,
  to: IsoTime,
  hours: z.array(z.object({
    hour: IsoTime, clients: z.number().describe('distinct clients (estimated)'), flows: z.number(), octets: z.number().describe('as exported'), scaledOctets: z.number(),
  })).describe('from the hourly aggregate, no raw flow read'),
  intervals: z.array(z.object({ fromSeconds: z.number(), toSeconds: z.number().nullable(), count: z.number() }))
    .describe('intervals between successive flows of each client to it (raw flows, audited)'),
  candidate: CncCandidateBody.nullable().describe('its score and parts in the window; null when detection does not score it'),
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
  candidates: defineRoute({
    method: 'GET', url: '/flows/candidates', errors: ['FORBIDDEN', 'BAD_TIME'],
    schema: {
      tags: ['flows'], summary: 'C&C candidates: external servers of internal clients scored by beaconing, size regularity, rarity, grouping, darknet and indicators, best first, with evidence flows',
      description: 'Platform admins and analysts only. Reads raw flows: the read is audited. Default window: the 24 hours up to the last stored flow.',
      querystring: WindowQuery.extend({
        limit: queryInt(1, 1000).optional().describe('default 50'),
        sample: queryInt(1, 100_000).optional().describe('1-in-N thinning of stored packets (evaluation); default 1'),
      }),
      response: { 200: z.array(CncCandidateBody) },
    },
  }),
  server: defineRoute({
    method: 'GET', url: '/flows/servers/:ip', errors: ['FORBIDDEN', 'BAD_IP', 'BAD_TIME'],
    schema: {
      tags: ['flows'], summary: 'One external server: its clients, flows and octets per hour, the histogram of its clients\' connection intervals, and its score parts',
      description: 'Platform admins and analysts only. The interval histogram and the score read raw flows: the reads are audited. Default window: as the report\'s.',
      params: z.object({ ip: z.string().describe('IPv4 or IPv6 address') }),
      querystring: WindowQuery.extend({
        port: queryInt(0, 65535).describe('the server\'s port'),
        proto: queryInt(0, 255).optional().describe('IP protocol number; default 6 (TCP)'),
      }),
      response: { 200: ServerViewBody },
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

export type CncCandidateBody = z.output<typeof CncCandidateBody>;
export type ServerViewBody = z.output<typeof ServerViewBody>;
export type FlowReportBody = z.output<typeof FlowReportBody>;
export type FlowExporter = z.output<typeof FlowExporter>;
