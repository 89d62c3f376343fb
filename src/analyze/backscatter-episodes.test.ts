import { describe, expect, it } from 'vitest';
import { backscatterEpisodes, EPISODE_GAP_HOURS } from './backscatter-episodes.js';

const h = (hh: number, backscatter: number, packets = backscatter) => ({ hour: new Date(Date.UTC(2026, 10, 1, hh)).toISOString(), packets, backscatter });

describe('backscatter episodes', () => {
  it('keeps one quiet hour inside an episode and splits at two', () => {
    expect(EPISODE_GAP_HOURS).toBe(2);
    const e = backscatterEpisodes([h(1, 10), h(2, 50), h(4, 5), /* 5, 6 quiet */ h(7, 8), h(3, 0, 99)]);
    expect(e).toEqual([
      { start: '2026-11-01T01:00:00.000Z', end: '2026-11-01T05:00:00.000Z', packets: 65, peak: 50, peakHour: '2026-11-01T02:00:00.000Z' },
      { start: '2026-11-01T07:00:00.000Z', end: '2026-11-01T08:00:00.000Z', packets: 8, peak: 8, peakHour: '2026-11-01T07:00:00.000Z' },
    ]);
  });

  it('has none without backscatter, and sorts hours given in any order', () => {
    expect(backscatterEpisodes([h(1, 0, 40)])).toEqual([]);
    expect(backscatterEpisodes([h(5, 1), h(4, 3)])).toMatchObject([{ start: '2026-11-01T04:00:00.000Z', end: '2026-11-01T06:00:00.000Z', packets: 4, peak: 3 }]);
  });
});
