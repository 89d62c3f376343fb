/**
 * MMDB file → ASN and country ranges in the sink. Understands GeoLite2/GeoIP2 ASN
 * (autonomous_system_number, autonomous_system_organization), Country and City
 * (country.iso_code, falling back to registered_country.iso_code) and ip-location-db's mmdb files
 * (autonomous_system_number / country_code).
 *
 * Many networks share one data record, so each record is decoded once and remembered by offset.
 * A record that cannot be decoded is counted as a bad record and its networks are skipped.
 */
import { readFile } from 'node:fs/promises';
import { SakimoriError } from '../../errors.js';
import { BadLineLog } from '../bad-lines.js';
import type { EnrichSink } from '../range-collector.js';
import { DataDecoder, isMap, MmdbDataError, type MmdbMap, type MmdbValue } from './data-decoder.js';
import { readLayout } from './metadata.js';
import { walkTree } from './tree-walker.js';

export interface MmdbImportResult {
  databaseType: string;
  networks: number;
  bad: BadLineLog;
}

interface RecordValues {
  asn: number;
  country: number;
}

const NOTHING: RecordValues = { asn: 0, country: 0 };

export async function importMmdb(file: string, sink: EnrichSink): Promise<MmdbImportResult> {
  return importMmdbBytes(await readFile(file), file, sink);
}

export function importMmdbBytes(bytes: Uint8Array, file: string, sink: EnrichSink): MmdbImportResult {
  let layout;
  try {
    layout = readLayout(bytes);
  } catch (e) {
    throw new SakimoriError('ENRICH_BAD_FORMAT', e instanceof Error ? e.message : String(e), { file, format: 'mmdb' });
  }
  const decoder = new DataDecoder(bytes, layout.dataStart, layout.dataEnd);
  const bad = new BadLineLog();
  const cache = new Map<number, RecordValues | null>();
  let networks = 0;

  const valuesAt = (offset: number): RecordValues | null => {
    const known = cache.get(offset);
    if (known !== undefined) return known;
    let values: RecordValues | null;
    try {
      const rec = decoder.decode(offset);
      values = isMap(rec) ? extract(rec, sink) : null;
      if (values === null) bad.add(0, 'data record is not a map', `data offset ${offset}`);
    } catch (e) {
      if (!(e instanceof MmdbDataError)) throw e;
      bad.add(0, e.message, `data offset ${offset} (at ${e.offset})`);
      values = null;
    }
    cache.set(offset, values);
    return values;
  };

  try {
    walkTree(bytes, layout, {
      range4(start, end, offset) {
        networks++;
        const v = valuesAt(offset) ?? NOTHING;
        if (v.asn !== 0) sink.asn.add4(start, end, v.asn);
        if (v.country !== 0) sink.country.add4(start, end, v.country);
      },
      range6(start, end, offset) {
        networks++;
        const v = valuesAt(offset) ?? NOTHING;
        if (v.asn !== 0) sink.asn.add6(start, end, v.asn);
        if (v.country !== 0) sink.country.add6(start, end, v.country);
      },
      badRecord(where, reason) {
        bad.add(0, reason, where);
      },
    });
  } catch (e) {
    if (e instanceof SakimoriError) throw e;
    throw new SakimoriError('ENRICH_BAD_FORMAT', e instanceof Error ? e.message : String(e), { file, format: 'mmdb' });
  }
  return { databaseType: layout.databaseType, networks, bad };
}

function extract(rec: MmdbMap, sink: EnrichSink): RecordValues {
  const asn = toUint32(rec.autonomous_system_number);
  const org = rec.autonomous_system_organization;
  if (asn !== 0 && typeof org === 'string') sink.addOrg(asn, org);
  const code = isoCode(rec.country) ?? isoCode(rec.registered_country) ?? (typeof rec.country_code === 'string' ? rec.country_code : '');
  return { asn, country: sink.countryIndex(code) };
}

function isoCode(v: MmdbValue | undefined): string | undefined {
  return isMap(v) && typeof v.iso_code === 'string' ? v.iso_code : undefined;
}

function toUint32(v: MmdbValue | undefined): number {
  if (typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= 0xffffffff) return v;
  return 0;
}
