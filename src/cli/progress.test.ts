import { describe, expect, it } from 'vitest';
import { StageProgress } from './progress.js';

/** A stream that keeps what is written; a terminal or not. */
function sink(tty: boolean): NodeJS.WriteStream & { text: string } {
  const s = { isTTY: tty, text: '', write(chunk: string) { s.text += chunk; return true; } };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

describe('stage progress', () => {
  it('prints whole lines when not on a terminal: the start, each quarter once, steps, and the end with its time', () => {
    const out = sink(false);
    const p = new StageProgress(out);
    p.start('ingest');
    for (let i = 1; i <= 100; i++) p.tick(i * 1000, 100_000, 'packets');
    p.note('week 1 of 5');
    p.end('ingested 100,000 packets');
    const lines = out.text.split('\n');
    expect(lines[0]).toBe('ingest …');
    expect(lines.filter((l) => /^ {2}\d+% /.test(l)).map((l) => l.split(' ')[2])).toEqual(['25%', '50%', '75%']);
    expect(lines).toContain('  week 1 of 5');
    expect(lines.at(-2)).toMatch(/^ingested 100,000 packets \(\d+\.\d s\)$/);
    expect(out.text).not.toContain('\r');
  });

  it('rewrites one line on a terminal', () => {
    const out = sink(true);
    const p = new StageProgress(out);
    p.start('synthesis');
    p.note('writing');
    p.end('synthesized');
    expect(out.text.split('\n').filter(Boolean)).toHaveLength(1);
    expect(out.text).toContain('\r\x1b[Ksynthesized (');
  });
});
