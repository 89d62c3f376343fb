import { deviceName } from '../services/device-name.js';

/**
 * Findings of a monitor from the services its query matches: one per open service, one per weak
 * credential (a default credential accepted, or no authentication at all) and one per CVE. The
 * key is stable across runs, so "new" means a key the monitor has not seen present before.
 */

export const MONITOR_KINDS = ['service', 'weak_credential', 'cve'] as const;
export type MonitorKind = (typeof MONITOR_KINDS)[number];

/** The columns of a matching service that findings are made from. */
export interface MonitoredService {
  ip: string;
  port: number;
  transport: string;
  service: string;
  product: string;
  version: string;
  weak_credential: number;
  credential_list: string;
  credential_id: string;
  no_auth: number;
  cves: string[];
}

export interface Finding {
  key: string;
  kind: MonitorKind;
  ip: string;
  port: number;
  transport: string;
  detail: Record<string, string>;
}

export function findingsOf(s: MonitoredService, kinds: readonly MonitorKind[]): Finding[] {
  const at = `${s.ip}:${s.transport}/${s.port}`;
  const base = { ip: s.ip, port: s.port, transport: s.transport };
  const out: Finding[] = [];
  if (kinds.includes('service')) {
    out.push({ ...base, key: `service:${at}:${s.service}`, kind: 'service', detail: { service: s.service, product: deviceName(s) } });
  }
  if (kinds.includes('weak_credential')) {
    if (s.weak_credential === 1) {
      out.push({ ...base, key: `weak_credential:${at}:${s.credential_list}/${s.credential_id}`, kind: 'weak_credential', detail: { service: s.service, credentialList: s.credential_list, credentialId: s.credential_id } });
    }
    if (s.no_auth === 1) out.push({ ...base, key: `weak_credential:${at}:no-auth`, kind: 'weak_credential', detail: { service: s.service, noAuth: 'true' } });
  }
  if (kinds.includes('cve')) {
    for (const cve of s.cves) out.push({ ...base, key: `cve:${at}:${cve}`, kind: 'cve', detail: { service: s.service, cve, product: deviceName(s) } });
  }
  return out;
}
