import { describe, expect, it } from 'vitest';
import { JsonArraySplitter } from './json-array-splitter.js';

function split(text: string, chunk: number): { els: string[]; head: Record<string, unknown>; end: ReturnType<JsonArraySplitter['end']> } {
  const s = new JsonArraySplitter('vulnerabilities');
  const els: string[] = [];
  for (let i = 0; i < text.length; i += chunk) els.push(...s.push(text.slice(i, i + chunk)));
  return { els, head: s.head, end: s.end() };
}

describe('JsonArraySplitter', () => {
  const doc = {
    title: 'CISA Catalog of "Known" Exploited Vulnerabilities \\ test',
    catalogVersion: '2024.07.01',
    count: 3,
    nested: { vulnerabilities: [{ not: 'this one' }] },
    vulnerabilities: [
      { cveID: 'CVE-2021-1', notes: 'brace } and bracket ] in a string, escaped quote \\" and backslash \\\\' },
      { cveID: 'CVE-2021-2', cwes: ['CWE-78', 'CWE-20'], deep: { a: [{ b: [] }] } },
      { cveID: 'CVE-2021-3', text: '日本語の説明 ✓' },
    ],
    trailer: true,
  };
  const text = JSON.stringify(doc, null, 2);

  it('hands out each element of the top-level array whatever the chunk size', () => {
    for (const chunk of [1, 2, 3, 7, 64, 1 << 20]) {
      const r = split(text, chunk);
      expect(r.els.map((e) => JSON.parse(e) as unknown), `chunk ${chunk}`).toEqual(doc.vulnerabilities);
      expect(r.head).toEqual({ title: doc.title, catalogVersion: '2024.07.01', count: 3, trailer: true });
      expect(r.end).toEqual({ complete: true });
    }
  });

  it('names the record where a truncated file ends', () => {
    const cut = text.slice(0, text.indexOf('CVE-2021-3') + 4);
    for (const chunk of [5, 1 << 20]) {
      const r = split(cut, chunk);
      expect(r.els).toHaveLength(2);
      expect(r.end.complete).toBe(false);
      expect(r.end.error).toMatch(/inside record 2 \(truncated/);
    }
    const afterTwo = text.slice(0, text.indexOf('CVE-2021-3') - 20);
    expect(split(afterTwo, 9).end.error).toMatch(/after record 1 before the "vulnerabilities" array is closed/);
  });

  it('reports input that is not an object with the array', () => {
    expect(split('[1,2]', 4).end.error).toMatch(/expected a JSON object at character 0/);
    expect(split('{"a": 1}', 4).end.error).toMatch(/no "vulnerabilities" array/);
    expect(split('', 4).end.error).toBe('empty input');
  });
});
