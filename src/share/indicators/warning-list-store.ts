/**
 * Warning lists in the state store: an import replaces the list of that name (a newer version of
 * a MISP warninglist drops the entries it no longer has); every list's addresses are excluded.
 */
import type { StateStore } from '../../store/types.js';
import { SakimoriError } from '../../errors.js';
import { parseWarningList, type WarningListIssue } from './warning-list.js';

export interface WarningListImport { name: string; entries: number; issues: WarningListIssue[] }

export async function importWarningList(state: StateStore, name: string | undefined, text: string): Promise<WarningListImport> {
  const parsed = parseWarningList(text);
  const listName = (name ?? parsed.name ?? '').trim();
  if (listName === '') throw new SakimoriError('BAD_REQUEST', 'a warning list needs a name (--name, or "name" in a MISP warninglist)', { field: 'name' });
  await state.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO share_warning_lists (name, description, entries) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET description = EXCLUDED.description, entries = EXCLUDED.entries, imported_at = now()`,
      [listName, parsed.description ?? '', parsed.prefixes.length],
    );
    await tx.query('DELETE FROM share_warning_entries WHERE list = $1', [listName]);
    await tx.query('INSERT INTO share_warning_entries (list, prefix) SELECT $1, unnest($2::cidr[])', [listName, parsed.prefixes]);
  });
  return { name: listName, entries: parsed.prefixes.length, issues: [...parsed.issues] };
}

export async function listWarningLists(state: Pick<StateStore, 'query'>): Promise<{ name: string; description: string; entries: number; importedAt: string }[]> {
  const rows = await state.query<{ name: string; description: string; entries: number; imported_at: Date }>('SELECT name, description, entries, imported_at FROM share_warning_lists ORDER BY name');
  return rows.map((r) => ({ name: r.name, description: r.description, entries: r.entries, importedAt: new Date(r.imported_at).toISOString() }));
}
