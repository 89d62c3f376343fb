import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Migration } from '../migrate.js';
import { PgliteStateStore } from './pglite-store.js';
import { seedFromTemplate, templateDir, templateMigrations } from './pglite-template.js';
import { makeTemplate } from './template-maker.js';

const root = mkdtempSync(join(tmpdir(), 'sakimori-template-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const schema: Migration = { id: 1, name: 'things', statements: ['CREATE TABLE things (id int PRIMARY KEY)', 'ALTER TABLE things ADD COLUMN name text'] };
const more: Migration = { id: 2, name: 'more', statements: ['CREATE INDEX things_name ON things (name)'] };
const writes: Migration = { id: 3, name: 'seed', statements: ["INSERT INTO things VALUES (1, 'per installation')"] };
const after: Migration = { id: 4, name: 'after', statements: ['CREATE TABLE later (id int)'] };

describe('the PGlite template of new data directories', () => {
  it('holds the schema-only migrations up to the first that writes rows, which every directory runs itself', () => {
    expect(templateMigrations([schema, more, writes, after]).map((m) => m.id)).toEqual([1, 2]);
    expect(templateMigrations([schema, more]).map((m) => m.id)).toEqual([1, 2]);
  });

  it('is named after the PGlite version and its migrations, so other code never uses it', () => {
    const a = templateDir(root, [schema, more]);
    expect(a).toMatch(/pglite-template\/\d+\.\d+\.\d+-[0-9a-f]{16}$/);
    expect(templateDir(root, [schema, more, writes])).toBe(a);
    expect(templateDir(root, [schema])).not.toBe(a);
  });

  it('is made once, and a new directory copied from it is that database', async () => {
    const dir = templateDir(root, [schema, more, writes]);
    expect(await makeTemplate(dir, [schema, more, writes])).toBe(true);
    expect(await makeTemplate(dir, [schema, more, writes])).toBe(false);
    const data = join(root, 'data', 'state');
    expect(await seedFromTemplate(data, dir)).toBe(true);
    expect(await seedFromTemplate(data, dir)).toBe(false); // a database is there now: left alone
    const s = await PgliteStateStore.open(data);
    try {
      expect(await s.query('SELECT id, name FROM schema_migrations ORDER BY id')).toEqual([{ id: 1, name: 'things' }, { id: 2, name: 'more' }]);
      expect(await s.query('SELECT count(*)::int AS n FROM things')).toEqual([{ n: 0 }]);
    } finally {
      await s.close();
    }
  });

  it('is not used when it is missing', async () => {
    expect(await seedFromTemplate(join(root, 'other'), join(root, 'missing'))).toBe(false);
  });
});
