import { describe, expect, it } from 'vitest';
import { compareVersions, inRange, versionTokens } from './version.js';
import { parseCpe } from './cpe.js';

describe('version comparison (NVD semantics)', () => {
  it('orders the vectors', () => {
    const less: [string, string][] = [
      ['1.2', '1.10'],
      ['7.4p1', '7.5'],
      ['7.4', '7.4p1'],
      ['7.4p1', '7.4p2'],
      ['2.4.49', '2.4.50'],
      ['1.0', '1.0.1'],
      ['1.0rc1', '1.0'],
      ['1.0-beta2', '1.0'],
      ['1.0.2', '1.0.2a'],
      ['1.0.2k', '1.0.2l'],
      ['2.0a', '2.0.1'],
      ['2019.78', '2020.79'],
      ['9.3p1', '9.3p2'],
      ['0.94.13', '0.94.14rc21'],
    ];
    for (const [a, b] of less) {
      expect(compareVersions(a, b), `${a} < ${b}`).toBeLessThan(0);
      expect(compareVersions(b, a), `${b} > ${a}`).toBeGreaterThan(0);
    }
    expect(compareVersions('1.01', '1.1')).toBe(0);
    expect(compareVersions('7.4P1', '7.4p1')).toBe(0);
    expect(compareVersions('7.4-p1', '7.4p1')).toBe(0);
    expect(versionTokens('9.4.43.v20210629')).toEqual([9, 4, 43, 'v', 20210629]);
  });

  it('checks ranges including and excluding their bounds', () => {
    const t = versionTokens;
    expect(inRange(t('7.4p1'), { endExcluding: t('7.5') })).toBe(true);
    expect(inRange(t('7.5'), { endExcluding: t('7.5') })).toBe(false);
    expect(inRange(t('7.5'), { endIncluding: t('7.5') })).toBe(true);
    expect(inRange(t('7.5p1'), { endIncluding: t('7.5') })).toBe(false);
    expect(inRange(t('2.4.49'), { startIncluding: t('2.4.49'), endExcluding: t('2.4.51') })).toBe(true);
    expect(inRange(t('2.4.49'), { startExcluding: t('2.4.49') })).toBe(false);
    expect(inRange(t('2.4.50'), { startExcluding: t('2.4.49'), endIncluding: t('2.4.50') })).toBe(true);
    expect(inRange(t('1.10'), { startIncluding: t('1.2'), endExcluding: t('1.9') })).toBe(false);
  });
});

describe('CPE names', () => {
  it('parses 2.3 formatted strings (with escapes) and 2.2 URIs', () => {
    expect(parseCpe('cpe:2.3:a:openbsd:openssh:7.4:p1:*:*:*:*:*:*')).toEqual({ part: 'a', vendor: 'openbsd', product: 'openssh', version: '7.4', update: 'p1' });
    expect(parseCpe('cpe:2.3:a:acme:w\\:x:1.0\\+b:*:*:*:*:*:*:*')).toEqual({ part: 'a', vendor: 'acme', product: 'w:x', version: '1.0+b', update: '*' });
    expect(parseCpe('cpe:/a:openbsd:openssh:7.4p1')).toEqual({ part: 'a', vendor: 'openbsd', product: 'openssh', version: '7.4p1', update: '*' });
    expect(parseCpe('cpe:2.3:a:openbsd:openssh')).toBeUndefined();
    expect(parseCpe('openssh 7.4')).toBeUndefined();
  });
});
