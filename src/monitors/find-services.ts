/**
 * The services a monitor sees: open services in the current view, inside the monitor's ranges,
 * matching its query. The ranges are bound as parameters (never spliced into SQL).
 */
import type { EventParams, EventsStore } from '../store/types.js';
import { addressFilter, UNRESTRICTED, type Restriction } from '../auth/need-to-know.js';
import { SakimoriError } from '../errors.js';
import { ipText } from '../analyze/sql-helpers.js';
import { parseCidr } from './cidr-text.js';
import type { MonitoredService } from './findings.js';
import type { FindServices } from './run-monitor.js';

/** IPv4 CIDRs are mapped into ::ffff:0:0/96 so one IPv6 range test covers both families. */
function asV6Cidr(c: string): string {
  const p = parseCidr(c);
  if (!p) throw new SakimoriError('MONITOR_INVALID', `not a CIDR: ${c}`, { cidr: c });
  return p.family === 4 ? `::ffff:${p.ip}/${96 + p.bits}` : `${p.ip}/${p.bits}`;
}

export function monitorFinder(events: EventsStore, restriction: Restriction = UNRESTRICTED): FindServices {
  return async (query, cidrs) => {
    const params: EventParams = { cidrs: cidrs.map(asV6Cidr) };
    const ntk = addressFilter(restriction, 'services_current.ip', 'services_current.asn', params);
    if (query.trim() !== '' && query.trim() !== '*') {
      throw new SakimoriError('MONITOR_INVALID', 'monitor queries need the search module', { query });
    }
    return events.query<MonitoredService>(
      `SELECT ${ipText('ip')} AS ip, port, transport, service, product, version, weak_credential, credential_list, credential_id, no_auth, cves
       FROM services_current FINAL
       WHERE status = 'open' AND arrayExists(c -> isIPAddressInRange(IPv6NumToString(services_current.ip), c), {cidrs:Array(String)})
         AND ${ntk}
       ORDER BY services_current.ip, port`,
      params,
    );
  };
}
