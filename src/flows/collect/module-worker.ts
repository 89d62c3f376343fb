/**
 * A worker thread on one of this package's modules, started the same way whether the package
 * runs compiled (dist/, plain `.js`) or from source (vitest, tsx: `.ts`, which a worker thread
 * cannot load by itself on Node 20 — loader hooks are not inherited by workers — so a small
 * CommonJS bootstrap registers tsx's ESM hooks in the worker first, then imports the module).
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** True when this package's modules are TypeScript sources (tests, `npx tsx`). */
export const FROM_SOURCE = import.meta.url.endsWith('.ts');

const BOOT = `
const { workerData } = require('node:worker_threads');
import(workerData.__tsx).then((tsx) => { tsx.register(); return import(workerData.__entry); });
`;

/** tsx's ESM API (the `import` variant: its CommonJS one resolves its own files wrongly from a worker). */
function tsxApi(): string {
  const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  return pathToFileURL(join(dirname(cjs), 'index.mjs')).href;
}

/**
 * Starts `moduleUrl` (named by its compiled `.js` URL) in a worker thread; `workerData` must be
 * an object (two keys starting with `__` are added from source).
 */
export function moduleWorker(moduleUrl: URL, workerData: Record<string, unknown>, options: Omit<WorkerOptions, 'workerData' | 'eval'> = {}): Worker {
  if (!FROM_SOURCE) return new Worker(moduleUrl, { ...options, workerData });
  const entry = moduleUrl.href.replace(/\.js$/, '.ts');
  return new Worker(BOOT, { ...options, eval: true, workerData: { ...workerData, __tsx: tsxApi(), __entry: entry } });
}
