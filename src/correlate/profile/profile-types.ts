/**
 * The shapes of one address's profile across sources. They mirror the API contract
 * (api/contract/honeypot.ts: HostHoneypot, TimelineEntry, Verdict), which sits above this layer;
 * the host route returns these and the compiler checks them against the contract there.
 */

export interface HoneypotSummary {
  firstSeen: string;
  lastSeen: string;
  sessions: number;
  logins: { attempts: number; success: number; failed: number };
  commands: string[];
  urls: string[];
  hashes: string[];
  credentials: { username: string; password: string; attempts: number }[];
  honeypots: string[];
  protos: string[];
  clients: string[];
}

export const PROFILE_SOURCES = ['darknet', 'honeypot', 'survey', 'flows', 'indicator'] as const;
export type ProfileSource = (typeof PROFILE_SOURCES)[number];

export type DetailValue = string | number | boolean | null;

export interface TimelineItem {
  at: string;
  until: string | null;
  source: ProfileSource;
  kind: string;
  summary: string;
  detail: Record<string, DetailValue>;
}

export interface Evidence {
  source: ProfileSource;
  code: string;
  weight: number;
  text: string;
}

export interface VerdictResult {
  verdict: 'malicious' | 'benign' | 'unknown';
  actor: string | null;
  score: number;
  evidence: Evidence[];
}
