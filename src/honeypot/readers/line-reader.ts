/**
 * The shape every line-based honeypot reader has (Cowrie JSON, Dionaea JSON, Conpot JSON): pure,
 * one line of text in, harmonised rows appended to `out`, what it does not store counted in
 * `counts` with the line number. `end()` closes the input (sessions left open are anomalies).
 */
import type { HoneypotEventRow, HoneypotSource } from '../../schema/honeypot-event.js';
import type { ReadCounts } from './read-counts.js';

export interface HoneypotLineReader {
  readonly honeypot: HoneypotSource;
  readonly counts: ReadCounts;
  /** `no` is the 1-based line number, for messages. */
  line(text: string, no: number, out: HoneypotEventRow[]): void;
  end(): void;
}

/** JSON.parse of one line as an object, or undefined (counted `json-invalid` / `json-not-object`). */
export function parseLine(text: string, no: number, counts: ReadCounts): Record<string, unknown> | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    counts.skip('json-invalid', no);
    return undefined;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    counts.skip('json-not-object', no);
    return undefined;
  }
  return v as Record<string, unknown>;
}
