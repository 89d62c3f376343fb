/**
 * Whom to tell about a finding on an address: (1) the registered organisation whose prefixes
 * contain it (most specific first), (2) the registered organisation that holds the address's
 * origin AS (AS from the enrichment tables), (3) the abuse contact from RIR data for the address
 * (most specific block), (4) the abuse contact of the origin AS. Each step is kept as evidence,
 * so an analyst can see why a notice went where it went.
 */
import type { StateStore } from '../store/types.js';
import type { IpEnricher } from '../enrich/index.js';
import { ipBytes, normalizeIp } from '../net/ip.js';
import { SakimoriError } from '../errors.js';
import { abuseContactForAsn, abuseContactForIp } from '../notify/contacts/lookup-contact.js';

export type Recipient =
  | { kind: 'organisation'; orgId: string; name: string; emails: string[]; language: string; matched: 'prefix' | 'asn'; via: string }
  | { kind: 'abuse-contact'; email: string; name: string; source: string; via: string };

export interface Responsibility {
  ip: string;
  asn: number;
  asnOrg: string;
  recipient: Recipient | null;
  steps: { step: string; found: string }[];
}

export async function responsibleFor(state: Pick<StateStore, 'query'>, enricher: IpEnricher, ipInput: string): Promise<Responsibility> {
  const ip = normalizeIp(ipInput);
  if (!ip) throw new SakimoriError('BAD_IP', ipInput, { ip: ipInput });
  const bytes = ipBytes(ip);
  const asn = enricher.asn6(bytes, 0);
  const asnOrg = asn ? enricher.orgOfAsn(asn) : '';
  const steps: Responsibility['steps'] = [];
  const done = (recipient: Recipient | null): Responsibility => ({ ip, asn, asnOrg, recipient, steps });

  const [byPrefix] = await state.query<{ id: string; name: string; emails: string[]; language: string; prefix: string }>(
    `SELECT o.id, o.name, o.emails, o.language, p.prefix::text AS prefix FROM org_prefixes p JOIN organisations o ON o.id = p.org_id
     WHERE p.prefix >>= $1::inet ORDER BY masklen(p.prefix) DESC, o.name LIMIT 1`,
    [ip],
  );
  steps.push({ step: 'registered organisation by prefix', found: byPrefix ? `${byPrefix.name} (${byPrefix.prefix})` : 'none' });
  if (byPrefix) return done({ kind: 'organisation', orgId: byPrefix.id, name: byPrefix.name, emails: byPrefix.emails, language: byPrefix.language, matched: 'prefix', via: byPrefix.prefix });

  if (asn) {
    const [byAsn] = await state.query<{ id: string; name: string; emails: string[]; language: string }>(
      'SELECT o.id, o.name, o.emails, o.language FROM org_asns a JOIN organisations o ON o.id = a.org_id WHERE a.asn = $1 ORDER BY o.name LIMIT 1',
      [asn],
    );
    steps.push({ step: 'registered organisation by origin AS', found: byAsn ? `${byAsn.name} (AS${asn})` : `none for AS${asn}${asnOrg ? ` ${asnOrg}` : ''}` });
    if (byAsn) return done({ kind: 'organisation', orgId: byAsn.id, name: byAsn.name, emails: byAsn.emails, language: byAsn.language, matched: 'asn', via: `AS${asn}` });
  } else {
    steps.push({ step: 'registered organisation by origin AS', found: 'origin AS unknown (no enrichment for this address)' });
  }

  const byIp = await abuseContactForIp(state, ip);
  steps.push({ step: 'RIR abuse contact for the address', found: byIp ? `${byIp.email} (${byIp.source} ${byIp.resource}, ${byIp.via})` : 'none' });
  if (byIp) return done({ kind: 'abuse-contact', email: byIp.email, name: byIp.name || asnOrg, source: byIp.source, via: `${byIp.resource} ${byIp.via}` });

  if (asn) {
    const byAs = await abuseContactForAsn(state, asn);
    steps.push({ step: 'RIR abuse contact for the origin AS', found: byAs ? `${byAs.email} (${byAs.source} AS${asn}, ${byAs.via})` : 'none' });
    if (byAs) return done({ kind: 'abuse-contact', email: byAs.email, name: byAs.name || asnOrg, source: byAs.source, via: `AS${asn} ${byAs.via}` });
  }
  return done(null);
}
