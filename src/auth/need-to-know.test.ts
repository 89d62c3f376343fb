import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChdbEventsStore } from '../store/events/chdb-store.js';
import type { EventParams } from '../store/types.js';
import { addressAllowed, addressFilter, UNRESTRICTED, type Restriction } from '../store/need-to-know.js';
import { IPV4_NUMBER_EXPR } from '../store/migrations/events/006-ipv4-number.js';

describe('need-to-know address filter', () => {
  let dir: string;
  let events: ChdbEventsStore;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sakimori-ntk-'));
    events = new ChdbEventsStore(join(dir, 'events'));
    await events.exec(`CREATE TABLE t (ip IPv6, asn UInt32, ip4 UInt32 MATERIALIZED ${IPV4_NUMBER_EXPR}) ENGINE = MergeTree ORDER BY ip`);
    await events.exec(`INSERT INTO t (ip, asn) VALUES ('::ffff:192.0.2.1', 1), ('::ffff:192.0.2.255', 1), ('::ffff:192.0.3.0', 1),
      ('::ffff:198.51.100.7', 64500), ('2001:db8:1::1', 2), ('2001:db8:2::1', 2), ('::ffff:10.0.0.1', 3)`);
  }, 60_000);
  afterAll(async () => {
    await events.close();
    await rm(dir, { recursive: true, force: true });
  });

  const visible = async (r: Restriction): Promise<string[]> => {
    const out: string[][] = [];
    // The same rows whether IPv4 prefixes are tested on the address or on its number (ip4).
    for (const ip4Col of [undefined, 'ip4']) {
      const params: EventParams = {};
      const where = addressFilter(r, 'ip', 'asn', params, 'ntk', ip4Col);
      if (ip4Col && r.kind === 'constituency' && r.cidrs.some((c) => c.includes('.') && !c.startsWith('0.'))) expect(where).toContain('ip4 BETWEEN');
      const rows = await events.query<{ addr: string }>(`SELECT IPv6NumToString(ip) AS addr FROM t WHERE ${where} ORDER BY addr`, params);
      out.push(rows.map((x) => x.addr));
    }
    expect(out[1]).toEqual(out[0]);
    return out[0] as string[];
  };

  it('shows everything to the unrestricted and only the constituency (prefixes or origin AS) to an organisation', async () => {
    expect(await visible(UNRESTRICTED)).toHaveLength(7);
    expect(await visible({ kind: 'constituency', orgId: 'o', cidrs: ['192.0.2.0/24', '2001:db8:1::/48'], asns: [64500] })).toEqual([
      '2001:db8:1::1', '::ffff:192.0.2.1', '::ffff:192.0.2.255', '::ffff:198.51.100.7',
    ]);
    // Overlapping and adjacent prefixes do not widen anything.
    expect(await visible({ kind: 'constituency', orgId: 'o', cidrs: ['192.0.2.128/25', '192.0.2.0/24'], asns: [] })).toEqual(['::ffff:192.0.2.1', '::ffff:192.0.2.255']);
    // A range from 0.0.0.0 is tested on the address: IPv6 rows have ip4 = 0.
    expect(await visible({ kind: 'constituency', orgId: 'o', cidrs: ['0.0.0.0/1'], asns: [] })).toEqual(['::ffff:10.0.0.1']);
    // An empty constituency sees nothing, not everything.
    expect(await visible({ kind: 'constituency', orgId: 'o', cidrs: [], asns: [] })).toEqual([]);
  });

  it('decides single addresses the same way', () => {
    const r: Restriction = { kind: 'constituency', orgId: 'o', cidrs: ['192.0.2.0/24', '2001:db8:1::/48'], asns: [64500] };
    expect(addressAllowed(r, '192.0.2.255', 0)).toBe(true);
    expect(addressAllowed(r, '192.0.3.0', 0)).toBe(false);
    expect(addressAllowed(r, '192.0.3.0', 64500)).toBe(true);
    expect(addressAllowed(r, '2001:db8:1:ffff::1', 0)).toBe(true);
    expect(addressAllowed(r, '2001:db8:2::1', 0)).toBe(false);
    expect(addressAllowed(r, 'garbage', 0)).toBe(false);
    expect(addressAllowed(UNRESTRICTED, '10.0.0.1', 0)).toBe(true);
  });

  it('binds hostile-looking input as parameters, never as SQL', async () => {
    const params: EventParams = {};
    expect(() => addressFilter({ kind: 'constituency', orgId: 'o', cidrs: ["1.2.3.4/32') OR 1=1 --"], asns: [] }, 'ip', null, params)).toThrow(/not a CIDR/);
  });
});
