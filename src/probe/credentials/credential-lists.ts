/**
 * Credential lists for the NOTICE check: JSON files `{ id, name?, description?, sources?,
 * entries: [{ id, username, password, source? }] }`, validated with zod. A bad file is refused
 * with the file, the entry (index and id) and the field named; duplicate entry ids are refused
 * (findings record the entry id, so it must name one pair). The built-in lists live in
 * data/credentials/ at the package root, found from src/ (tsx, vitest) and from dist/src/ alike.
 * Only the entry id of an accepted pair is ever recorded — never the password.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { SakimoriError } from '../../errors.js';
import { packageRoot } from '../../util/package-root.js';
import type { CredentialList } from '../module.js';

export const DEFAULT_CREDENTIAL_LIST_ID = 'notice-defaults';

/** Built-in list ids → file under the package root. */
export const BUILTIN_CREDENTIAL_LISTS: Readonly<Record<string, string>> = {
  'notice-defaults': 'data/credentials/notice-defaults.json',
};

const noBreak = (s: string): boolean => !/[\r\n\0]/.test(s);

const entrySchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, 'ids are 1–100 letters, digits, . _ : -, starting with a letter or digit'),
  username: z.string().max(200).refine(noBreak, 'contains CR, LF or NUL'),
  password: z.string().max(200).refine(noBreak, 'contains CR, LF or NUL'),
  source: z.string().max(500).optional(),
}).strict();

const listSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'list ids are 1–100 letters, digits, . _ -'),
  name: z.string().max(200).optional(),
  description: z.string().max(4000).optional(),
  sources: z.array(z.string().max(1000)).max(100).optional(),
  entries: z.array(z.unknown()).min(1, 'the list has no entries').max(10_000),
});

export interface CredentialListFile extends CredentialList {
  readonly name?: string;
  readonly description?: string;
  readonly sources?: readonly string[];
  readonly entries: readonly (CredentialList['entries'][number] & { readonly source?: string })[];
}

function issueText(e: z.ZodError): { path: string; message: string } {
  const i = e.issues[0];
  return { path: i ? i.path.join('.') : '', message: i ? i.message : 'invalid' };
}

/** Validates a parsed list; `where` names its origin (a file) in errors. */
export function parseCredentialListData(v: unknown, where: string): CredentialListFile {
  const top = listSchema.safeParse(v);
  if (!top.success) {
    const { path, message } = issueText(top.error);
    throw new SakimoriError('CREDENTIALS_INVALID', `${where}: ${path ? `${path}: ` : ''}${message}`, { file: where, ...(path ? { field: path } : {}) });
  }
  const seen = new Map<string, number>();
  const entries: CredentialListFile['entries'][number][] = [];
  top.data.entries.forEach((raw, i) => {
    const r = entrySchema.safeParse(raw);
    const rawId = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : undefined;
    const name = `entries[${i}]${rawId !== undefined ? ` (id "${rawId.slice(0, 100)}")` : ''}`;
    if (!r.success) {
      const { path, message } = issueText(r.error);
      // Never the value itself: it may be a password.
      throw new SakimoriError('CREDENTIALS_INVALID', `${where}: ${name}: ${path ? `${path}: ` : ''}${message}`, { file: where, entry: rawId ?? i, ...(path ? { field: path } : {}) });
    }
    const prev = seen.get(r.data.id);
    if (prev !== undefined) {
      throw new SakimoriError('CREDENTIALS_INVALID', `${where}: ${name}: duplicate id, also used by entries[${prev}]`, { file: where, entry: r.data.id });
    }
    seen.set(r.data.id, i);
    entries.push(r.data);
  });
  const d = top.data;
  return {
    id: d.id, entries,
    ...(d.name !== undefined ? { name: d.name } : {}),
    ...(d.description !== undefined ? { description: d.description } : {}),
    ...(d.sources !== undefined ? { sources: d.sources } : {}),
  };
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new SakimoriError('CREDENTIALS_INVALID', `${file}: not JSON: ${e instanceof Error ? e.message : String(e)}`, { file });
  }
}

/** Reads and validates a list file. */
export async function loadCredentialListFile(file: string): Promise<CredentialListFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SakimoriError(code === 'ENOENT' ? 'INPUT_NOT_FOUND' : 'INPUT_READ_FAILED', `credential list ${file}: ${e instanceof Error ? e.message : String(e)}`, { file });
  }
  return parseCredentialListData(parseJson(text, file), file);
}

const builtinCache = new Map<string, CredentialListFile>();

/** The path of a built-in list's file (under the package root). */
export function builtinCredentialListPath(id: string): string | undefined {
  const rel = BUILTIN_CREDENTIAL_LISTS[id];
  return rel === undefined ? undefined : join(packageRoot(), rel);
}

/** A built-in list by id (read once per process); its id must match the file's. */
export function builtinCredentialList(id: string = DEFAULT_CREDENTIAL_LIST_ID): CredentialListFile {
  const cached = builtinCache.get(id);
  if (cached !== undefined) return cached;
  const file = builtinCredentialListPath(id);
  if (file === undefined) {
    throw new SakimoriError('CREDENTIALS_INVALID', `no built-in credential list "${id}"; built-in: ${Object.keys(BUILTIN_CREDENTIAL_LISTS).join(', ')}`, { list: id });
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new SakimoriError('INPUT_NOT_FOUND', `built-in credential list ${id}: ${e instanceof Error ? e.message : String(e)}`, { file });
  }
  const list = parseCredentialListData(parseJson(text, file), file);
  if (list.id !== id) throw new SakimoriError('CREDENTIALS_INVALID', `${file}: id "${list.id}" where "${id}" was expected`, { file, field: 'id' });
  builtinCache.set(id, list);
  return list;
}

/** `--credential-list ID|FILE`: a built-in id, else a file path. */
export async function resolveCredentialList(spec: string): Promise<CredentialListFile> {
  if (BUILTIN_CREDENTIAL_LISTS[spec] !== undefined) return builtinCredentialList(spec);
  return loadCredentialListFile(spec);
}
