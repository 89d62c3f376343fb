import { describe, expect, it } from 'vitest';
import { Semaphore } from './semaphore.js';

describe('Semaphore', () => {
  it('never lets more than the limit hold at once, and serves waiters in order', async () => {
    const s = new Semaphore(3);
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(Array.from({ length: 50 }, async (_, i) => {
      await s.acquire();
      order.push(i);
      inside++;
      most = Math.max(most, inside);
      await new Promise((r) => setTimeout(r, 1));
      inside--;
      s.release();
    }));
    expect(most).toBe(3);
    expect(s.peak).toBe(3);
    expect(s.held).toBe(0);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('drops an aborted waiter without losing a permit', async () => {
    const s = new Semaphore(1);
    await s.acquire();
    const ac = new AbortController();
    const waiting = s.acquire(ac.signal);
    ac.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    expect(s.waiting).toBe(0);
    s.release();
    await s.acquire();
    expect(s.held).toBe(1);
    expect(() => { s.release(); s.release(); }).toThrow(/more often/);
  });
});
