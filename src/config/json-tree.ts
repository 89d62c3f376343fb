/** Plain-object helpers for the configuration layers (a parsed JSON file, the environment, flags). */

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** b over a: objects merge key by key, anything else (arrays too) replaces; undefined leaves a's value. */
export function deepMerge(a: Json, b: unknown): Json {
  if (!isObject(b)) return a;
  const out: Json = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (v === undefined) continue;
    const cur = out[k];
    out[k] = isObject(cur) && isObject(v) ? deepMerge(cur, v) : v;
  }
  return out;
}

/** Whether `o` has a value at the dotted path. */
export function hasPath(o: Json, path: string): boolean {
  const parts = path.split('.');
  const parent = parentOf(o, parts, false);
  return parent !== undefined && (parts.at(-1) ?? '') in parent;
}

/** Removes and returns the value at the dotted path (undefined when there is none). */
export function takePath(o: Json, path: string): unknown {
  const parts = path.split('.');
  const parent = parentOf(o, parts, false);
  const last = parts.at(-1) ?? '';
  if (parent === undefined || !(last in parent)) return undefined;
  const v = parent[last];
  delete parent[last];
  return v;
}

/** Sets the value at the dotted path, creating the objects on the way. */
export function setPath(o: Json, path: string, v: unknown): void {
  const parts = path.split('.');
  const parent = parentOf(o, parts, true);
  if (parent) parent[parts.at(-1) ?? ''] = v;
}

function parentOf(o: Json, parts: string[], create: boolean): Json | undefined {
  let cur: Json = o;
  for (const p of parts.slice(0, -1)) {
    const next = cur[p];
    if (isObject(next)) cur = next;
    else if (create) cur = cur[p] = {};
    else return undefined;
  }
  return cur;
}

/**
 * Whether this layer supplied what sits at a validation issue's path: a value at the path, or a
 * non-object on the way to it (a layer that set `server: 5` supplied the bad `server`).
 */
export function suppliesPath(layer: Json, path: readonly PropertyKey[]): boolean {
  let cur: unknown = layer;
  for (const k of path) {
    if (typeof cur !== 'object' || cur === null) return true;
    if (!(k in cur)) return false;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return true;
}
