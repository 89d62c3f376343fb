/**
 * A new PGlite database, initialised and migrated once when the package is built, copied into
 * every new data directory. PGlite initialises a new directory by running initdb in a second
 * WebAssembly instance and copying its files over as a tar archive, and the state migrations then
 * create some forty tables and indexes through its emulated file system: together about 4 s of a
 * first `sakimori ingest` on an idle machine (10 s of CPU on a busy one), more than decoding a
 * million packets. Copying the ready files takes about 0.2 s.
 *
 * The template holds the state migrations that only define the schema (CREATE, ALTER, DROP,
 * COMMENT), up to the first one that writes anything else: whatever a migration writes (an
 * installation's own key, say) is made in each data directory, never copied. Its directory name
 * carries the PGlite version and a hash of those migrations' checksums, so a template is used
 * only by the code that made it; otherwise (a checkout that was not built, a migration added
 * since) a new directory is initialised by PGlite and migrated, as before.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { constants } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { packageRoot } from '../../util/package-root.js';
import { migrationChecksum, type Migration } from '../migrate.js';
import { STATE_MIGRATIONS } from '../migrations/state/index.js';

/** The installed PGlite's version, from its package.json (found from where the module resolves). */
export function pgliteVersion(): string {
  let dir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  for (let up = 0; up < 4; up++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    dir = dirname(dir);
  }
  return 'unknown';
}

/** The leading state migrations that only define the schema: what a template holds. */
export function templateMigrations(list: readonly Migration[] = STATE_MIGRATIONS): Migration[] {
  const schemaOnly = (m: Migration): boolean => m.statements.every((s) => /^\s*(CREATE|ALTER|DROP|COMMENT)\b/i.test(s));
  const end = list.findIndex((m) => !schemaOnly(m));
  return list.slice(0, end < 0 ? list.length : end);
}

/** Where the build puts the template: `dist/pglite-template/<PGlite version>-<hash of its migrations>`. */
export function templateDir(root = packageRoot(), list: readonly Migration[] = STATE_MIGRATIONS): string {
  const h = createHash('sha256');
  for (const m of templateMigrations(list)) h.update(`${m.id} ${migrationChecksum(m)}\n`);
  return join(root, 'dist', 'pglite-template', `${pgliteVersion()}-${h.digest('hex').slice(0, 16)}`);
}

/**
 * Fills `dataDir` from the template when it holds no database yet; returns whether it did. Files
 * are copied (reflinked where the filesystem can), never linked: PostgreSQL writes them in place.
 */
export async function seedFromTemplate(dataDir: string, template = templateDir()): Promise<boolean> {
  if (existsSync(join(dataDir, 'PG_VERSION')) || !existsSync(join(template, 'PG_VERSION'))) return false;
  const entries = await readdir(template, { recursive: true, withFileTypes: true });
  await mkdir(dataDir, { recursive: true });
  const path = (e: (typeof entries)[number]): string => join(e.parentPath, e.name);
  for (const e of entries) if (e.isDirectory()) await mkdir(join(dataDir, relative(template, path(e))), { recursive: true });
  // PG_VERSION last: a copy cut short is not taken for a database the next time.
  const files = entries.filter((e) => e.isFile() && !(e.name === 'PG_VERSION' && e.parentPath === template));
  await Promise.all(files.map((e) => copyFile(path(e), join(dataDir, relative(template, path(e))), constants.COPYFILE_FICLONE)));
  await copyFile(join(template, 'PG_VERSION'), join(dataDir, 'PG_VERSION'));
  return true;
}
