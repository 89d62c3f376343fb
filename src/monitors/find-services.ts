/**
 * The services a monitor sees: open services in the current view, inside the monitor's ranges,
 * matching its query (the search language, compiled like a search). The ranges are bound as
 * parameters (never spliced into SQL).
 */
import type { EventsStore } from '../store/types.js';
import { compileSearch } from '../search/search.js';
import { addressFilter, type Restriction } from '../store/need-to-know.js';
import { SakimoriError } from '../errors.js';
import { ipText } from '../store/events/sql-helpers.js';
import { splitCidr } from '../net/cidr.js';
import type { MonitoredService } from './findings.js';
import type { FindServices } from './run-monitor.js';

/** `restriction`: what the monitor's owner may see (its organisation's constituency now). */
export function monitorFinder(events: EventsStore, restriction: Restriction): FindServices {
  return async (query, cidrs) => {
    for (const c of cidrs) if (!splitCidr(c)) throw new SakimoriError('MONITOR_INVALID', `not a CIDR: ${c}`, { cidr: c });
    // The search's own condition (need-to-know included), narrowed to the monitor's ranges.
    const { where, params } = compileSearch(query, restriction);
    const ranges = addressFilter({ kind: 'constituency', orgId: '', cidrs, asns: [] }, 'ip', null, params, 'mon');
    return events.query<Omit<MonitoredService, 'ip'> & { ip_text: string }>(
      `SELECT ${ipText('ip')} AS ip_text, port, transport, service, product, version, weak_credential, credential_list, credential_id, no_auth, cves
       FROM services_current FINAL
       WHERE status = 'open' AND ${where} AND ${ranges}
       ORDER BY ip, port`,
      params,
    ).then((rows) => rows.map(({ ip_text, ...r }) => ({ ...r, ip: ip_text })));
  };
}
