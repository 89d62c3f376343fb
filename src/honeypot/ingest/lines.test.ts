import { describe, expect, it } from 'vitest';
import { readLines } from './lines.js';

async function collect(chunks: Uint8Array[], maxLine = 100): Promise<{ lines: [number, string][]; tooLong: number[]; summary: Awaited<ReturnType<typeof readLines>> }> {
  const lines: [number, string][] = [];
  const tooLong: number[] = [];
  async function* input(): AsyncGenerator<Uint8Array> { for (const c of chunks) yield c; }
  const summary = await readLines(input(), (ls, first) => { ls.forEach((l, i) => lines.push([first + i, l])); }, { maxLine, tooLong: (no) => tooLong.push(no) });
  return { lines, tooLong, summary };
}

describe('readLines', () => {
  it('cuts lines at \\n and \\r\\n, wherever the chunks end, and keeps characters split across chunks whole', async () => {
    const bytes = Buffer.from('{"a":"日本"}\r\nline two\n\nlast without newline', 'utf8');
    // Every cut point, including inside the three bytes of 日 and between \r and \n.
    for (let cut = 0; cut <= bytes.length; cut++) {
      const got = await collect([bytes.subarray(0, cut), bytes.subarray(cut)]);
      expect(got.lines, `cut at ${cut}`).toEqual([[1, '{"a":"日本"}'], [2, 'line two'], [3, ''], [4, 'last without newline']]);
      expect(got.summary.bytes).toBe(bytes.length);
    }
  });

  it('reports a line longer than the limit by its number, drops all of it, and goes on', async () => {
    const got = await collect([Buffer.from(`short\n${'x'.repeat(150)}`), Buffer.from(`${'y'.repeat(50)}\nafter\n`)]);
    expect(got.tooLong).toEqual([2]);
    expect(got.lines.filter(([, l]) => l !== '')).toEqual([[1, 'short'], [3, 'after']]);
  });

  it('replaces bytes that are not UTF-8 and keeps the rest of the line', async () => {
    const got = await collect([Uint8Array.from([0x61, 0xff, 0x62, 0x0a, 0xe6, 0x97, 0x0a, 0x63])]);
    expect(got.lines).toEqual([[1, 'a\ufffdb'], [2, '\ufffd'], [3, 'c']]);
  });
});
