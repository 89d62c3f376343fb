/**
 * The hub's indicators over the API (contract/share-indicators.ts): the remote half of `sakimori
 * share publish|export|import|match|warninglist|sensors`. Publishing the hub's own observations,
 * matching, warning lists and sensors are for the hub's operators; export and import are for
 * whoever may read or write the collection, export filtered by the sharing policy.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { AppContext } from '../app/context.js';
import { seesEverything } from '../auth/principal.js';
import { SakimoriError } from '../errors.js';
import { access } from './auth-plugin.js';
import { serveRoute } from './serve-route.js';
import { SHARE_INDICATORS } from './contract/share-indicators.js';
import { publishIndicators, publishWindow } from '../share/indicators/publish.js';
import { matchCollection } from '../share/indicators/match-collection.js';
import { importObjects } from '../share/indicators/import-objects.js';
import { importWarningList, listWarningLists } from '../share/indicators/warning-list-store.js';
import { addOwnSensors, listOwnSensors } from '../share/indicators/own-sensors.js';
import { exportCollection } from '../share/export/collection-export.js';
import { exportText } from '../share/export/indicator-exports.js';
import { DEFAULT_TLP } from '../share/policy/decide.js';

/** Bodies of an import: at most this many bytes. */
const MAX_IMPORT_BYTES = 256 * 1024 * 1024;

function operatorOnly(req: FastifyRequest, what: string): ReturnType<typeof access>['principal'] {
  const { principal } = access(req);
  if (!seesEverything(principal)) throw new SakimoriError('FORBIDDEN', `${what} is for platform admins and analysts`, { role: principal.role });
  return principal;
}

async function readText(body: unknown): Promise<string> {
  if (typeof body === 'string') return body;
  if (typeof body !== 'object' || body === null || !(Symbol.asyncIterator in body)) throw new SakimoriError('BAD_REQUEST', 'the request body is the file to import');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of body as AsyncIterable<Uint8Array>) {
    size += c.length;
    if (size > MAX_IMPORT_BYTES) throw new SakimoriError('BAD_REQUEST', `an import is at most ${MAX_IMPORT_BYTES} bytes`);
    chunks.push(Buffer.from(c));
  }
  return Buffer.concat(chunks).toString('utf8');
}

export const shareIndicatorRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  serveRoute(app, SHARE_INDICATORS.publish, async (req) => {
    const who = operatorOnly(req, 'publishing the hub\'s indicators');
    const b = req.body;
    return publishIndicators(ctx, who, { collection: b.collection, tlp: b.tlp ?? DEFAULT_TLP, window: publishWindow(b.from, b.to), dryRun: b.dryRun ?? false });
  }, { cost: 'heavy' });

  serveRoute(app, SHARE_INDICATORS.export, async (req, reply) => {
    const { principal } = access(req);
    const format = req.query.format ?? 'stix';
    const e = await exportCollection(ctx.state, principal, req.query.collection);
    const x = exportText(format, e.objects, e.collection.title);
    return reply.header('content-type', x.contentType).send(x.text);
  }, { cost: 'heavy' });

  await app.register(async (upload) => {
    // The body is the file itself, whatever its content type.
    upload.removeAllContentTypeParsers();
    upload.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    serveRoute(upload, SHARE_INDICATORS.import, async (req) => {
      const { principal } = access(req);
      return importObjects(ctx.state, principal, req.query.collection, await readText(req.body));
    }, { cost: 'heavy' });
  });

  serveRoute(app, SHARE_INDICATORS.match, async (req) => {
    const who = operatorOnly(req, 'matching peers\' indicators');
    return matchCollection(ctx, who, { collection: req.body.collection, dryRun: req.body.dryRun ?? false, tlp: req.body.tlp ?? DEFAULT_TLP });
  }, { cost: 'heavy' });

  serveRoute(app, SHARE_INDICATORS.warningLists, async (req) => {
    operatorOnly(req, 'warning lists');
    return listWarningLists(ctx.state);
  });
  serveRoute(app, SHARE_INDICATORS.importWarningList, async (req) => {
    operatorOnly(req, 'importing a warning list');
    return importWarningList(ctx.state, req.body.name, req.body.text);
  });
  serveRoute(app, SHARE_INDICATORS.ownSensors, async (req) => {
    operatorOnly(req, 'our own sensors');
    return { prefixes: await listOwnSensors(ctx.state) };
  });
  serveRoute(app, SHARE_INDICATORS.addOwnSensors, async (req) => {
    operatorOnly(req, 'adding our own sensors');
    await addOwnSensors(ctx.state, req.body.prefixes);
    return { prefixes: await listOwnSensors(ctx.state) };
  });
};
