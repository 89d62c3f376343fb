/**
 * What the campaign functions return. The API contract (api/contract/honeypot.ts: Campaign,
 * CampaignList, CampaignDetail; campaigns.ts) declares the same shapes for the routes, and the
 * routes' handlers are type-checked against it, so the two cannot drift apart silently.
 */
import type { TieKind } from './tie-rules.js';

export interface CampaignTie { kind: TieKind; value: string; members: number }

export interface CampaignImpact { orgId: string; org: string; devices: number; caseId: string | null; cases: number }

export interface Campaign {
  id: string;
  name: string;
  ties: CampaignTie[];
  members: number;
  events: number;
  firstSeen: string;
  lastSeen: string;
  ports: { port: number; members: number }[];
  countries: { country: string; members: number }[];
  asns: { asn: number; members: number }[];
  urls: string[];
  hashes: string[];
  impact: CampaignImpact[];
}

export interface CampaignList { computedAt: string | null; addresses: number; campaigns: Campaign[] }

export interface CampaignMember { ip: string; asn: number; country: string; events: number; firstSeen: string; lastSeen: string; ties: TieKind[] }

export interface CampaignDetail extends Campaign { sample: CampaignMember[] }
