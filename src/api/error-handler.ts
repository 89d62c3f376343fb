/**
 * The API's error answers. A user's error (a SakimoriError below 500, a request Fastify refused)
 * keeps its message and where: they say what to fix. Anything else (a failed store query, a
 * bug) answers only its code, the catalogue message and an error id: store errors carry SQL and
 * the store's own message, which tell an attacker the schema and the need-to-know filter. The
 * log has all of it (message, where with the SQL, stack) under that id.
 *
 * Messages are in the language the request prefers (Accept-Language: English or Japanese); the
 * code and where stay the same in both.
 *
 * It also refuses, before any route, a NUL character in the query string, the path parameters
 * or a JSON body: PostgreSQL cannot take one in text, so it surfaced as a failed store query.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance } from 'fastify';
import { ERRORS, isSakimoriError, SakimoriError, type ErrorCode } from '../errors.js';
import { preferredLang } from './accept-language.js';

export interface ServerErrorBody { code: ErrorCode; message: string; errorId: string }

export function installErrorHandler(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    const field = nulField(req.params, '') ?? nulField(req.query, '') ?? nulField(req.body, '');
    if (field !== undefined) throw new SakimoriError('BAD_REQUEST', 'a value contains a NUL character', { field: field || 'body' });
  });
  app.setErrorHandler((err: unknown, req, reply) => {
    const lang = preferredLang(req.headers['accept-language']);
    if (isSakimoriError(err) && err.status < 500) {
      // A refusal to be retried later (sign-in back-off) says when, as HTTP does.
      const after = err.where['retryAfter'];
      if (err.status === 429 && typeof after === 'number') void reply.header('retry-after', String(Math.max(1, Math.ceil(after))));
      return reply.status(err.status).send(err.toJSON(lang));
    }
    const e = err as Partial<FastifyError>;
    if (!isSakimoriError(err) && e.validation) {
      // The validator's words are English; in Japanese the request part and field it refused are named instead.
      const places = e.validation.map((v) => `${e.validationContext ?? ''}${v.instancePath ?? ''}`).filter((p, i, all) => p && all.indexOf(p) === i);
      const ja = places.length ? `${places.join('、')} の値が正しくありません` : undefined;
      return reply.status(400).send(new SakimoriError('BAD_REQUEST', ja ? { en: e.message ?? '', ja } : e.message).toJSON(lang));
    }
    // Fastify's own refusals of a request (bad JSON, body too large, media type) say what was
    // wrong with it; another library's 4xx message is not known to be safe to show.
    if (!isSakimoriError(err) && typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      const own = typeof e.code === 'string' && e.code.startsWith('FST_');
      const code: ErrorCode = e.statusCode === 404 ? 'NOT_FOUND' : 'BAD_REQUEST';
      return reply.status(e.statusCode).send(new SakimoriError(code, own ? e.message : undefined).toJSON(lang));
    }
    const code: ErrorCode = isSakimoriError(err) ? err.code : 'INTERNAL';
    const errorId = randomUUID();
    req.log.error({ err, errorId }, `request failed: ${code} (error id ${errorId})`);
    const body: ServerErrorBody = { code, message: ERRORS[code][lang], errorId };
    return reply.status(isSakimoriError(err) ? err.status : 500).send(body);
  });
}

/** Path of the first string holding U+0000 in a parsed value ('' for the value itself); undefined: none. */
function nulField(v: unknown, path: string, depth = 0): string | undefined {
  if (typeof v === 'string') return v.includes('\u0000') ? path : undefined;
  if (depth > 32 || v === null || typeof v !== 'object') return undefined;
  // A streamed or binary body (imports, feeds) is the route's to read.
  if (ArrayBuffer.isView(v) || typeof (v as { pipe?: unknown }).pipe === 'function') return undefined;
  for (const [k, x] of Object.entries(v)) {
    const at = path ? `${path}.${k}` : k;
    if (k.includes('\u0000')) return at;
    const found = nulField(x, at, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
