/** Data markings (section 7.2): marking-definition objects, object and granular markings, TLP 1.0 and 2.0. */
import { checkRef } from './validate-refs.js';
import { checkString } from './validate-common.js';
import { child, describe, isRecord, type Issues, type JsonRecord } from './issues.js';
import { TLP1_IDS, TLP2_IDS, tlpOfMarkingId } from './tlp.js';

/** The TLP 2.0 marking extension (FIRST's definition in the STIX common objects). */
export const TLP2_EXTENSION = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

export function checkMarkingDefinition(issues: Issues, o: JsonRecord): void {
  const id = typeof o.id === 'string' ? o.id : '';
  if (o.name !== undefined) checkString(issues, 'name', o.name);
  const hasType = o.definition_type !== undefined;
  const hasDef = o.definition !== undefined;
  if (hasType !== hasDef) issues.add(hasType ? 'definition' : 'definition_type', `is required when ${hasType ? 'definition_type' : 'definition'} is present`);
  if (!hasType && !hasDef && o.extensions === undefined) issues.add('definition', 'a marking definition needs definition_type and definition, or an extension that defines it');
  if (hasType && hasDef) {
    const def = o.definition;
    if (!isRecord(def)) {
      issues.add('definition', `must be an object, not ${describe(def)}`);
    } else if (o.definition_type === 'statement') {
      if (def.statement === undefined) issues.add('definition.statement', 'is required for a statement marking');
      else checkString(issues, 'definition.statement', def.statement, { nonEmpty: true });
    } else if (o.definition_type === 'tlp') {
      // Section 7.2.1.4: only the four predefined TLP 1.0 definitions may exist, with their ids.
      const level = def.tlp;
      if (!['white', 'green', 'amber', 'red'].includes(String(level))) issues.add('definition.tlp', `must be white, green, amber or red, not ${describe(level)}`);
      else if (TLP1_IDS[level as keyof typeof TLP1_IDS] !== id) issues.add('id', `a TLP:${String(level).toUpperCase()} marking must use the predefined id ${TLP1_IDS[level as keyof typeof TLP1_IDS]}`);
    } else if (typeof o.definition_type !== 'string') {
      issues.add('definition_type', `must be a string, not ${describe(o.definition_type)}`);
    }
  }
  // A TLP 2.0 id must carry its own level, and a TLP 2.0 extension only a canonical id.
  const ext = isRecord(o.extensions) ? o.extensions[TLP2_EXTENSION] : undefined;
  const tlp2 = Object.entries(TLP2_IDS).find(([, v]) => v === id)?.[0];
  if (isRecord(ext)) {
    const level = ext.tlp_2_0;
    if (!tlp2) issues.add(child('extensions', TLP2_EXTENSION), `a TLP 2.0 marking must use the canonical id of its level, not ${id}`);
    else if (level !== tlp2) issues.add(`extensions.${TLP2_EXTENSION}.tlp_2_0`, `must be "${tlp2}" for ${id}, not ${describe(level)}`);
  } else if (tlp2 && tlpOfMarkingId(id)) {
    issues.add('extensions', `the TLP:${tlp2.toUpperCase()} marking definition must carry the TLP 2.0 extension ${TLP2_EXTENSION}`);
  }
  if (Array.isArray(o.object_marking_refs) && o.object_marking_refs.includes(id)) issues.add('object_marking_refs', 'a marking definition must not mark itself');
}

/** Section 7.2.3: each granular marking has selectors present on the object and one of marking_ref or lang. */
export function checkGranularMarkings(issues: Issues, o: JsonRecord): void {
  const v = o.granular_markings;
  if (!Array.isArray(v)) {
    issues.add('granular_markings', `must be a list of granular markings, not ${describe(v)}`);
    return;
  }
  v.forEach((g, i) => {
    const p = child('granular_markings', i);
    if (!isRecord(g)) {
      issues.add(p, `must be an object, not ${describe(g)}`);
      return;
    }
    if ((g.marking_ref === undefined) === (g.lang === undefined)) issues.add(p, 'must have exactly one of marking_ref or lang');
    if (g.marking_ref !== undefined) checkRef(issues, child(p, 'marking_ref'), g.marking_ref, ['marking-definition']);
    if (g.lang !== undefined) checkString(issues, child(p, 'lang'), g.lang, { nonEmpty: true });
    const sel = g.selectors;
    if (!Array.isArray(sel) || sel.length === 0) {
      issues.add(child(p, 'selectors'), `must be a non-empty list of selectors, not ${describe(sel)}`);
      return;
    }
    sel.forEach((s, j) => {
      const sp = child(child(p, 'selectors'), j);
      if (typeof s !== 'string') issues.add(sp, `must be a string, not ${describe(s)}`);
      else {
        const why = selectorProblem(o, s);
        if (why) issues.add(sp, why);
      }
    });
  });
}

/** Why a selector does not select content present on the object, or null when it does. */
export function selectorProblem(o: JsonRecord, selector: string): string | null {
  if (selector === '') return 'a selector must not be empty';
  let at: unknown = o;
  for (const part of selector.split('.')) {
    const index = /^\[(\d+)\]$/.exec(part);
    if (index) {
      if (!Array.isArray(at)) return `"${selector}": [${index[1]}] indexes something that is not a list`;
      const n = Number(index[1]);
      if (n >= at.length) return `"${selector}": the list has no item ${n}`;
      at = at[n];
    } else {
      if (part === '' || part.includes('[')) return `"${selector}": "${part}" is neither a property name nor a [n] list index`;
      if (!isRecord(at)) return `"${selector}": "${part}" names a property of something that is not an object`;
      if (!(part in at)) return `"${selector}": the object has no property "${part}"`;
      at = at[part];
    }
  }
  return null;
}

/**
 * Marking definitions that mark one another in a circle (A marked by B, B by A): section 7.2.2
 * forbids circular references. Returns, per definition id in a cycle, the cycle as text.
 */
export function markingCycles(definitions: ReadonlyMap<string, readonly string[]>): Map<string, string> {
  const found = new Map<string, string>();
  const state = new Map<string, 'open' | 'done'>();
  // Iterative depth-first search: a long chain in a hostile bundle must not overflow the stack.
  for (const root of definitions.keys()) {
    if (state.has(root)) continue;
    const frames: { id: string; next: number }[] = [{ id: root, next: 0 }];
    state.set(root, 'open');
    while (frames.length > 0) {
      const f = frames[frames.length - 1] as { id: string; next: number };
      const outs = definitions.get(f.id) ?? [];
      if (f.next >= outs.length) {
        state.set(f.id, 'done');
        frames.pop();
        continue;
      }
      const n = outs[f.next++] as string;
      if (!definitions.has(n)) continue;
      const s = state.get(n);
      if (s === 'open') {
        const path = frames.map((x) => x.id);
        const cycle = path.slice(path.indexOf(n));
        const text = [...cycle, n].join(' → ');
        for (const c of cycle) if (!found.has(c)) found.set(c, text);
      } else if (s === undefined) {
        state.set(n, 'open');
        frames.push({ id: n, next: 0 });
      }
    }
  }
  return found;
}
