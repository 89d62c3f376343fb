import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isSakimoriError } from '../../errors.js';
import {
  BUILTIN_CREDENTIAL_LISTS, DEFAULT_CREDENTIAL_LIST_ID, builtinCredentialList, builtinCredentialListPath,
  loadCredentialListFile, parseCredentialListData, resolveCredentialList,
} from './credential-lists.js';

const dir = mkdtempSync(join(tmpdir(), 'sakimori-creds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, v: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof v === 'string' ? v : JSON.stringify(v));
  return p;
}

async function failure(p: Promise<unknown> | (() => unknown)): Promise<Error> {
  try {
    if (typeof p === 'function') p(); else await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
}

describe('built-in credential lists', () => {
  it('notice-defaults: ~60 public default pairs with stable unique ids nd-NNNN, the well-known ones among them', () => {
    const l = builtinCredentialList();
    expect(l.id).toBe(DEFAULT_CREDENTIAL_LIST_ID);
    expect(l.entries.length).toBeGreaterThanOrEqual(55);
    expect(l.entries.length).toBeLessThanOrEqual(80);
    const ids = l.entries.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    ids.forEach((id, i) => expect(id).toBe(`nd-${String(i + 1).padStart(4, '0')}`));
    const pairs = new Set(l.entries.map((e) => `${e.username}/${e.password}`));
    expect(pairs.size).toBe(l.entries.length);
    for (const p of ['root/root', 'admin/admin', 'admin/password', 'root/xc3511', 'root/vizxv', 'admin/1234', 'support/support', 'user/user', 'guest/guest', 'root/']) {
      expect(pairs.has(p), p).toBe(true);
    }
    expect(l.entries[0]).toMatchObject({ id: 'nd-0001', username: 'root', password: 'xc3511' });
    expect(builtinCredentialList()).toBe(l);
  });

  it('the data file is found from the package root (src under tsx/vitest, dist/src compiled)', () => {
    const p = builtinCredentialListPath(DEFAULT_CREDENTIAL_LIST_ID);
    expect(p).toMatch(/data[/\\]credentials[/\\]notice-defaults\.json$/);
    expect(existsSync(p ?? '')).toBe(true);
    expect(existsSync(join(p ?? '', '..', '..', '..', 'package.json'))).toBe(true);
    expect(Object.keys(BUILTIN_CREDENTIAL_LISTS)).toContain('notice-defaults');
  });

  it('resolve: a built-in id or a file; unknown id that is no file is INPUT_NOT_FOUND', async () => {
    expect((await resolveCredentialList('notice-defaults')).id).toBe('notice-defaults');
    const f = write('ok.json', { id: 'mine', entries: [{ id: 'm-1', username: 'a', password: 'b' }] });
    expect(await resolveCredentialList(f)).toEqual({ id: 'mine', entries: [{ id: 'm-1', username: 'a', password: 'b' }] });
    const e = await failure(resolveCredentialList('no-such-list'));
    expect(isSakimoriError(e) && e.code).toBe('INPUT_NOT_FOUND');
    expect(() => builtinCredentialList('nope')).toThrow(/no built-in credential list "nope"/);
  });
});

describe('credential list validation', () => {
  it('names the file, the entry and the field; never echoes a password', async () => {
    const f = write('bad.json', { id: 'x', entries: [{ id: 'a-1', username: 'u', password: 'ok' }, { id: 'a-2', username: 'u', password: 'Secret\r\nX' }] });
    const e = await failure(loadCredentialListFile(f));
    expect(isSakimoriError(e) && e.code).toBe('CREDENTIALS_INVALID');
    expect(e.message).toContain(f);
    expect(e.message).toContain('entries[1] (id "a-2")');
    expect(e.message).toContain('password');
    expect(e.message).toMatch(/CR, LF or NUL/);
    expect(e.message).not.toContain('Secret');
  });

  it('refuses duplicate ids, unknown entry fields, missing fields, empty lists, bad JSON', async () => {
    const dup = await failure(() => parseCredentialListData({ id: 'x', entries: [{ id: 'd', username: 'a', password: 'b' }, { id: 'e', username: 'a', password: 'c' }, { id: 'd', username: 'x', password: 'y' }] }, 'dup.json'));
    expect(dup.message).toMatch(/dup\.json: entries\[2\] \(id "d"\): duplicate id, also used by entries\[0\]/);
    const typo = await failure(() => parseCredentialListData({ id: 'x', entries: [{ id: 'd', username: 'a', pasword: 'b' }] }, 't.json'));
    expect(typo.message).toMatch(/t\.json: entries\[0\] \(id "d"\)/);
    const missing = await failure(() => parseCredentialListData({ id: 'x', entries: [{ username: 'a', password: 'b' }] }, 'm.json'));
    expect(missing.message).toMatch(/m\.json: entries\[0\]: id/);
    const empty = await failure(() => parseCredentialListData({ id: 'x', entries: [] }, 'e.json'));
    expect(empty.message).toMatch(/e\.json: entries: the list has no entries/);
    const badId = await failure(() => parseCredentialListData({ id: 'has space', entries: [{ id: 'a', username: 'a', password: 'b' }] }, 'i.json'));
    expect(badId.message).toMatch(/i\.json: id/);
    const json = await failure(loadCredentialListFile(write('broken.json', '{"id": "x", entries')));
    expect(json.message).toMatch(/broken\.json: not JSON/);
    const none = await failure(loadCredentialListFile(join(dir, 'absent.json')));
    expect(isSakimoriError(none) && none.code).toBe('INPUT_NOT_FOUND');
  });

  it('keeps optional metadata; empty passwords are allowed', () => {
    const l = parseCredentialListData({ id: 'x', name: 'n', sources: ['s'], entries: [{ id: 'a', username: 'root', password: '', source: 'manual' }] }, 'x.json');
    expect(l).toEqual({ id: 'x', name: 'n', sources: ['s'], entries: [{ id: 'a', username: 'root', password: '', source: 'manual' }] });
  });
});
