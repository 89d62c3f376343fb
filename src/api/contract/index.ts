/**
 * The whole API contract: every route under /api/v1, one file per area. The server registers
 * routes only from it (api/serve-route.ts) and the console imports its types (web/src/api.ts).
 */
import type { RouteContract } from './define.js';
import { AUTH } from './auth.js';
import { CASES } from './cases.js';
import { CASE_RUNS } from './case-runs.js';
import { CONTACTS } from './contacts.js';
import { DARKNET } from './darknet.js';
import { DELIVERIES } from './deliveries.js';
import { DEMO } from './demo.js';
import { EFFECTS } from './effects.js';
import { HOSTS } from './hosts.js';
import { INGEST } from './ingest.js';
import { IMPORTS } from './imports.js';
import { MONITORS } from './monitors.js';
import { NOTIFY } from './notify.js';
import { NO_RECIPIENT } from './no-recipient.js';
import { ORGS } from './orgs.js';
import { REPORTS } from './reports.js';
import { SCOPES } from './scopes.js';
import { SEARCH } from './search.js';
import { SHARE_INDICATORS } from './share-indicators.js';
import { SHARE_POLICY } from './share-policy.js';
import { STATUS } from './status.js';
import { SURVEYS } from './surveys.js';
import { TAXII_COLLECTIONS } from './taxii-collections.js';
import { VULNS } from './vulns.js';
import { FEEDS } from './feeds.js';
import { SHARE_OBJECTS } from './share-objects.js';
import { VICTIM_REPORTS } from './victim-reports.js';
import { FLOW_SHARE } from './flow-share.js';
import { FLOWS } from './flows.js';
import { HONEYPOT_REPORT } from './honeypot-report.js';
import { HONEYPOT_SHARE } from './honeypot-share.js';
import { HONEYPOT_SENSOR } from './honeypot-sensor.js';
import { HONEYPOT_INGEST } from './honeypot-ingest.js';
import { CAMPAIGNS } from './campaigns.js';

export const CONTRACT: readonly RouteContract[] = [
  AUTH, CASES, CASE_RUNS, NO_RECIPIENT, CONTACTS, DARKNET, DELIVERIES, DEMO, EFFECTS, HOSTS, IMPORTS, INGEST, MONITORS, NOTIFY, ORGS, REPORTS, SCOPES, SEARCH, SHARE_INDICATORS, SHARE_POLICY, STATUS, SURVEYS, TAXII_COLLECTIONS, VULNS, FEEDS, SHARE_OBJECTS, VICTIM_REPORTS, FLOW_SHARE, FLOWS, CAMPAIGNS,
  HONEYPOT_REPORT, HONEYPOT_SHARE, HONEYPOT_SENSOR, HONEYPOT_INGEST,
].flatMap((area): RouteContract[] => Object.values(area));

export * from './define.js';
export * from './auth.js';
export * from './cases.js';
export * from './case-runs.js';
export * from './contacts.js';
export * from './darknet.js';
export * from './deliveries.js';
export * from './demo.js';
export * from './effects.js';
export * from './hosts.js';
export * from './ingest.js';
export * from './imports.js';
export * from './monitors.js';
export * from './notify.js';
export * from './no-recipient.js';
export * from './orgs.js';
export * from './reports.js';
export * from './scopes.js';
export * from './search.js';
export * from './share-indicators.js';
export * from './share-policy.js';
export * from './status.js';
export * from './surveys.js';
export * from './flows.js';
export * from './taxii-collections.js';
export * from './vulns.js';
export * from './feeds.js';
export * from './share-objects.js';
export * from './victim-reports.js';
export * from './flow-share.js';
export * from './honeypot.js';
export * from './honeypot-report.js';
export * from './honeypot-share.js';
export * from './honeypot-sensor.js';
export * from './honeypot-ingest.js';
export * from './campaigns.js';
