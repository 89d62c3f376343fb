/**
 * Corrupted input, fuzzed with a fixed seed: every run must end with a summary (bad lines
 * counted) or an ENRICH_BAD_FORMAT error; never another exception, a crash or a hang.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSakimoriError } from '../errors.js';
import { importEnrichment } from './import-enrichment.js';
import { importMmdbBytes } from './mmdb/import-mmdb.js';
import { EnrichSink } from './range-collector.js';
import { MmdbWriter, u32 } from './testing/mmdb-writer.js';
import { seededRandom } from '../util/seeded-random.js';
import { tempDir, type TempDir } from './testing/temp-dir.js';

let dir: TempDir;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(async () => {
  await dir.cleanup();
});

function mutate(input: Uint8Array, rand: () => number): Uint8Array {
  const out = Array.from(input);
  const edits = 1 + Math.floor(rand() * 8);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * out.length);
    const kind = rand();
    if (kind < 0.5) out[at] = Math.floor(rand() * 256);
    else if (kind < 0.7) out.splice(at, Math.floor(rand() * 16));
    else if (kind < 0.9) out.splice(at, 0, ...Array.from({ length: 1 + Math.floor(rand() * 8) }, () => Math.floor(rand() * 256)));
    else out.length = at; // truncation
  }
  return Uint8Array.from(out);
}

const expectCleanOutcome = (e: unknown): void => {
  if (!isSakimoriError(e) || e.code !== 'ENRICH_BAD_FORMAT') throw e;
};

describe('fuzzed input', () => {
  it('CSV and pfx2as: bad lines are counted or the file is refused', async () => {
    const rand = seededRandom(20240101);
    const lines: string[] = [];
    for (let i = 0; i < 60; i++) lines.push(`10.${i}.0.0,10.${i}.255.255,${64500 + i},"Org ${i}, Ltd"`);
    for (let i = 0; i < 10; i++) lines.push(`2001:db8:${i}::,2001:db8:${i}:ffff:ffff:ffff:ffff:ffff,${65000 + i},V6 ${i}`);
    const csv = Buffer.from(lines.join('\n'));
    const pfx = Buffer.from(Array.from({ length: 60 }, (_, i) => `10.${i}.0.0\t16\t${i + 1}_${i + 2}`).join('\n'));
    let imported = 0;
    let refused = 0;
    for (let round = 0; round < 120; round++) {
      const source = round % 2 === 0 ? csv : pfx;
      const file = await dir.file(`fuzz-${round}.txt`, mutate(source, rand));
      try {
        const s = await importEnrichment(dir.path, file, {});
        expect(s.skippedLines).toBeGreaterThanOrEqual(0);
        for (const b of s.badLines) expect(b.line).toBeGreaterThan(0);
        imported++;
      } catch (e) {
        expectCleanOutcome(e);
        refused++;
      }
    }
    expect(imported).toBeGreaterThan(0);
    expect(imported + refused).toBe(120);
  });

  it('MMDB: corrupted or truncated trees, data and metadata', () => {
    const rand = seededRandom(7);
    const sizes = [24, 28, 32] as const;
    const dbs = sizes.map((recordSize) => {
      const w = new MmdbWriter({ ipVersion: 6, recordSize, databaseType: 'GeoLite2-Country' });
      for (let i = 0; i < 40; i++) {
        w.insert(`${i + 1}.0.0.0/8`, { country: { iso_code: i % 2 ? 'JP' : 'US', names: { en: `C${i}` } }, registered_country: { geoname_id: u32(i) } });
        w.insert(`2001:${i.toString(16)}::/32`, { country: { iso_code: 'DE' } });
      }
      return w.build();
    });
    let clean = 0;
    let refused = 0;
    for (let round = 0; round < 600; round++) {
      const bytes = mutate(dbs[round % dbs.length], rand);
      try {
        importMmdbBytes(bytes, 'fuzz.mmdb', new EnrichSink());
        clean++;
      } catch (e) {
        expectCleanOutcome(e);
        refused++;
      }
    }
    expect(clean).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });
});
