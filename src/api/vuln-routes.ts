/**
 * Local vulnerability feeds over the API, as `sakimori vulns` on the command line:
 * GET /vulns/feeds (what is imported), GET /vulns/match?cpe=… (the CVEs the feeds attach to CPE
 * names, KEV entries marked) for every signed-in principal — the feeds are public catalogues —
 * and POST /vulns/feeds/:format (the CISA KEV or NVD CVE JSON file as the body, gzip recognised)
 * for platform admins and analysts, since a feed changes the CVEs every organisation is shown.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { SakimoriError } from '../errors.js';
import { seesEverything } from '../auth/principal.js';
import { access } from './auth-plugin.js';
import { importVulnFeed, listVulnFeeds, type VulnFormat } from '../vulns/import.js';
import { CveMatcher } from '../vulns/cve-matcher.js';
import { VULNS, type VulnFormatName } from './contract/vulns.js';
import { serveRoute } from './serve-route.js';

/** The contract's formats are the importer's, no more and no fewer (a compile-time check). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const FORMATS_MATCH: Same<VulnFormat, VulnFormatName> = true;
void FORMATS_MATCH;

function isReadable(v: unknown): v is NodeJS.ReadableStream {
  return typeof v === 'object' && v !== null && 'pipe' in v && typeof v.pipe === 'function';
}

export const vulnRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  serveRoute(app, VULNS.feeds, async () => ({ feeds: await listVulnFeeds(ctx.state) }));

  serveRoute(app, VULNS.match, async (req) => {
    const cpes = Array.isArray(req.query.cpe) ? req.query.cpe : [req.query.cpe];
    const m = await CveMatcher.load(ctx.state);
    return { cpes, cves: m.match(cpes).map((id) => ({ id, kev: m.isKev(id) })) };
  });

  await app.register(async (upload) => {
    // The body is the feed file itself, whatever its content type: streamed to a temporary file.
    upload.removeAllContentTypeParsers();
    upload.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    upload.addHook('onRequest', async (req) => {
      const { principal } = access(req);
      if (!seesEverything(principal)) throw new SakimoriError('FORBIDDEN', 'vulnerability feeds are imported by platform admins and analysts', { role: principal.role });
    });
    serveRoute(upload, VULNS.importFeed, async (req) => {
      const format = req.params.format;
      const body = req.body;
      if (!isReadable(body)) throw new SakimoriError('BAD_REQUEST', 'the request body is the feed file');
      const dir = await mkdtemp(join(tmpdir(), 'sakimori-feed-'));
      try {
        const file = join(dir, 'feed');
        await pipeline(body, createWriteStream(file));
        const name = req.query.name ?? (format === 'kev' ? 'known_exploited_vulnerabilities.json' : `${req.query.feed ?? 'nvd'}.json`);
        return await importVulnFeed(ctx.state, file, { format, feed: req.query.feed, name });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
};
