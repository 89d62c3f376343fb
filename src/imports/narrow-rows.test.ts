/**
 * The narrow insert's columns are service registry columns with the registry's types: a change
 * to schema/service-observation.ts reaches the port-only rows too, or fails here.
 */
import { describe, expect, it } from 'vitest';
import { SERVICE_FIELDS } from '../schema/service-observation.js';
import { NARROW_ROW_STRUCTURE, NARROW_SELECT, NARROW_TARGET_COLUMNS } from './narrow-rows.js';

const registryType = new Map(SERVICE_FIELDS.map((f) => [f.name, f.ch]));

/** A `a, f(b, c), d` list split at its top-level commas only. */
function items(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(list.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(list.slice(start).trim());
  return out;
}

const targets = items(NARROW_TARGET_COLUMNS);

describe('narrow rows', () => {
  it('insert distinct registry columns, time first', () => {
    expect(targets[0]).toBe('time');
    for (const name of targets) expect(registryType.has(name), name).toBe(true);
    expect(new Set(targets).size).toBe(targets.length);
  });

  it('read the time as milliseconds or text, every other column with its registry type', () => {
    const expected = targets.slice(1).map((name) => {
      const ch = registryType.get(name) ?? '';
      // RowBinary writes a LowCardinality(T) as a T.
      return `${name} ${/^LowCardinality\((.*)\)$/.exec(ch)?.[1] ?? ch}`;
    });
    expect(items(NARROW_ROW_STRUCTURE)).toEqual(['time_ms Int64', 'time_text String', ...expected]);
  });

  it('select one value per target column: the time from the file, the others as they are', () => {
    const values = items(NARROW_SELECT);
    expect(values[0]).toMatch(/time_ms.*time_text/);
    expect(values.slice(1)).toEqual(targets.slice(1));
  });
});
