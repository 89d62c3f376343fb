import { readFile, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** A running server advertises its URL in the data directory, so other commands can ask it. */
export async function writeServerFile(dataDir: string, url: string): Promise<void> {
  await writeFile(join(dataDir, 'server.json'), JSON.stringify({ url, pid: process.pid }));
}

export async function removeServerFile(dataDir: string): Promise<void> {
  await rm(join(dataDir, 'server.json'), { force: true });
}

export async function runningServerUrl(dataDir: string): Promise<string | undefined> {
  try {
    const j = JSON.parse(await readFile(join(dataDir, 'server.json'), 'utf8')) as { url?: string; pid?: number };
    if (!j.url || !j.pid) return undefined;
    process.kill(j.pid, 0);
    return j.url;
  } catch {
    return undefined;
  }
}
