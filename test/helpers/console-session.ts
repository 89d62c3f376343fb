/**
 * A browser on a served console: a fresh data directory prepared by the test, `sakimori serve`
 * on it, Debian chromium with one page. `close` stops all three and removes the directory.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { packageRoot } from '../../src/util/package-root.js';
import { CHROMIUM, CHROMIUM_ARGS, startServer, stopServer } from './serve.js';

export const SHOTS = join(packageRoot(), 'test', 'screenshots');

export interface ConsoleSession {
  readonly base: string;
  /** The one-time link serve printed (already used unless `signIn: false`). */
  readonly signInLink: string;
  readonly page: Page;
  close(): Promise<void>;
}

export interface ConsoleOptions {
  readonly locale?: string;
  readonly viewport?: { width: number; height: number };
  /** Open the sign-in link first (default); false: start signed out. */
  readonly signIn?: boolean;
  /** The CLI command that serves (default `serve`), e.g. `['demo', '--packets', '400000']`, and how long it may take to listen. */
  readonly command?: readonly string[];
  readonly startMs?: number;
}

export async function startConsole(name: string, prepare: (dataDir: string) => Promise<void>, opts: ConsoleOptions = {}): Promise<ConsoleSession> {
  mkdirSync(SHOTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), `sakimori-${name}-`));
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    await browser?.close();
    await stopServer(server);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const data = join(dir, 'data');
    await prepare(data);
    const started = await startServer(data, { ...(opts.command ? { command: opts.command } : {}), ...(opts.startMs ? { timeoutMs: opts.startMs } : {}) });
    server = started.server;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const page = await (await browser.newContext({ viewport: opts.viewport ?? { width: 1300, height: 900 }, locale: opts.locale ?? 'ja-JP' })).newPage();
    // Nothing is served anonymously: sign in as the server's operator would, with its one-time link.
    if (opts.signIn !== false) await page.goto(started.signInLink);
    return { base: started.base, signInLink: started.signInLink, page, close };
  } catch (e) {
    await close();
    throw e;
  }
}
