/**
 * Files ingested by the running server that holds the stores (same machine: absolute paths),
 * its progress lines driving the bar here (api/local-file-run.ts answers). Files are shown as
 * they were typed, as locally.
 */
import { resolve } from 'node:path';
import { ERRORS, SakimoriError, type ErrorCode } from '../errors.js';
import { streamCall } from './with-context.js';

interface Line<P, R> { progress?: P; result?: R; error?: { code: string; message: string; errorId?: string } }

export async function runThroughServer<P extends { file: string }, R extends { files: { file: string }[] }>(
  url: string, path: string, files: readonly string[], body: Record<string, unknown>, what: string, onProgress: (p: P) => void,
): Promise<R> {
  if (files.includes('-')) {
    throw new SakimoriError('STORE_LOCKED', `a running server holds it, and standard input cannot be handed to the server: save the ${what} to a file and ingest that, or stop the server`, { file: '-' });
  }
  const given = new Map(files.map((f) => [resolve(f), f]));
  let rest = '';
  let outcome: Line<P, R> | undefined;
  await streamCall('POST', `${url}${path}`, { files: files.map((f) => resolve(f)), ...body }, async (text) => {
    const lines = (rest + text).split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines.filter(Boolean)) {
      const line = JSON.parse(l) as Line<P, R>;
      if (line.progress) onProgress({ ...line.progress, file: given.get(line.progress.file) ?? line.progress.file });
      else outcome = line;
    }
  });
  if (outcome?.result) return { ...outcome.result, files: outcome.result.files.map((r) => ({ ...r, file: given.get(r.file) ?? r.file })) };
  const e = outcome?.error;
  const err = new SakimoriError(e?.code && e.code in ERRORS ? (e.code as ErrorCode) : 'INTERNAL');
  err.message = e ? `${e.message}${e.errorId ? ` (error id ${e.errorId}: see the server's log)` : ''}` : 'the server ended the ingest without a result: see its log';
  throw err;
}
