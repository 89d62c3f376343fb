/**
 * The TAXII 2.1 server at /taxii2/ (OASIS, 2021-06-10): discovery, one API root (`api/`), its
 * status resources, and the hub's collections with their manifest, objects, object versions,
 * POST and DELETE. Outside /api/v1 and its contract (TAXII has its own media types), but behind
 * the same principals: API keys as Bearer, users' passwords as HTTP Basic (api/auth-plugin.ts),
 * nothing anonymous. Every object read passes the sharing decision (share/taxii/visible.ts), and
 * objects go out as the exact text they were posted as.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app/context.js';
import { ERRORS, isSakimoriError, SakimoriError } from '../errors.js';
import { access } from './auth-plugin.js';
import { preferredLang } from './accept-language.js';
import { randomUUID } from 'node:crypto';
import { acceptsTaxii, DEFAULT_PAGE, isTaxiiBody, MAX_CONTENT_LENGTH, MAX_PAGE, STIX_MEDIA, TAXII_MEDIA, taxiiError } from './taxii-media.js';
import { collectionAccess, collectionsFor, getCollection, type Collection, type CollectionAccess } from '../share/taxii/collections.js';
import { deleteObject, putObjects, readObjects, type StoredObject } from '../share/taxii/object-store.js';
import { getStatus, saveStatus, type TaxiiStatus } from '../share/taxii/status-store.js';
import { parseTaxiiQuery, type TaxiiEndpoint, type TaxiiQuery } from '../share/taxii/taxii-query.js';
import { makeCursor, readCursor } from '../share/taxii/cursor.js';
import { readEnvelope } from '../share/taxii/envelope-text.js';
import { visibleObjects } from '../share/taxii/visible.js';
import type { Principal } from '../auth/principal.js';

export const TAXII_PREFIX = '/taxii2';
const API_ROOT = 'api';
const CHALLENGE = 'Basic realm="sakimori", Bearer realm="sakimori"';

// As bytes: Fastify rewrites the Content-Type of a string answer (quotes the version, adds a charset).
const send = (reply: FastifyReply, status: number, body: unknown): FastifyReply =>
  reply.code(status).header('content-type', TAXII_MEDIA).send(Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8'));

const operator = (p: Principal): boolean => p.role === 'platform-admin' || p.role === 'analyst';

type Params = { cid: string; oid?: string; sid?: string };

export const taxiiRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  // TAXII describes itself (discovery, API root): the OpenAPI document is the /api/v1 contract's.
  app.addHook('onRoute', (route) => {
    route.schema = { ...(route.schema ?? {}), hide: true };
  });
  // Only TAXII envelopes are taken, kept as text: each object is stored as the bytes posted.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/taxii+json', { parseAs: 'string', bodyLimit: MAX_CONTENT_LENGTH }, (_req, body, done) => done(null, body));

  app.addHook('onRequest', async (req, reply) => {
    if (!acceptsTaxii(req.headers.accept)) {
      return send(reply, 406, taxiiError(406, 'Not Acceptable', `this server answers in ${TAXII_MEDIA}`, 'NOT_ACCEPTABLE', { accept: String(req.headers.accept).slice(0, 200) }));
    }
    if (req.method === 'POST') {
      if (!isTaxiiBody(req.headers['content-type'])) {
        return send(reply, 415, taxiiError(415, 'Unsupported Media Type', `send the envelope as ${TAXII_MEDIA}`, 'UNSUPPORTED_MEDIA_TYPE', { 'content-type': String(req.headers['content-type'] ?? '').slice(0, 200) }));
      }
      if (Number(req.headers['content-length'] ?? 0) > MAX_CONTENT_LENGTH) {
        return send(reply, 413, taxiiError(413, 'Payload Too Large', `the API root takes at most ${MAX_CONTENT_LENGTH} bytes (max_content_length)`, 'PAYLOAD_TOO_LARGE', { max_content_length: MAX_CONTENT_LENGTH }));
      }
    }
    return undefined;
  });

  app.setErrorHandler((err: unknown, req, reply) => {
    const lang = preferredLang(req.headers['accept-language']);
    if (isSakimoriError(err) && err.status < 500) {
      if (err.status === 401) void reply.header('www-authenticate', CHALLENGE);
      const after = err.where['retryAfter'];
      if (err.status === 429 && typeof after === 'number') void reply.header('retry-after', String(Math.max(1, Math.ceil(after))));
      return send(reply, err.status, taxiiError(err.status, ERRORS[err.code][lang], err.messageIn(lang), err.code, err.where));
    }
    const e = err as { statusCode?: unknown; code?: unknown; message?: unknown };
    if (!isSakimoriError(err) && typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      const own = typeof e.code === 'string' && e.code.startsWith('FST_');
      return send(reply, e.statusCode, taxiiError(e.statusCode, e.statusCode === 413 ? 'Payload Too Large' : 'Bad Request', own && typeof e.message === 'string' ? e.message : undefined, typeof e.code === 'string' ? e.code : undefined));
    }
    const errorId = randomUUID();
    req.log.error({ err, errorId }, `TAXII request failed (error id ${errorId})`);
    return send(reply, 500, taxiiError(500, ERRORS.INTERNAL[lang], `error id ${errorId}`, 'INTERNAL'));
  });
  app.setNotFoundHandler((req, reply) => send(reply, 404, taxiiError(404, 'Not Found', `no TAXII resource ${req.url.split('?')[0]}`, 'NOT_FOUND')));

  /** The collection of the request with what its principal may do; NOT_FOUND when it may do neither. */
  const collectionOf = async (req: FastifyRequest<{ Params: Params }>): Promise<{ c: Collection; a: CollectionAccess; p: Principal }> => {
    const p = access(req).principal;
    let c: Collection;
    try {
      c = await getCollection(ctx.state, req.params.cid);
    } catch (e) {
      if (isSakimoriError(e) && e.code === 'NOT_FOUND') throw new SakimoriError('NOT_FOUND', `no collection ${req.params.cid}`, { collection: req.params.cid });
      throw e;
    }
    const a = collectionAccess(c, p);
    // A collection the principal may neither read nor write does not exist for it.
    if (!a.canRead && !a.canWrite) throw new SakimoriError('NOT_FOUND', `no collection ${req.params.cid}`, { collection: req.params.cid });
    return { c, a, p };
  };
  const mustRead = (a: CollectionAccess, c: Collection): void => {
    if (!a.canRead) throw new SakimoriError('FORBIDDEN', `collection ${c.id} may be written, not read, by this account`, { collection: c.id });
  };

  /** One page of what the principal may receive, with the cursor and the date headers. */
  const page = async (req: FastifyRequest<{ Params: Params }>, reply: FastifyReply, endpoint: TaxiiEndpoint, extra: Partial<TaxiiQuery> = {}): Promise<{ objects: StoredObject[]; more: boolean; next: string | undefined }> => {
    const { c, a, p } = await collectionOf(req);
    mustRead(a, c);
    const q = { ...parseTaxiiQuery(endpoint, req.query as Record<string, unknown>), ...extra };
    const scope = { collectionId: c.id, endpoint: `${endpoint}${req.params.oid ? ` ${req.params.oid}` : ''}`, query: q };
    const after = q.next ? readCursor(scope, q.next) : q.addedAfter;
    const limit = Math.min(q.limit ?? DEFAULT_PAGE, MAX_PAGE);
    const got = await readObjects(ctx.state, c.id, {
      addedAfter: after, ids: q.ids, types: q.types, specVersions: q.specVersions, versions: q.versions, limit,
    });
    // Bodies are read for every endpoint: the policy looks into them (markings, victims' fields).
    const objects = await visibleObjects(ctx.state, got.objects, c, { userId: p.userId, orgId: p.orgId, role: p.role });
    // The cursor continues after the last version this page looked at, shown or not.
    const last = got.objects[got.objects.length - 1];
    const first = objects[0];
    const lastShown = objects[objects.length - 1];
    if (first && lastShown) void reply.header('x-taxii-date-added-first', first.dateAdded).header('x-taxii-date-added-last', lastShown.dateAdded);
    return { objects, more: got.more, next: got.more && last ? makeCursor(scope, last.dateAdded) : undefined };
  };

  const base = (req: FastifyRequest): string => `${req.protocol}://${req.headers.host ?? 'localhost'}${TAXII_PREFIX}`;

  // 4.1 Server Discovery
  app.get('/', async (req, reply) => send(reply, 200, {
    title: 'Sakimori sharing hub',
    description: 'STIX 2.1 threat information shared under TLP 2.0 and need-to-know.',
    default: `${base(req)}/${API_ROOT}/`,
    api_roots: [`${base(req)}/${API_ROOT}/`],
  }));

  // 4.2 API Root Information
  app.get(`/${API_ROOT}/`, async (_req, reply) => send(reply, 200, {
    title: 'Sakimori',
    description: `Collections of the sharing hub. Pages hold at most ${MAX_PAGE} objects (limit); ${DEFAULT_PAGE} when no limit is given.`,
    versions: [TAXII_MEDIA],
    max_content_length: MAX_CONTENT_LENGTH,
  }));

  // 4.3 Get Status: readable by the principal that posted it (and the hub's operators).
  app.get<{ Params: { sid: string } }>(`/${API_ROOT}/status/:sid/`, async (req, reply) => {
    const p = access(req).principal;
    const s = await getStatus(ctx.state, req.params.sid);
    if (!s || (s.userId !== p.userId && !operator(p))) throw new SakimoriError('NOT_FOUND', `no status ${req.params.sid}`, { status: req.params.sid });
    return send(reply, 200, statusResource(s));
  });

  const collectionResource = (c: Collection, a: CollectionAccess): Record<string, unknown> => ({
    id: c.id, title: c.title, ...(c.description ? { description: c.description } : {}), ...(c.alias ? { alias: c.alias } : {}),
    can_read: a.canRead, can_write: a.canWrite, media_types: [STIX_MEDIA],
  });

  // 5.1 Get Collections: only those the principal may read or write.
  app.get(`/${API_ROOT}/collections/`, async (req, reply) => {
    const list = await collectionsFor(ctx.state, access(req).principal);
    return send(reply, 200, list.length ? { collections: list.map((x) => collectionResource(x.collection, x.access)) } : {});
  });

  // 5.2 Get A Collection
  app.get<{ Params: Params }>(`/${API_ROOT}/collections/:cid/`, async (req, reply) => {
    const { c, a } = await collectionOf(req);
    return send(reply, 200, collectionResource(c, a));
  });

  // 5.3 Get Object Manifests
  app.get<{ Params: Params }>(`/${API_ROOT}/collections/:cid/manifest/`, async (req, reply) => {
    const r = await page(req, reply, 'manifest');
    return send(reply, 200, {
      more: r.more, ...(r.next ? { next: r.next } : {}),
      ...(r.objects.length ? { objects: r.objects.map((o) => ({ id: o.id, date_added: o.dateAdded, version: o.version, media_type: STIX_MEDIA })) } : {}),
    });
  });

  // 5.4 Get Objects: an envelope whose objects are the texts as posted.
  app.get<{ Params: Params }>(`/${API_ROOT}/collections/:cid/objects/`, async (req, reply) => send(reply, 200, envelopeText(await page(req, reply, 'objects'))));

  // 5.5 Add Objects
  app.post<{ Params: Params; Body: string }>(`/${API_ROOT}/collections/:cid/objects/`, { config: { cost: 'heavy' } }, async (req, reply) => {
    const requested = new Date();
    const { c, a, p } = await collectionOf(req);
    if (!a.canWrite) throw new SakimoriError('FORBIDDEN', `collection ${c.id} may not be written by this account`, { collection: c.id });
    const posted = readEnvelope(typeof req.body === 'string' ? req.body : '');
    const by = { userId: p.userId, orgId: p.orgId };
    const result = await putObjects(ctx.state, c.id, posted.map((o) => o.value), by, { texts: posted.map((o) => o.text) });
    const status = await saveStatus(ctx.state, c.id, by, requested, posted.length, result);
    return send(reply, 202, statusResource(status));
  });

  // 5.6 Get An Object
  app.get<{ Params: Params }>(`/${API_ROOT}/collections/:cid/objects/:oid/`, async (req, reply) => {
    const r = await page(req, reply, 'object', { ids: [req.params.oid ?? ''] });
    if (r.objects.length === 0 && !r.more && !(req.query as Record<string, unknown>)['next']) throw new SakimoriError('NOT_FOUND', `no object ${req.params.oid}`, { object: req.params.oid ?? '' });
    return send(reply, 200, envelopeText(r));
  });

  // 5.7 Delete An Object: writers delete what their organisation posted; operators anything.
  app.delete<{ Params: Params }>(`/${API_ROOT}/collections/:cid/objects/:oid/`, async (req, reply) => {
    const { c, a, p } = await collectionOf(req);
    if (!a.canWrite) throw new SakimoriError('FORBIDDEN', `collection ${c.id} may not be written by this account`, { collection: c.id });
    const q = parseTaxiiQuery('delete', req.query as Record<string, unknown>);
    const owner = operator(p) ? undefined : p.orgId ?? '';
    const n = await deleteObject(ctx.state, c.id, req.params.oid ?? '', { versions: q.versions, specVersions: q.specVersions, ...(owner !== undefined ? { ownerOrgId: owner } : {}) });
    if (n === 0) throw new SakimoriError('NOT_FOUND', `no object ${req.params.oid} that this account may delete`, { object: req.params.oid ?? '' });
    return send(reply, 200, '');
  });

  // 5.8 Get Object Versions
  app.get<{ Params: Params }>(`/${API_ROOT}/collections/:cid/objects/:oid/versions/`, async (req, reply) => {
    const r = await page(req, reply, 'versions', { ids: [req.params.oid ?? ''], versions: ['all'] });
    if (r.objects.length === 0 && !r.more && !(req.query as Record<string, unknown>)['next']) throw new SakimoriError('NOT_FOUND', `no object ${req.params.oid}`, { object: req.params.oid ?? '' });
    return send(reply, 200, { more: r.more, ...(r.next ? { next: r.next } : {}), versions: r.objects.map((o) => o.version) });
  });
};

/** The envelope as text around the stored texts (no re-serialisation of the objects). */
function envelopeText(r: { objects: readonly StoredObject[]; more: boolean; next: string | undefined }): string {
  const head = `{"more":${r.more}${r.next ? `,"next":${JSON.stringify(r.next)}` : ''}`;
  return r.objects.length ? `${head},"objects":[${r.objects.map((o) => o.body).join(',')}]}` : `${head}}`;
}

function statusResource(s: TaxiiStatus): Record<string, unknown> {
  return {
    id: s.id, status: s.status, request_timestamp: s.requestTimestamp,
    total_count: s.totalCount, success_count: s.successCount, failure_count: s.failureCount, pending_count: s.pendingCount,
    ...(s.successes.length ? { successes: s.successes } : {}), ...(s.failures.length ? { failures: s.failures } : {}), ...(s.pendings.length ? { pendings: s.pendings } : {}),
  };
}
