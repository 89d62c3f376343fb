/**
 * From RPSL objects to "this block / this AS → this abuse mailbox". References may point forward
 * or into another file (RIPE publishes one dump per class), so objects are collected first and
 * resolved at the end. For a resource the mailbox is, in order: its own `abuse-mailbox`, its
 * `abuse-c` role's `abuse-mailbox`, its `mnt-irt` IRT's `abuse-mailbox` (APNIC, JPNIC), its
 * organisation's `abuse-mailbox` or `abuse-c`. admin-c and tech-c are not abuse contacts and are
 * never used.
 */
import { all, first, type RpslObject } from './rpsl-objects.js';
import { rangeToCidrs } from '../../net/cidr.js';

export interface ContactRow {
  resource: string;
  prefixes: string[];
  asn: number | null;
  email: string;
  via: string;
  name: string;
  country: string;
}

interface Resource {
  resource: string; prefixes: string[]; asn: number | null; direct?: string; abuseC?: string; irt?: string; org?: string; name: string; country: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const mailbox = (o: RpslObject, name: string): string | undefined => all(o, name).find((v) => EMAIL.test(v))?.toLowerCase();

export interface ResolveSummary { resources: number; resolved: number; withoutContact: number; badResources: { line: number; key: string; reason: string }[] }

export class AbuseResolver {
  private readonly handles = new Map<string, string>();
  private readonly orgs = new Map<string, { mailbox?: string; abuseC?: string }>();
  private readonly resources: Resource[] = [];
  readonly bad: ResolveSummary['badResources'] = [];

  add(o: RpslObject): void {
    switch (o.cls) {
      case 'role':
      case 'person': {
        const h = first(o, 'nic-hdl')?.toUpperCase();
        const m = mailbox(o, 'abuse-mailbox');
        if (h && m) this.handles.set(h, m);
        return;
      }
      case 'irt': {
        const m = mailbox(o, 'abuse-mailbox') ?? mailbox(o, 'e-mail');
        if (m) this.handles.set(`IRT:${o.key.toUpperCase()}`, m);
        return;
      }
      case 'organisation': {
        const entry: { mailbox?: string; abuseC?: string } = {};
        const m = mailbox(o, 'abuse-mailbox');
        const c = first(o, 'abuse-c')?.toUpperCase();
        if (m) entry.mailbox = m;
        if (c) entry.abuseC = c;
        this.orgs.set(o.key.toUpperCase(), entry);
        return;
      }
      case 'inetnum':
      case 'inet6num':
      case 'aut-num':
        this.addResource(o);
        return;
      default:
    }
  }

  private addResource(o: RpslObject): void {
    let prefixes: string[] = [];
    let asn: number | null = null;
    if (o.cls === 'aut-num') {
      const m = /^AS(\d{1,10})$/i.exec(o.key);
      const n = m ? Number(m[1]) : NaN;
      if (!(n >= 0 && n <= 0xffffffff)) {
        this.bad.push({ line: o.line, key: o.key, reason: 'aut-num is not AS<number>' });
        return;
      }
      asn = n;
    } else {
      const p = rangeToCidrs(o.key);
      if (!p) {
        this.bad.push({ line: o.line, key: o.key, reason: `${o.cls} is not an address range or prefix` });
        return;
      }
      prefixes = p;
    }
    const r: Resource = { resource: o.key, prefixes, asn, name: first(o, 'netname') ?? first(o, 'as-name') ?? '', country: (first(o, 'country') ?? '').toUpperCase().slice(0, 2) };
    const direct = mailbox(o, 'abuse-mailbox');
    const abuseC = first(o, 'abuse-c')?.toUpperCase();
    const irt = first(o, 'mnt-irt')?.toUpperCase();
    const org = first(o, 'org')?.toUpperCase();
    if (direct) r.direct = direct;
    if (abuseC) r.abuseC = abuseC;
    if (irt) r.irt = irt;
    if (org) r.org = org;
    this.resources.push(r);
  }

  /** Resolves every resource collected so far; rows for those that have a mailbox. */
  resolve(): { rows: ContactRow[]; summary: ResolveSummary } {
    const rows: ContactRow[] = [];
    let without = 0;
    for (const r of this.resources) {
      const found = this.mailboxOf(r);
      if (!found) {
        without++;
        continue;
      }
      rows.push({ resource: r.resource, prefixes: r.prefixes, asn: r.asn, email: found.email, via: found.via, name: r.name, country: r.country });
    }
    return { rows, summary: { resources: this.resources.length, resolved: rows.length, withoutContact: without, badResources: this.bad } };
  }

  private mailboxOf(r: Resource): { email: string; via: string } | undefined {
    if (r.direct) return { email: r.direct, via: 'abuse-mailbox' };
    const byC = r.abuseC ? this.handles.get(r.abuseC) : undefined;
    if (byC) return { email: byC, via: `abuse-c:${r.abuseC}` };
    const byIrt = r.irt ? this.handles.get(`IRT:${r.irt}`) : undefined;
    if (byIrt) return { email: byIrt, via: `mnt-irt:${r.irt}` };
    const org = r.org ? this.orgs.get(r.org) : undefined;
    if (org?.mailbox) return { email: org.mailbox, via: `org:${r.org}` };
    const byOrgC = org?.abuseC ? this.handles.get(org.abuseC) : undefined;
    if (byOrgC) return { email: byOrgC, via: `org:${r.org} abuse-c:${org?.abuseC}` };
    return undefined;
  }
}
