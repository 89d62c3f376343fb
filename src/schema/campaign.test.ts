import { describe, expect, it } from 'vitest';
import { campaignName, heldView, type ListedTie } from './campaign.js';

const ties: ListedTie[] = [
  { kind: 'url', value: 'http://203.0.113.7/b/only.arm7', members: 40 },
  { kind: 'hash', value: 'a'.repeat(64), members: 30 },
  { kind: 'darknet-tool', value: 'mirai → tcp/23', members: 20 },
];

describe('campaign views', () => {
  it('names a campaign from a tie', () => {
    expect(campaignName('url', 'http://198.51.100.7/bins/mirai.arm7', undefined)).toBe('198.51.100.7 (mirai.arm7)');
    expect(campaignName('hash', 'b'.repeat(64), undefined)).toBe(`dropper ${'b'.repeat(12)}`);
    expect(campaignName('credentials', '3 pairs: a/b, c/d, e/f #00ff', undefined)).toBe('dictionary 3 pairs: a/b, c/d, e/f');
  });

  it('shows those who hold some members only the ties they hold, and names it from the strongest of them', () => {
    // The strongest tie (a URL only other members fetched) is neither listed nor named.
    const v = heldView(ties, 0b110, 'cmp-0123456789ab', undefined);
    expect(v.ties.map((t) => t.kind)).toEqual(['hash', 'darknet-tool']);
    expect(v.name).toBe(`dropper ${'a'.repeat(12)}`);
    expect(JSON.stringify(v)).not.toContain('only.arm7');
    expect(heldView(ties, 0b100, 'cmp-0123456789ab', undefined).name).toBe('darknet mirai → tcp/23');
    // Held by nothing listed (computed before member tie sets were kept): nothing but the id.
    expect(heldView(ties, 0, 'cmp-0123456789ab', undefined)).toEqual({ ties: [], name: 'campaign 0123456789ab' });
  });
});
