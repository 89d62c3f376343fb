/**
 * Honeypots (issue 18): what attackers did on our honeypots (Cowrie, Dionaea, Conpot, our own IoT
 * sensor), the per-address profile pieces the host page shows, and the campaigns that tie
 * addresses together. `sakimori report honeypot --json` prints HoneypotReport; `host IP --json`
 * gains HostHoneypot (`honeypot`), `timeline[]` and `verdict`; `sakimori campaigns --json`
 * prints CampaignList. Scripts depend on these names.
 */
import { z } from 'zod';
import { IsoTime } from './common.js';
import { CAMPAIGN_TIE_KINDS } from '../../schema/campaign.js';

export const HONEYPOT_FORMATS = ['cowrie', 'dionaea', 'conpot'] as const;

export const HoneypotCredential = z.object({
  username: z.string(),
  password: z.string(),
  attempts: z.number(),
  success: z.number().describe('of them accepted by the honeypot'),
  sources: z.number().describe('distinct client addresses that tried it'),
});

export const HoneypotUrl = z.object({
  url: z.string().describe('as the client named it; recorded, never fetched'),
  host: z.string(),
  events: z.number(),
  sources: z.number(),
  sessions: z.number().describe('distinct sessions that named it'),
  sha256: z.array(z.string()).describe('hashes of files that arrived for it, if any'),
  firstSeen: IsoTime,
  lastSeen: IsoTime,
});

export const HoneypotHash = z.object({
  sha256: z.string(),
  size: z.number(),
  events: z.number(),
  sources: z.number(),
  sessions: z.number().describe('distinct sessions it arrived in'),
  urls: z.array(z.string()).describe('URLs it came from (downloads), empty for pushed files'),
  firstSeen: IsoTime,
  lastSeen: IsoTime,
});

export const HoneypotReport = z.object({
  from: IsoTime,
  to: IsoTime,
  events: z.number(),
  sessions: z.number().describe('distinct sessions (honeypot, sensor, session id)'),
  sources: z.number().describe('distinct client addresses'),
  logins: z.object({ attempts: z.number(), success: z.number(), failed: z.number() }),
  commands: z.number().describe('command lines entered'),
  proxyRequests: z.number().describe('direct-tcpip forward requests (the honeypot used as a proxy)'),
  downloads: z.number(),
  uploads: z.number(),
  httpRequests: z.number(),
  icsInteractions: z.number().describe('Modbus, S7, BACnet, IPMI … requests (Conpot)'),
  topCredentials: z.array(HoneypotCredential).describe('most tried first (at most 50)'),
  topCommands: z.array(z.object({ command: z.string(), count: z.number(), sources: z.number() })).describe('at most 50'),
  clients: z.array(z.object({ client: z.string(), sessions: z.number() })).describe('client versions, most sessions first (at most 20)'),
  urls: z.array(HoneypotUrl).describe('most events first (at most 200)'),
  hashes: z.array(HoneypotHash).describe('most events first (at most 200)'),
  topSources: z.array(z.object({ ip: z.string(), asn: z.number(), country: z.string(), sessions: z.number(), logins: z.number(), commands: z.number() })).describe('at most 50'),
  byHoneypot: z.record(z.string(), z.number()).describe('events per honeypot: cowrie, dionaea, conpot, sakimori'),
  byProto: z.record(z.string(), z.number()).describe('sessions per protocol'),
  hourly: z.array(z.object({ hour: IsoTime, sessions: z.number(), logins: z.number(), commands: z.number(), downloads: z.number() })).describe('hours with events only'),
});

/** The honeypot part of one address's profile (`host IP --json` → `honeypot`). */
export const HostHoneypot = z.object({
  firstSeen: IsoTime,
  lastSeen: IsoTime,
  sessions: z.number(),
  logins: z.object({ attempts: z.number(), success: z.number(), failed: z.number() }),
  commands: z.array(z.string()).describe('distinct command lines, most frequent first (at most 50)'),
  urls: z.array(z.string()).describe('URLs it named (at most 50)'),
  hashes: z.array(z.string()).describe('SHA-256 of files it pushed or had fetched (at most 50)'),
  credentials: z.array(z.object({ username: z.string(), password: z.string(), attempts: z.number() })).describe('at most 50'),
  honeypots: z.array(z.string()).describe('which honeypots saw it'),
  protos: z.array(z.string()),
  clients: z.array(z.string()).describe('client versions it used'),
});

export const TIMELINE_SOURCES = ['darknet', 'honeypot', 'survey', 'flows', 'indicator'] as const;

/** One line of an address's timeline, oldest first. */
export const TimelineEntry = z.object({
  at: IsoTime.describe('when it started'),
  until: IsoTime.nullable().describe('when it ended, for a span (a day of scanning, a session); null for a point'),
  source: z.enum(TIMELINE_SOURCES),
  kind: z.string().describe('darknet: scan|backscatter|other; honeypot: session|login|command|download|upload|…; survey: exposure|default-credential; flows: server (a server in flow aggregates, per day)|cnc-client|cnc-server; indicator: shared|cnc-candidate (labelled c2)'),
  summary: z.string().describe('one line, English'),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).describe('the facts behind the line (ports, packets, username, url…), for the console to render in its language'),
});

export const VERDICTS = ['malicious', 'benign', 'unknown'] as const;

/** One verdict per address across every source, with its evidence (as GreyNoise gives one). */
export const Verdict = z.object({
  verdict: z.enum(VERDICTS),
  actor: z.string().nullable().describe('a benign research scanner\'s name (from the fingerprint tags), when known'),
  score: z.number().describe('the sum of the evidence weights; > 0 leans malicious, < 0 benign'),
  evidence: z.array(z.object({
    source: z.enum(TIMELINE_SOURCES),
    code: z.string().describe('stable (docs/honeypot.md, "One profile per address"): research-scanner-tag, research-scanner-list, honeypot-login-success, honeypot-commands, honeypot-download, honeypot-login-attempts, honeypot-contact, infected-device, exposed-default-credential, cnc-candidate, shared-indicator, shared-indicator-scanner, darknet-mirai-tag, darknet-scan, dos-victim, flow-server'),
    weight: z.number(),
    text: z.string().describe('English; the console words it by `code`'),
  })),
});

export { CAMPAIGN_TIE_KINDS };

export const Campaign = z.object({
  id: z.string().describe('stable while its strongest tie lasts'),
  name: z.string().describe('made from its strongest tie (e.g. the download host or the dropper\'s hash)'),
  ties: z.array(z.object({ kind: z.enum(CAMPAIGN_TIE_KINDS), value: z.string(), members: z.number() })).describe('what ties its members, strongest first'),
  members: z.number().describe('addresses'),
  events: z.number(),
  firstSeen: IsoTime,
  lastSeen: IsoTime,
  ports: z.array(z.object({ port: z.number(), members: z.number() })).describe('targeted ports (honeypot and darknet), at most 20'),
  countries: z.array(z.object({ country: z.string(), members: z.number() })).describe('at most 20'),
  asns: z.array(z.object({ asn: z.number(), members: z.number() })).describe('at most 20'),
  urls: z.array(z.string()).describe('at most 20'),
  hashes: z.array(z.string()).describe('at most 20'),
  impact: z.array(z.object({ orgId: z.string(), org: z.string(), devices: z.number(), caseId: z.string().nullable().describe('the case of its most active device there (each device has its own case, kind campaign_infection); null before `cases build`'), cases: z.number().describe('cases of its devices there') })).describe('infected devices of the campaign in each organisation\'s constituency, and the case that tells it; only the caller\'s own organisation for a member'),
});

export const CampaignList = z.object({
  computedAt: IsoTime.nullable().describe('when the campaigns were last computed; null: never'),
  addresses: z.number().describe('addresses considered'),
  campaigns: z.array(Campaign).describe('most members first'),
});

export const CampaignMember = z.object({
  ip: z.string(),
  asn: z.number(),
  country: z.string(),
  events: z.number(),
  firstSeen: IsoTime,
  lastSeen: IsoTime,
  ties: z.array(z.enum(CAMPAIGN_TIE_KINDS)).describe('how this address is tied in'),
});

export const CampaignDetail = Campaign.extend({
  sample: z.array(CampaignMember).describe('members you may see, most events first (at most 500)'),
});

export type HoneypotReport = z.output<typeof HoneypotReport>;
export type HostHoneypot = z.output<typeof HostHoneypot>;
export type TimelineEntry = z.output<typeof TimelineEntry>;
export type Verdict = z.output<typeof Verdict>;
export type Campaign = z.output<typeof Campaign>;
export type CampaignList = z.output<typeof CampaignList>;
export type CampaignDetail = z.output<typeof CampaignDetail>;
export type CampaignMember = z.output<typeof CampaignMember>;
