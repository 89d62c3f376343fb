/** Darknet reports and time series. */
import { z } from 'zod';
import { defineRoute } from './define.js';
import { queryInt, WindowQuery } from './common.js';

export const Count = z.object({ packets: z.number(), sources: z.number() });

export const DosVictim = z.object({
  ip: z.string(), packets: z.number(), start: z.string(), end: z.string(),
  peakRate: z.number().describe('packets per minute in the busiest minute'),
  darknetAddresses: z.number().describe('distinct darknet addresses that received its backscatter'),
  ports: z.array(z.string()),
});

export const PortSurge = z.object({
  proto: z.string(), port: z.number(), bucket: z.string().describe('start of the hour that surged'), packets: z.number(),
  baseline: z.number().describe('mean packets per hour over the history: earlier hours in which the telescope received, earlier surges left out'),
  ratio: z.number().describe('packets ÷ baseline (a baseline below 1 counts as 1)'),
  log10P: z.number().describe('log10 of the chance of at least this many packets under the baseline (negative binomial fitted to the history); surges are ranked by it'),
  historyHours: z.number().describe('hours of history the baseline was taken from'),
});

export const SurgeHistory = z.object({
  hoursNeeded: z.number().describe('hours of history with telescope data an hour needs before it is judged'),
  hoursAvailable: z.number().describe('the most hours of history any hour of the window had'),
  hoursJudged: z.number().describe('hours of the window with data that were judged'),
  hoursNotJudged: z.number().describe('hours of the window with data that had too little history to be judged'),
});

export const TopSource = z.object({
  ip: z.string(), packets: z.number(), ports: z.number(), class: z.string(), tags: z.array(z.string()), country: z.string(), asn: z.number(),
});

export const DarknetReport = z.object({
  from: z.string().describe('start of the first whole UTC hour of the window (a report counts whole hours)'),
  to: z.string().describe('end of the last whole UTC hour of the window'),
  packets: z.number(),
  sources: z.number().describe('distinct sources in the window, exact'),
  classes: z.record(z.string(), Count).describe('scan, backscatter, other: the packets of the class, and the sources that sent packets of it'),
  tags: z.record(z.string(), Count).describe('per scanner fingerprint tag: the sources that carry it on their UTC day and sent packets matching it in the window, and those packets'),
  topPorts: z.array(z.object({ proto: z.string(), port: z.number(), packets: z.number(), sources: z.number(), iot: z.boolean() })),
  iotShare: z.number(),
  dosVictims: z.array(DosVictim),
  topCountries: z.array(z.object({ country: z.string(), packets: z.number(), sources: z.number() })),
  topAsns: z.array(z.object({ asn: z.number(), org: z.string(), packets: z.number(), sources: z.number() })),
  surges: z.array(PortSurge).describe('most unlikely first'),
  surgeHistory: SurgeHistory.nullable().describe('whether the window had the history to judge surges; null where surges are not computed (constituency reports)'),
  topSources: z.array(TopSource),
  rawPackets: z.object({
    status: z.enum(['kept', 'partly-expired', 'expired']).describe('whether the raw packets of the top ports in the window\'s hours are all still stored, some or none'),
    kept: z.number().describe('of those raw packets, how many are still stored'),
  }).optional().describe(
    'only when the report read raw packets: a window that is not whole UTC days over hours stored before events migration 011 (no hour sets), whose top ports\' distinct sources then come from the raw packets and are too low once some have expired (raw packets are kept darknet.retentionDays after they were stored)'),
});

export const DarknetRange = z.object({ first: z.string().nullable(), last: z.string().nullable() });

export const TimePoint = z.object({ t: z.string(), packets: z.number(), sources: z.number() });
export const TimeSeries = z.object({ step: z.number().describe('seconds'), points: z.array(TimePoint) });

export const DARKNET = {
  range: defineRoute({
    method: 'GET', url: '/darknet/range', errors: [],
    schema: { tags: ['darknet'], summary: 'First and last hour with darknet data', response: { 200: DarknetRange } },
  }),
  report: defineRoute({
    method: 'GET', url: '/darknet/report', errors: ['BAD_TIME', 'QUERY_LIMIT_EXCEEDED'],
    schema: {
      tags: ['darknet'],
      summary: 'Darknet report for a window: totals, classes, tags, top ports, IoT share, DoS victims, countries, ASNs, surges, top sources',
      querystring: WindowQuery,
      response: { 200: DarknetReport },
    },
  }),
  timeseries: defineRoute({
    method: 'GET', url: '/darknet/timeseries', errors: ['BAD_TIME', 'QUERY_LIMIT_EXCEEDED'],
    schema: {
      tags: ['darknet'],
      summary: 'Packets and distinct sources per time step (hours)',
      querystring: WindowQuery.extend({ step: queryInt(3600, 31 * 86400).default(3600).describe('seconds') }),
      response: { 200: TimeSeries },
    },
  }),
};

export type DarknetReport = z.output<typeof DarknetReport>;
export type DarknetRange = z.output<typeof DarknetRange>;
export type TimeSeries = z.output<typeof TimeSeries>;
export type TimePoint = z.output<typeof TimePoint>;
export type Count = z.output<typeof Count>;
