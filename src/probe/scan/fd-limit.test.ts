import { describe, expect, it } from 'vitest';
import { ensureFdLimit, FD_RESERVE, readFdLimit, socketBudget } from './fd-limit.js';

describe('fd limit', () => {
  it('reads the limit of this process and keeps the socket budget below it', async () => {
    const cur = await readFdLimit();
    expect(cur?.soft).toBeGreaterThan(0);
    const l = await ensureFdLimit(100);
    expect(l.soft).toBeGreaterThanOrEqual(cur?.soft ?? 0);
    expect(socketBudget(10_000, { soft: 4096, hard: 4096, raised: false })).toBe(4096 - FD_RESERVE);
    expect(socketBudget(100, { soft: 4096, hard: 4096, raised: false })).toBe(100);
    expect(socketBudget(100, { soft: 100, hard: 100, raised: false })).toBe(1);
  });
});
