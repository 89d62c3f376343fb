import { readFile, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** A running server advertises its URL (and its owner's socket) in the data directory, so other commands can ask it. */
export async function writeServerFile(dataDir: string, url: string, socket?: string): Promise<void> {
  await writeFile(join(dataDir, 'server.json'), JSON.stringify({ url, pid: process.pid, ...(socket ? { socket } : {}) }), { mode: 0o600 });
}

export async function removeServerFile(dataDir: string): Promise<void> {
  await rm(join(dataDir, 'server.json'), { force: true });
}

/** Where `serve` listens for the data directory's owner. */
export function socketPathOf(dataDir: string): string {
  return join(dataDir, 'run', 'sakimori.sock');
}

export interface RunningServer { readonly url: string; readonly socket?: string }

/** Socket of each running server found, by its URL's origin: requests to it go through the socket. */
const sockets = new Map<string, string>();
export function socketFor(url: string): string | undefined {
  return sockets.get(new URL(url).origin);
}

export async function runningServer(dataDir: string): Promise<RunningServer | undefined> {
  try {
    const j = JSON.parse(await readFile(join(dataDir, 'server.json'), 'utf8')) as { url?: string; pid?: number; socket?: string };
    if (!j.url || !j.pid) return undefined;
    process.kill(j.pid, 0);
    if (j.socket) sockets.set(new URL(j.url).origin, j.socket);
    return { url: j.url, ...(j.socket ? { socket: j.socket } : {}) };
  } catch {
    return undefined;
  }
}

export async function runningServerUrl(dataDir: string): Promise<string | undefined> {
  return (await runningServer(dataDir))?.url;
}
