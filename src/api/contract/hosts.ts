/**
 * The host page: what an address sent to the darknet (the fields `host --json` has always had, at
 * the top level) and what it exposes (`exposure`: services, devices, CVEs, weak credentials,
 * history). Either part may be missing: an address only the survey or an import saw has empty
 * darknet fields and `seenInDarknet: false`; one the darknet saw but nothing probed has
 * `exposure: null`.
 */
import { z } from 'zod';
import { defineRoute } from './define.js';
import { HostHoneypot, TimelineEntry, Verdict } from './honeypot.js';

export const HostTag = z.object({
  tag: z.string().describe('scanner fingerprint name'),
  confidence: z.number().describe(
    'posterior probability (0..1) that the host runs the tool, given that `packets` of its `applicable` packets match: '
    + 'Bayes with the prior `prior`, a chance match rate `falseMatchChance` per packet for a host that does not run it, '
    + 'and a uniformly unknown share of matching packets for one that does (docs/darknet.md)'),
  packets: z.number().describe('packets that matched the fingerprint'),
  applicable: z.number().describe('packets the fingerprint applies to (e.g. its TCP SYNs); packets stored before events migration 008 all count as applicable'),
  appliesTo: z.string().describe('which packets the fingerprint applies to, in words (TCP SYN): "1,001 of 1,001 TCP SYN packets match"'),
  appliesToJa: z.string().describe('the same in Japanese'),
  share: z.number().describe('matched packets / applicable packets (0..1); the host carries the tag at the fingerprint\'s minimum share (0.5)'),
  falseMatchChance: z.number().describe('chance that one applicable packet of a host that does not run the tool matches (0..1)'),
  prior: z.number().describe('share of hosts assumed to run the tool before any packet is seen (the prior of `confidence`)'),
  pValue: z.number().describe('one-sided binomial test: P[X ≥ packets] for X ~ Binomial(applicable, falseMatchChance), the chance that a host not running the tool matches this often'),
  description: z.string(),
  descriptionJa: z.string(),
});

const HostHttp = z.object({
  status: z.number().describe('HTTP status code (0 none)'),
  title: z.string(),
  server: z.string().describe('Server header'),
  wwwAuthenticate: z.string().describe('WWW-Authenticate header'),
  faviconHash: z.number().nullable().describe('Shodan-style favicon hash (MurmurHash3 x86 32); null: no favicon'),
  bodySha256: z.string().describe('SHA-256 of the body (hex)'),
  headers: z.record(z.string(), z.string()).describe('response headers, names lower-case'),
});

const HostTls = z.object({
  version: z.string(),
  cipher: z.string(),
  subject: z.string().describe('leaf certificate subject (RFC 4514)'),
  issuer: z.string().describe('leaf certificate issuer (RFC 4514)'),
  sans: z.array(z.string()).describe('subject alternative names'),
  notBefore: z.string().nullable().describe('ISO 8601 time (UTC); null: unknown'),
  notAfter: z.string().nullable().describe('ISO 8601 time (UTC); null: unknown'),
  fingerprintSha256: z.string().describe('SHA-256 of the leaf certificate DER (hex, lower case)'),
  selfSigned: z.boolean(),
  chainLength: z.number().describe('certificates the server sent'),
});

const HostSsh = z.object({
  ident: z.string().describe('identification string (SSH-2.0-…)'),
  hassh: z.string().describe('HASSH of the server KEXINIT (MD5 hex)'),
  kex: z.array(z.string()).describe('key exchange algorithms offered'),
  hostKeyType: z.string(),
  hostKeySha256: z.string().describe('host key fingerprint as OpenSSH prints it (SHA256:base64)'),
});

const HostDevice = z.object({
  name: z.string().describe('vendor, product and version as one name, the vendor not repeated (BusyBox telnetd 1.19.4)'),
  vendor: z.string(),
  product: z.string(),
  version: z.string(),
  type: z.string().describe('router, camera, dvr, nas, printer, …'),
  cpe: z.array(z.string()).describe('CPE 2.3 names'),
});

export const HostService = z.object({
  port: z.number(),
  transport: z.string().describe('tcp or udp'),
  service: z.string().describe('protocol identified (telnet, ssh, http, …)'),
  status: z.string().describe('open, closed, timeout or error'),
  source: z.string().describe('survey, zmap, masscan, zgrab2 or nmap'),
  firstSeen: z.string().describe('ISO 8601 time (UTC) of the first observation of this port'),
  lastSeen: z.string().describe('ISO 8601 time (UTC) of the latest observation, the one shown'),
  banner: z.string(),
  http: HostHttp.nullable().describe('null: no HTTP answer'),
  tls: HostTls.nullable().describe('null: no TLS handshake'),
  ssh: HostSsh.nullable().describe('null: not SSH'),
  device: HostDevice.nullable().describe('null: no vendor or product identified'),
  cves: z.array(z.object({ id: z.string(), evidence: z.string().describe('verified, or inferred from the version') })),
  loginPrompt: z.boolean(),
  noAuth: z.boolean().describe('access without any credential'),
  weakCredential: z.object({
    list: z.string().describe('credential list tried'),
    entry: z.string().describe('id of the entry accepted (never the password)'),
  }).nullable().describe('null: no default credential accepted'),
  tags: z.array(z.string()),
  error: z.string().describe('why the probe failed, when it did'),
});

export const HostObservation = z.object({
  time: z.string().describe('ISO 8601 time (UTC)'),
  port: z.number(),
  transport: z.string(),
  service: z.string(),
  status: z.string(),
  source: z.string(),
  runId: z.string().describe('survey run or import that made the observation'),
  summary: z.string().describe('what was seen, in a line (HTTP status and title, product, findings, error)'),
  detail: z.string().describe('the summary without the findings (HTTP status and title, product, CVEs, error)'),
  findings: z.array(z.enum(['default_credential', 'no_authentication'])).describe('credential findings of the observation'),
});

export const Exposure = z.object({
  ip: z.string(),
  firstSeen: z.string().describe('ISO 8601 time (UTC) of the first observation of any port'),
  lastSeen: z.string().describe('ISO 8601 time (UTC) of the latest observation'),
  asn: z.number().describe('0: unknown'),
  org: z.string(),
  country: z.string(),
  openPorts: z.number(),
  services: z.array(HostService).describe('the latest observation per port and transport'),
  cves: z.array(z.object({ id: z.string(), evidence: z.string(), port: z.number() })).describe('of the open services'),
  weakCredentials: z.number().describe('open services that accepted a default credential'),
  noAuth: z.number().describe('open services that gave access without a credential'),
  history: z.array(HostObservation).describe('the latest observations, newest first (at most 200)'),
});

export const HostIndicator = z.object({
  id: z.string().describe('the indicator\'s STIX id'),
  collection: z.string().describe('the collection it was received in'),
  tlp: z.enum(['clear', 'green', 'amber', 'amber+strict', 'red']).nullable(),
  confidence: z.number().nullable(),
  validUntil: z.string().nullable().describe('its valid_until, if any'),
  revoked: z.boolean(),
  labels: z.array(z.string()),
});

export const Host = z.object({
  ip: z.string(),
  firstSeen: z.string().describe('ISO 8601 time (UTC) of the first darknet packet; empty when not seen in the darknet'),
  lastSeen: z.string().describe('ISO 8601 time (UTC) of the last darknet packet; empty when not seen in the darknet'),
  packets: z.number().describe('darknet packets'),
  ports: z.array(z.object({ proto: z.string(), port: z.number(), packets: z.number() })).describe('darknet ports it sent to, most packets first (at most 100), from the raw packets still stored (see `rawPackets`)'),
  distinctPorts: z.number().describe('distinct darknet ports it sent to (estimate)'),
  darknetAddresses: z.number().describe('distinct darknet addresses it sent to (estimate)'),
  class: z.string().describe('scan, backscatter or other; empty when not seen in the darknet'),
  classPackets: z.record(z.string(), z.number()).describe('packets per class: scan, backscatter, other'),
  tags: z.array(HostTag).describe('scanner fingerprints, with the evidence'),
  asn: z.number().describe('0: unknown'),
  org: z.string(),
  country: z.string(),
  daily: z.array(z.object({ day: z.string().describe('YYYY-MM-DD'), packets: z.number(), ports: z.number() })),
  hourly: z.array(z.object({
    hour: z.string().describe('start of the hour, ISO 8601 (UTC)'),
    packets: z.number(),
    backscatter: z.number().describe('of them backscatter (replies to packets spoofed with this address)'),
  })).describe('packets per hour, hours with packets only, over the last 31 days of the host\'s window; empty for hours stored before events migration 011'),
  dosEpisodes: z.array(z.object({
    start: z.string().describe('start of the first hour with backscatter, ISO 8601 (UTC)'),
    end: z.string().describe('end of the last hour with backscatter (exclusive)'),
    packets: z.number().describe('backscatter packets in the episode'),
    peak: z.number().describe('backscatter packets in its busiest hour'),
    peakHour: z.string().describe('that hour'),
  })).describe('when the host was a DoS victim: runs of hours with backscatter, two quiet hours in a row ending one (analyze/backscatter-episodes.ts); oldest first'),
  rawPackets: z.object({
    status: z.enum(['kept', 'partly-expired', 'expired']).describe(
      'whether the raw packets behind `ports` are still stored: all (kept), some or none; packets, classes, tags, distinct ports and `daily` come from aggregates that are kept for good'),
    kept: z.number().describe('raw packets of this address still stored'),
    retentionDays: z.number().describe('raw packets are kept this many days after they were stored, whenever they were captured (darknet.retentionDays)'),
  }).describe('the raw packets of the address; `ports` is empty once they have expired'),
  seenInDarknet: z.boolean().describe('false when only the survey or an import has seen the address (darknet fields are then empty)'),
  exposure: Exposure.nullable().describe('null when no service observation of the address is stored'),
  indicators: z.array(HostIndicator).describe('shared indicators whose STIX pattern names the address (CIDRs included), the newest version you may receive of each, from the collections you read (the sharing policy decides, the egress audit records)'),
  honeypot: HostHoneypot.nullable().describe('what it did on our honeypots (sessions, logins, commands, URLs, hashes); null when no honeypot saw it'),
  timeline: z.array(TimelineEntry).describe('oldest first, across darknet, honeypots, survey, flows and shared indicators; at most 500 entries, the most recent kept (docs/honeypot.md, "One profile per address")'),
  timelineTruncated: z.number().describe('older entries left out of `timeline` (0: none)'),
  verdict: Verdict.describe('one verdict across every source, with its weighted evidence'),
});

export const HOSTS = {
  host: defineRoute({
    method: 'GET', url: '/hosts/:ip', errors: ['BAD_IP', 'NOT_FOUND', 'QUERY_LIMIT_EXCEEDED'],
    schema: {
      tags: ['hosts'],
      summary: 'One host: what the darknet saw from it (first/last seen, packets, ports, class, tags with evidence, ASN, country), what it exposes (`exposure`: services, devices, CVEs, weak credentials, history), what it did on our honeypots (`honeypot`), its `timeline` across every source and one `verdict` with its evidence',
      params: z.object({ ip: z.string().describe('IPv4 or IPv6 address') }),
      response: { 200: Host },
    },
  }),
};

export type Host = z.output<typeof Host>;
export type HostTag = z.output<typeof HostTag>;
export type HostService = z.output<typeof HostService>;
export type HostObservation = z.output<typeof HostObservation>;
export type Exposure = z.output<typeof Exposure>;
export type HostIndicator = z.output<typeof HostIndicator>;
