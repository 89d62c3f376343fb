import { describe, expect, it } from 'vitest';
import { preferredLang } from './accept-language.js';

describe('preferredLang', () => {
  it.each<[string | undefined, 'en' | 'ja']>([
    [undefined, 'en'],
    ['', 'en'],
    ['ja', 'ja'],
    ['ja-JP,ja;q=0.9,en;q=0.8', 'ja'],
    ['en-GB,en;q=0.9,ja;q=0.8', 'en'],
    ['fr-FR,fr;q=0.9,ja;q=0.5', 'ja'],
    ['en;q=0.3, ja;q=0.7', 'ja'],
    ['ja;q=0, en', 'en'],
    ['de, *;q=0.5', 'en'],
    ['JA-jp', 'ja'],
    ['jam', 'en'],
  ])('%s → %s', (header, lang) => {
    expect(preferredLang(header)).toBe(lang);
  });
});
