import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter (manual clock)', () => {
  it('spaces global starts 1/rate apart after the burst', async () => {
    const clock = new ManualClock(1000);
    const rl = new RateLimiter({ rate: 100, burst: 1, clock });
    const starts: number[] = [];
    for (let i = 0; i < 1000; i++) {
      await rl.acquire(`h${i}`);
      starts.push(clock.now());
    }
    const elapsed = ((starts.at(-1) ?? 0) - (starts[0] ?? 0)) / 1000;
    expect(999 / elapsed).toBeCloseTo(100, 6);
  });

  it('never exceeds rate × elapsed + burst in any window', async () => {
    const clock = new ManualClock();
    const rl = new RateLimiter({ rate: 1000, burst: 10, clock });
    clock.advance(5000); // idle spell: at most `burst` may start at once
    const starts: number[] = [];
    for (let i = 0; i < 200; i++) {
      await rl.acquire('x' + i);
      starts.push(clock.now());
    }
    const t0 = starts[0] ?? 0;
    starts.forEach((t, i) => expect(i + 1).toBeLessThanOrEqual(((t - t0) / 1000) * 1000 + 10 + 1e-9));
    expect(starts.filter((t) => t === t0).length).toBe(10);
  });

  it('holds a per-host rate while other hosts go on at the global rate', async () => {
    const clock = new ManualClock();
    const rl = new RateLimiter({ rate: 1000, perHostRate: 10, burst: 1, clock });
    const hostA: number[] = [];
    for (let i = 0; i < 50; i++) {
      await rl.acquire('A');
      hostA.push(clock.now());
    }
    for (let i = 1; i < hostA.length; i++) expect((hostA[i] ?? 0) - (hostA[i - 1] ?? 0)).toBeGreaterThanOrEqual(100 - 1e-9);
  });

  it('prunes hosts it no longer needs to remember', async () => {
    const clock = new ManualClock();
    const rl = new RateLimiter({ rate: 0, perHostRate: 1000, clock });
    for (let i = 0; i < 25_000; i++) {
      await rl.acquire(`10.0.${i >> 8}.${i & 255}`);
      clock.advance(1);
    }
    expect(rl.hostsTracked).toBeLessThan(10_001);
  });

  it('rejects a waiting acquire when aborted', async () => {
    const rl = new RateLimiter({ rate: 1, burst: 1 });
    await rl.acquire('a');
    const ac = new AbortController();
    const p = rl.acquire('b', ac.signal);
    ac.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
  });
});

describe('RateLimiter (real clock, concurrent callers)', () => {
  it('achieves the configured rate within 5% with 500 concurrent callers', async () => {
    const rate = 4000;
    const rl = new RateLimiter({ rate, perHostRate: 50 });
    const t0 = performance.now();
    const until = t0 + 1000;
    let done = 0;
    const worker = async (w: number): Promise<void> => {
      let i = 0;
      while (performance.now() < until) {
        await rl.acquire(`h${w}-${i++ % 3}`);
        if (performance.now() <= until) done++;
      }
    };
    await Promise.all(Array.from({ length: 500 }, (_, w) => worker(w)));
    const achieved = done / ((until - t0) / 1000);
    expect(Math.abs(achieved / rate - 1)).toBeLessThan(0.05);
  });
});
