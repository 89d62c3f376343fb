/** Temporary directories for tests, removed afterwards by the caller's `cleanup`. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  path: string;
  /** Writes `name` in the directory and returns its full path. */
  file(name: string, content: string | Uint8Array): Promise<string>;
  cleanup(): Promise<void>;
}

export async function tempDir(prefix = 'sakimori-enrich-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return {
    path,
    async file(name, content) {
      const p = join(path, name);
      await writeFile(p, content);
      return p;
    },
    cleanup: () => rm(path, { recursive: true, force: true }),
  };
}
