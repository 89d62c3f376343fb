import { describe, expect, it } from 'vitest';
import { EXPORT_FORMATS, exportText } from '../share/export/indicator-exports.js';
import { SHARE_EXPORT_FORMATS, SHARE_INDICATORS } from './contract/share-indicators.js';

describe('share export formats', () => {
  it('the CLI and the route offer the formats the exporter writes, no more and no fewer', () => {
    // `share export --format` and GET /share/export both take SHARE_EXPORT_FORMATS; exportText takes EXPORT_FORMATS.
    expect([...SHARE_EXPORT_FORMATS].sort()).toEqual([...EXPORT_FORMATS].sort());
    const format = SHARE_INDICATORS.export.schema.querystring.shape.format.unwrap();
    expect([...format.options].sort()).toEqual([...EXPORT_FORMATS].sort());
    for (const f of SHARE_EXPORT_FORMATS) expect(exportText(f, [], 'empty').contentType, f).toMatch(/\//);
  });
});
