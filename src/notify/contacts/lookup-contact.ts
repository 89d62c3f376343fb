/** The abuse contact for an address (most specific block with a contact) or for an AS. */
import type { StateStore } from '../../store/types.js';
import { SakimoriError } from '../../errors.js';
import { normalizeIp } from '../../net/ip.js';

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

/** The abuse contact for an address (most specific block) or an AS ("AS64500"), as the CLI and the API look it up; NOT_FOUND when none is known. */
export async function lookupAbuseContact(state: Pick<StateStore, 'query'>, what: string): Promise<AbuseContact> {
  const asn = /^AS(\d+)$/i.exec(what.trim());
  const ip = asn ? undefined : normalizeIp(what);
  if (!asn && !ip) throw new SakimoriError('BAD_IP', what, { ip: what });
  const r = asn ? await abuseContactForAsn(state, Number(asn[1])) : await abuseContactForIp(state, ip ?? '');
  if (!r) throw new SakimoriError('NOT_FOUND', `no abuse contact known for ${what}`, { what });
  return r;
}
