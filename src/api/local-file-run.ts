/**
 * A run over files on the server's machine (darknet captures, flow files), as the CLI beside the
 * server asks for it: the socket's owner only, absolute paths, the answer JSON lines —
 * `{"progress": …}` while it runs (at most every 200 ms), then `{"result": …}` or `{"error": …}`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { PassThrough } from 'node:stream';
import { ERRORS, isSakimoriError, SakimoriError } from '../errors.js';
import { preferredLang } from './accept-language.js';
import { requirePeer } from './auth-plugin.js';

/** Progress lines at most this often: enough for a bar, little for the socket. */
const PROGRESS_MS = 200;

export function localFileRun<P>(
  req: FastifyRequest, reply: FastifyReply, what: string, files: readonly string[],
  run: (onProgress: (p: P) => void) => Promise<unknown>,
): FastifyReply {
  requirePeer(req, `${what}s`);
  const relative = files.find((f) => !isAbsolute(f));
  if (relative) throw new SakimoriError('BAD_REQUEST', `files: not an absolute path: ${relative}`, { field: 'files' });
  const lang = preferredLang(req.headers['accept-language']);
  const lines = new PassThrough();
  const send = (o: unknown): void => { lines.write(`${JSON.stringify(o)}\n`); };
  let last = 0;
  // The headers go out now and progress follows; an error after that can only be a line.
  void run((p) => { if (Date.now() - last >= PROGRESS_MS) { last = Date.now(); send({ progress: p }); } }).then((result) => send({ result }), (e: unknown) => {
    if (isSakimoriError(e) && e.status < 500) return send({ error: e.toJSON(lang) });
    const errorId = randomUUID();
    req.log.error({ err: e, errorId }, `${what} failed (error id ${errorId})`);
    send({ error: { code: 'INTERNAL', message: ERRORS.INTERNAL[lang], errorId } });
  }).finally(() => lines.end());
  return reply.header('content-type', 'application/x-ndjson; charset=utf-8').send(lines);
}
