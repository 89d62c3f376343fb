/**
 * The honeypot report as this layer builds it. The API contract (api/contract/honeypot.ts,
 * HoneypotReport) declares the same shape with zod for the wire; the route hands this type to it,
 * so the compiler keeps the two in step.
 */
export interface HoneypotUrlRow {
  url: string;
  host: string;
  events: number;
  sources: number;
  sessions: number;
  sha256: string[];
  firstSeen: string;
  lastSeen: string;
}

export interface HoneypotHashRow {
  sha256: string;
  size: number;
  events: number;
  sources: number;
  sessions: number;
  urls: string[];
  firstSeen: string;
  lastSeen: string;
}

export interface HoneypotReportData {
  from: string;
  to: string;
  events: number;
  sessions: number;
  sources: number;
  logins: { attempts: number; success: number; failed: number };
  commands: number;
  proxyRequests: number;
  downloads: number;
  uploads: number;
  httpRequests: number;
  icsInteractions: number;
  topCredentials: { username: string; password: string; attempts: number; success: number; sources: number }[];
  topCommands: { command: string; count: number; sources: number }[];
  clients: { client: string; sessions: number }[];
  urls: HoneypotUrlRow[];
  hashes: HoneypotHashRow[];
  topSources: { ip: string; asn: number; country: string; sessions: number; logins: number; commands: number }[];
  byHoneypot: Record<string, number>;
  byProto: Record<string, number>;
  hourly: { hour: string; sessions: number; logins: number; commands: number; downloads: number }[];
}
