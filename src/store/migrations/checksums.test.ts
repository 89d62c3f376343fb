/**
 * Released migrations never change. Each one's checksum (what `migrate.ts` records in a store and
 * compares at every start) is pinned here: an edit to a released migration, even one made
 * indirectly through something it imports, fails this test instead of stopping every existing
 * installation with STORE_MIGRATION_FAILED. A new migration adds its line here when it is
 * released. Migrations are literal DDL: they import nothing but the `Migration` type.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { migrationChecksum, type Migration } from '../migrate.js';
import { EVENTS_MIGRATIONS } from './events/index.js';
import { STATE_MIGRATIONS } from './state/index.js';

const EVENTS_CHECKSUMS: Readonly<Record<number, string>> = {
  1: '639b4c922518f7ef38a61a5977d6953b5b2b0ca1c2b552cbf6cdf1f7613aa1bb', // darknet
  2: 'a4a2906dfe31a4dcba2409aa1dce82649121bcfd05be33d72b96edc3b2f6d454', // services
  3: '9fe3f0f1363eea21c4c3a66aba0495a5a891a0b05a9dd038bafc76bb8c17babd', // services-search-text
  4: 'b5a7548b5ff966dacaddea6201f8417f28e51e359e896aef68ed5c9e297d7df1', // services-array-indexes
  5: '3799a6a6c4bd53279dbaefc0a1935b812aace187b49c9beed2826a1c8366a7c6', // services-search-pairs
  6: '28e752d88ffceb9dfd84bc667979ba9258fb959c6db149cc24d10aa6b72849f5', // services-ipv4-number
  7: 'b9e15799f768663e5a35247b0c3b7b8fe899c07d3e0add65e3bc4b8a11fc8a9e', // darknet-packets-stored-at
  8: '9008b41929dcb9c03a7d6a7d44ed02872bad252a0a573735033d6349cdcea96e', // tag-applicability
  9: 'c88173b1763eceaceb1f0f4996c1c35a7e5c972bc117c3aba257a9a8294b32de', // darknet-packet-keys
  10: 'c622077e634bab041c120c8f112d34d8f85e648354238d5f0dad868d18b199a5', // exact-distinct
  11: 'b3d281b201f0bba0e48c2bcb3cce4290bc1da26d5552ee49cc7ecd3bbc5f8803', // hour-sets
  12: '7aa117b861d31ba001b2e3595a11973477a4445a00b0b26cecab269cb4205f28', // flows
  13: '932dd2a1f5c53ee72184b872cbd6db44dfba51b448b122e831414e946f983819', // honeypot
};

const STATE_CHECKSUMS: Readonly<Record<number, string>> = {
  1: 'd58023879cba8d27e725c2c401a43e2ae3331b23f132d0633e99da6379fe3409', // ingest
  2: '05844191e7bb97d243abe45d4ece484bc87f2bf4b1e7f01645b2a0f3e389e059', // darknet-day-reports
  3: '517162d0c17509f974ed8f0cae496f68b05280f05a9ecaec9a7dfab500168d11', // monitors
  4: '513b9d3eb7f5edc663420e5ec0f4f4196fd9b4584ebb65d75b7741a7cae4ecb8', // abuse-contacts
  5: '260138bd3771d01e005d5463bc675a7693f98b0e5e2822e0b1e9e8f4f115e553', // organisations
  6: '03b56d8d99d876ad3c7d753ad9e139392a75e67881f19613afab3b781a3b99eb', // principals
  7: '6ea9f5e6369d3777f3bf3c76cb6bf9865bf4411b05ca9109771f46f372796b1e', // cases
  8: '570e206a92e2534c87f0eb97d24fd326d3c4d335046be40c18c922a6fb3ebaab', // digests
  9: '14f841dfb6bb85b96aa02f985cf8e7a41cf7525707b1eefef1eb3f206ec3cb6d', // survey
  10: '8f3b874a744863967bc989eee8082dfb507c3ed63caa28cf724936f494795704', // vulnerabilities
  11: '8fe895d0dd450ff442d6e8326ab6829061fbe9ef606abf4531ae6e1d9ceb4f01', // survey-heartbeat
  12: 'd8123da32fff621a0d190ca3aace503dd38c2992a49f6892a80e0d18e5a12b18', // monitor-names-per-org
  13: '962ae42e7e9c448d4249df1e6957c66671542ba1ec9f0da52ccc1ff780002ad7', // api-key-parents
  14: '7bf2a12f18b7d71975764ef4eeeb737dbff4845f2022245ee556be370c332741', // ingest-batch-ranges
  15: 'e0533ae0a810911f2e6600e8a52ae2b0e42ebc7b13c032600338f92848ee03bb', // no-recipient
  16: '452036d0cdd46843057569a974a847f167e0b124550babd8400c141feb69e0b6', // demo-outbox
  17: '3b11409a58d68a381c8fa91864cae33016d9047b7b0239bafa84276c804e6d3b', // share-objects
  18: '1aa14d935036c3748a898cfb6b8a1cbf69c04164419d225d70f2c005243e22dd', // share-policy
  19: '466aad54b1537d51c12fddfb7062f91c9a4347741ef3d4385f960afd3a4aaeb7', // share-indicators
  20: 'f67822c27035ebfbbd15d1d197511e7156c62a8d03336df1c2bf17497f619fa3', // victim-reports
  21: 'aa0dfd0a9b711ad039f532781990cffdea5f8f40121e5dd893a1c85ca3a36570', // taxii-feeds
  22: 'b910a9a8d6301e5f16f4e190da037044fcab580fd7b1a76d0c75a7ee30dd54d9', // flow-state
  23: '8c9ac4b00916d398969c4cd375b4ad63839998045eff67216288988e27e8176e', // flow-corroboration
  24: '1b4e9713d6e489cfe9cf49f1c9018b703a65d7a85a018c729e3f97bc4e67123b', // honeypot-state
  25: '3dbb1bbae43d8c5f0f0c4e7265370f2125f32993412ce034cc58aefb841ca15b', // campaigns
  26: 'b868c516928731abfd2acd10a4168b475bc749894a7fc5eb3168be7dc76d156f', // sensor-journal-ranges
  27: '5c654492bb127cff48e03ef97f4cf4768599fd17c2c15f6e3b7b019a91a2872e', // campaign-member-ties
};

const HERE = dirname(fileURLToPath(import.meta.url));

function pinned(store: string, list: readonly Migration[], sums: Readonly<Record<number, string>>): void {
  describe(`${store} migrations`, () => {
    it.each(Object.entries(sums).map(([id, sum]) => [Number(id), sum] as const))('%i keeps its released checksum', (id, sum) => {
      const m = list.find((x) => x.id === id);
      expect(m, `${store} migration ${id} is released and must stay in the list`).toBeDefined();
      if (m) expect(migrationChecksum(m), `${store} migration ${id} (${m.name}) was edited: add a new migration instead`).toBe(sum);
    });

    it('every migration in the list is pinned', () => {
      const unpinned = list.filter((m) => sums[m.id] === undefined).map((m) => `${m.id}-${m.name}: '${migrationChecksum(m)}'`);
      expect(unpinned, 'pin the checksum of each new migration here').toEqual([]);
    });

    it('migration files import nothing but the Migration type (literal DDL, never derived from live code)', () => {
      const dir = join(HERE, store);
      const offenders: string[] = [];
      for (const file of readdirSync(dir)) {
        if (!/^\d{3}-.*\.ts$/.test(file) || file.endsWith('.test.ts')) continue;
        const text = readFileSync(join(dir, file), 'utf8');
        for (const [statement] of text.matchAll(/^\s*(?:import\b[^;'"]*?|export\s*(?:\*|\{[^}]*\})\s*from\s*)['"][^'"]+['"]/gm)) {
          if (!/^\s*import\s+type\b/.test(statement)) offenders.push(`${file}: ${statement.trim().replace(/\s+/g, ' ')}`);
        }
      }
      expect(offenders).toEqual([]);
    });
  });
}

pinned('events', EVENTS_MIGRATIONS, EVENTS_CHECKSUMS);
pinned('state', STATE_MIGRATIONS, STATE_CHECKSUMS);
