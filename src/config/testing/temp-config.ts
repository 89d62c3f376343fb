import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Real files for loader tests: the loader reads from disk, so a mock would test nothing. */
export class TempConfigDir {
  readonly dir = mkdtempSync(join(tmpdir(), 'sakimori-config-'));

  /** Writes a configuration file (an object as JSON, a string as is) and returns its path. */
  write(content: unknown, name = 'config.json'): string {
    const path = join(this.dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  }

  /** Runs fn with this directory as the working directory (where `sakimori.json` is looked for). */
  inside<T>(fn: () => T): T {
    const before = process.cwd();
    process.chdir(this.dir);
    try {
      return fn();
    } finally {
      process.chdir(before);
    }
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
