/** One thing wrong with a STIX object: where (a JSON path from the object, e.g. `external_references[0].source_name`) and why. */
export interface StixIssue {
  readonly path: string;
  readonly message: string;
}

/** A plain JSON object (not an array, not null). */
export type JsonRecord = Readonly<Record<string, unknown>>;

export function isRecord(v: unknown): v is JsonRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

export class Issues {
  readonly list: StixIssue[] = [];
  add(path: string, message: string): void {
    this.list.push({ path, message });
  }
}

export function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}
