/**
 * Works out which kind of file this is: MMDB by its metadata marker, text formats by the first
 * line that parses as one of them. An explicit format only narrows the choice.
 */
import { open } from 'node:fs/promises';
import { forEachLine } from './line-source.js';
import type { EnrichFormat } from './manifest.js';
import { findMetadataMarker } from './mmdb/metadata.js';
import { guessVariant, type TextVariant } from './range-lines.js';

const SNIFF_LINES = 1000;

export const VARIANTS_OF: Record<Exclude<EnrichFormat, 'mmdb'>, readonly TextVariant[]> = {
  csv: ['csv-asn', 'csv-country'],
  iptoasn: ['iptoasn'],
  pfx2as: ['pfx2as'],
};

export const FORMAT_OF: Record<TextVariant, EnrichFormat> = {
  'csv-asn': 'csv',
  'csv-country': 'csv',
  iptoasn: 'iptoasn',
  pfx2as: 'pfx2as',
};

export async function looksLikeMmdb(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    const length = Math.min(size, 128 * 1024);
    const tail = Buffer.alloc(length);
    await fh.read(tail, 0, length, size - length);
    return findMetadataMarker(tail) >= 0;
  } finally {
    await fh.close();
  }
}

/** The text variant of the first line that fits one of `allowed`; null when none does. */
export async function sniffTextVariant(file: string, allowed: readonly TextVariant[]): Promise<TextVariant | null> {
  let found: TextVariant | null = null;
  let content = 0;
  await forEachLine(file, (line) => {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) return true;
    found = guessVariant(t, allowed);
    return found === null && ++content < SNIFF_LINES;
  });
  return found;
}
