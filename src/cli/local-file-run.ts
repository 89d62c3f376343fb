/**
 * Files ingested by the running server that holds the stores (same machine: absolute paths),
 * its progress lines driving the bar here (api/local-file-run.ts answers). Files are shown as
 * they were typed, as locally.
 */
import { resolve } from 'node:path';
import { SakimoriError } from '../errors.js';
import { callJsonLines, type OutcomeLine } from './with-context.js';

interface Line<P, R> extends OutcomeLine<R> { progress?: P }

export async function runThroughServer<P extends { file: string }, R extends { files: { file: string }[] }>(
  url: string, path: string, files: readonly string[], body: Record<string, unknown>, what: string, onProgress: (p: P) => void,
): Promise<R> {
  if (files.includes('-')) {
    throw new SakimoriError('STORE_LOCKED', `a running server holds it, and standard input cannot be handed to the server: save the ${what} to a file and ingest that, or stop the server`, { file: '-' });
  }
  const given = new Map(files.map((f) => [resolve(f), f]));
  const result = await callJsonLines<Line<P, R>, R>(`${url}${path}`, { files: files.map((f) => resolve(f)), ...body }, 'ingest', (line) => {
    if (line.progress) onProgress({ ...line.progress, file: given.get(line.progress.file) ?? line.progress.file });
    return line.progress !== undefined;
  });
  return { ...result, files: result.files.map((r) => ({ ...r, file: given.get(r.file) ?? r.file })) };
}
