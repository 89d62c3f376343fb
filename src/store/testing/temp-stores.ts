/** Embedded stores in a fresh temporary data directory, for tests; `dispose` closes and removes it. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStores, type Stores } from '../open-stores.js';

export interface TempStores extends Stores {
  readonly dir: string;
  dispose(): Promise<void>;
}

export async function tempStores(name: string): Promise<TempStores> {
  const dir = await mkdtemp(join(tmpdir(), `sakimori-${name}-`));
  const stores = await openStores({ dataDir: dir });
  return {
    events: stores.events, state: stores.state, migrations: stores.migrations, close: () => stores.close(), dir,
    dispose: async () => {
      await stores.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
