import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SakimoriError } from '../errors.js';
import { openInput } from './input.js';

describe('openInput', () => {
  it('reads a file whole and knows its size and name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sakimori-input-'));
    const path = join(dir, 'a.pcap');
    const data = Buffer.alloc(10_000_000, 7);
    writeFileSync(path, data);
    const input = openInput(path);
    expect(input).toMatchObject({ size: 10_000_000, name: path });
    let total = 0;
    let chunks = 0;
    for await (const c of input.stream) {
      total += c.length;
      chunks++;
    }
    expect(total).toBe(10_000_000);
    expect(chunks).toBeLessThanOrEqual(3); // 4 MiB reads
  });

  it('throws INPUT_NOT_FOUND naming a missing file', () => {
    const e = (() => { try { openInput('/nonexistent/b.pcap'); } catch (x) { return x; } return undefined; })();
    expect(e).toBeInstanceOf(SakimoriError);
    expect((e as SakimoriError).code).toBe('INPUT_NOT_FOUND');
    expect((e as SakimoriError).where).toEqual({ file: '/nonexistent/b.pcap' });
  });

  it('takes "-" as standard input', () => {
    expect(openInput('-')).toMatchObject({ name: 'stdin', stream: process.stdin });
  });
});
