import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteStateStore } from '../../store/state/pglite-store.js';
import { migration } from '../../store/migrations/state/004-abuse-contacts.js';
import { importContacts, type ContactsImportSummary } from './import-contacts.js';
import { abuseContactForAsn, abuseContactForIp } from './lookup-contact.js';
import { isSakimoriError } from '../../errors.js';
import { seededRandom } from '../../util/seeded-random.js';

// RIPE publishes one dump per class; references cross files and point forward.
const RIPE_INETNUM = `% This is the RIPE Database split dump
% comment line

inetnum:        192.0.2.0 - 192.0.2.255
netname:        EXAMPLE-NET
country:        NL
org:            ORG-EX1-RIPE
admin-c:        ADM1-RIPE
tech-c:         ADM1-RIPE
status:         ALLOCATED PA
source:         RIPE # Filtered

inetnum:        192.0.2.128 - 192.0.2.191
netname:        EXAMPLE-CUSTOMER
descr:          a customer block with its own abuse role,
+               spread over a continuation line
abuse-c:        AR2-RIPE
source:         RIPE

inetnum:        192.0.2.64 - 192.0.2.95
netname:        NO-CONTACT-CHILD
this line is broken
source:         RIPE

inet6num:       2001:db8:1::/48
netname:        EXAMPLE-V6
abuse-c:        AR1-RIPE
source:         RIPE

aut-num:        AS64500
as-name:        EXAMPLE-AS
org:            ORG-EX1-RIPE
source:         RIPE
`;
const RIPE_ROLE = `role:           Example abuse team
abuse-mailbox:  abuse@example.net
nic-hdl:        AR1-RIPE
source:         RIPE

role:           Customer abuse
abuse-mailbox:  Abuse@Customer.Example
e-mail:         noc@customer.example
nic-hdl:        AR2-RIPE
source:         RIPE

role:           Admin only (not an abuse contact)
e-mail:         admin@example.net
nic-hdl:        ADM1-RIPE
source:         RIPE
`;
const RIPE_ORG = `organisation:   ORG-EX1-RIPE
org-name:       Example Networks
abuse-c:        AR1-RIPE
source:         RIPE
`;
// APNIC / JPNIC: the abuse mailbox is on the IRT object named by mnt-irt.
const APNIC = `inetnum:        203.0.113.0 - 203.0.113.255
netname:        JP-EXAMPLE
country:        JP
mnt-irt:        IRT-JPEXAMPLE-JP
source:         JPNIC

irt:            IRT-JPEXAMPLE-JP
e-mail:         irt@example.jp
abuse-mailbox:  abuse@example.jp
source:         JPNIC

inetnum:        198.51.100.0 - 198.51.100.255
netname:        UNRESOLVED
mnt-irt:        IRT-MISSING-AP
source:         APNIC
`;

describe('contacts import', () => {
  let dir: string;
  let state: PgliteStateStore;
  const file = (name: string, text: string | Buffer): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sakimori-contacts-'));
    state = await PgliteStateStore.open();
    for (const s of migration.statements) await state.exec(s);
  }, 60_000);
  afterAll(async () => {
    await state.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resolves abuse-c, org abuse-c and inheritance across RIPE split dumps, and reports the broken line', async () => {
    const s = await importContacts(state, [file('ripe.db.inetnum.gz', gzipSync(RIPE_INETNUM)), file('ripe.db.role', RIPE_ROLE), file('ripe.db.organisation', RIPE_ORG)]);
    expect(s).toMatchObject({ source: 'RIPE', format: 'rpsl', resources: 5, withoutContact: 1, badLines: 1 });
    expect(s.firstBad[0]).toMatchObject({ line: 22, reason: 'not an attribute (name: value)' });
    expect((await abuseContactForIp(state, '192.0.2.10'))).toMatchObject({ email: 'abuse@example.net', via: 'org:ORG-EX1-RIPE abuse-c:AR1-RIPE', prefix: '192.0.2.0/24' });
    expect((await abuseContactForIp(state, '192.0.2.130'))).toMatchObject({ email: 'abuse@customer.example', via: 'abuse-c:AR2-RIPE', prefix: '192.0.2.128/26' });
    // The child without a contact inherits its parent's, as RIPE's "Abuse contact for" does.
    expect((await abuseContactForIp(state, '192.0.2.70'))?.email).toBe('abuse@example.net');
    expect((await abuseContactForIp(state, '2001:db8:1::5'))?.email).toBe('abuse@example.net');
    expect((await abuseContactForAsn(state, 64500))?.email).toBe('abuse@example.net');
    expect(await abuseContactForIp(state, '10.0.0.1')).toBeUndefined();
    const all = await state.query<{ email: string }>('SELECT email FROM abuse_contacts');
    expect(all.map((r) => r.email)).not.toContain('admin@example.net');
  });

  it('uses the IRT of APNIC and JPNIC objects, and a re-import replaces instead of adding', async () => {
    const f = file('jpnic.db', APNIC);
    const a = await importContacts(state, [f]);
    expect(a).toMatchObject({ source: 'JPNIC', stored: 1, withoutContact: 1 });
    const b = await importContacts(state, [f]);
    expect(b.stored).toBe(1);
    const [n] = await state.query<{ n: number }>("SELECT count(*)::int AS n FROM abuse_contacts WHERE source = 'JPNIC'");
    expect(n?.n).toBe(1);
    expect(await abuseContactForIp(state, '203.0.113.9')).toMatchObject({ email: 'abuse@example.jp', via: 'mnt-irt:IRT-JPEXAMPLE-JP' });
  });

  it('imports a CSV of contacts, skipping bad lines with their numbers', async () => {
    const f = file('contacts.csv', 'network,asn,email,name\n100.64.0.0 - 100.64.1.255,,noc@isp.example,ISP\n,AS64511,abuse@asn.example,AS only\n,,abuse@nothing.example,none\n10.0.0.0/33,,x@y.example,bad net\n172.16.0.0/12,,not-an-email,bad mail\n');
    const s = await importContacts(state, [f], { source: 'ours' });
    expect(s).toMatchObject({ source: 'OURS', format: 'csv', resources: 2, badLines: 3 });
    expect(s.firstBad.map((b) => b.line)).toEqual([4, 5, 6]);
    expect((await abuseContactForIp(state, '100.64.1.200'))?.email).toBe('noc@isp.example');
    expect((await abuseContactForAsn(state, 64511))?.email).toBe('abuse@asn.example');
  });

  it('fails a file without RPSL objects or a CSV without the needed columns, naming it', async () => {
    const e1 = await importContacts(state, [file('empty.db', '% only comments\n\n')]).catch((e: unknown) => e);
    expect(isSakimoriError(e1) && e1.code).toBe('IMPORT_BAD_FORMAT');
    const e2 = await importContacts(state, [file('x.csv', 'a,b\n1,2\n')]).catch((e: unknown) => e);
    expect(isSakimoriError(e2) && e2.code).toBe('IMPORT_BAD_FORMAT');
    expect(String(e2)).toContain('x.csv');
  });

  it('survives corrupted and truncated dumps: earlier objects kept, no crash', async () => {
    const rand = seededRandom(11);
    const text = RIPE_INETNUM + '\n' + RIPE_ROLE + '\n' + RIPE_ORG;
    for (let k = 0; k < 60; k++) {
      const b = Buffer.from(text);
      for (let i = 0; i < 8; i++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
      const cut = b.subarray(0, Math.floor(rand() * b.length));
      const s = await importContacts(state, [file(`fuzz-${k}.db`, cut)], { source: `fuzz${k}` }).catch((e: unknown) => e);
      if (isSakimoriError(s)) expect(s.code).toBe('IMPORT_BAD_FORMAT');
      else expect((s as ContactsImportSummary).objects).toBeGreaterThan(0);
    }
    // A truncated .gz is an error naming the file, not a hang.
    const gz = gzipSync(RIPE_INETNUM);
    const e = await importContacts(state, [file('cut.db.gz', gz.subarray(0, gz.length - 10))]).catch((x: unknown) => x);
    expect(isSakimoriError(e)).toBe(true);
  });
});
