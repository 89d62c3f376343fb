import { existsSync } from 'node:fs';
import { readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { migrateState, type Migration } from '../migrate.js';
import { STATE_MIGRATIONS } from '../migrations/state/index.js';
import { PgliteStateStore } from './pglite-store.js';
import { templateMigrations } from './pglite-template.js';

/**
 * Makes the PGlite template in `dir` (see pglite-template.ts) unless it is there; templates of
 * other versions beside it are removed. Made in a temporary directory and renamed into place, so
 * it is never seen half made. Returns whether it made one.
 */
export async function makeTemplate(dir: string, list: readonly Migration[] = STATE_MIGRATIONS): Promise<boolean> {
  for (const other of await readdir(dirname(dir)).catch(() => [] as string[])) {
    if (other !== basename(dir)) await rm(join(dirname(dir), other), { recursive: true, force: true });
  }
  if (existsSync(join(dir, 'PG_VERSION'))) return false;
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  // Not seeded from the build's template: that may hold other migrations than `list`.
  const store = await PgliteStateStore.open(tmp, { fromTemplate: false });
  try {
    await migrateState(store, { migrations: templateMigrations(list) });
  } finally {
    await store.close();
  }
  await rename(tmp, dir);
  return true;
}
