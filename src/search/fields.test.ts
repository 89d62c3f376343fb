/** The field registry documents itself: a Japanese doc and examples that parse and use the field. */
import { describe, expect, it } from 'vitest';
import { parseQuery } from './parser.js';
import { compileSearch } from './search.js';
import { SEARCH_FIELDS, searchField } from './fields.js';
import { UNRESTRICTED } from '../store/need-to-know.js';
import type { Node } from './ast.js';

/** Fields a parsed query names. */
function fieldsOf(n: Node): string[] {
  switch (n.kind) {
    case 'and':
    case 'or':
      return n.children.flatMap(fieldsOf);
    case 'not':
      return fieldsOf(n.child);
    case 'term':
    case 'range':
      return n.field ? [n.field.name] : [];
    default:
      return [];
  }
}

describe('search field registry', () => {
  it.each(SEARCH_FIELDS.map((f) => [f.name, f] as const))('%s has a Japanese doc and examples that compile and use it', (name, f) => {
    expect(f.docJa).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]|^[\x20-\x7e]+$/);
    expect(f.docJa).not.toBe('');
    expect(f.examples.length).toBeGreaterThan(0);
    for (const x of f.examples) {
      expect(() => compileSearch(x, UNRESTRICTED), x).not.toThrow();
      expect(fieldsOf(parseQuery(x)), x).toContain(name);
    }
    for (const a of f.aliases ?? []) expect(searchField(a)).toBe(f);
  });
});
