/** The abuse contact for an address (most specific block with a contact) or for an AS. */
import type { StateStore } from '../../store/types.js';

export interface AbuseContact { email: string; resource: string; prefix: string | null; asn: number | null; via: string; source: string; name: string; country: string }

export async function abuseContactForIp(state: Pick<StateStore, 'query'>, ip: string): Promise<AbuseContact | undefined> {
  const [row] = await state.query<AbuseContact>(
    `SELECT email, resource, prefix::text AS prefix, asn, via, source, name, country FROM abuse_contacts
     WHERE prefix IS NOT NULL AND prefix >>= $1::inet
     ORDER BY masklen(prefix) DESC, source, id LIMIT 1`,
    [ip],
  );
  return row;
}

export async function abuseContactForAsn(state: Pick<StateStore, 'query'>, asn: number): Promise<AbuseContact | undefined> {
  const [row] = await state.query<AbuseContact>(
    'SELECT email, resource, prefix, asn, via, source, name, country FROM abuse_contacts WHERE asn = $1 ORDER BY source, id LIMIT 1',
    [asn],
  );
  return row;
}
