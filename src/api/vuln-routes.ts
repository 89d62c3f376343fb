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

const FORMATS: readonly VulnFormat[] = ['kev', 'nvd'];

export const vulnRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/vulns/feeds', {
    schema: { tags: ['survey'], summary: 'Vulnerability feeds imported (feed, format, file, time, records, skipped, complete, catalogue version)' },
  }, async () => ({ feeds: await listVulnFeeds(ctx.state) }));

  app.get<{ Querystring: { cpe: string | string[] } }>('/vulns/match', {
    schema: {
      tags: ['survey'],
      summary: 'The CVEs the imported feeds attach to CPE names (2.3 or 2.2 URI), KEV entries marked',
      querystring: {
        type: 'object',
        properties: { cpe: { anyOf: [{ type: 'string', maxLength: 500 }, { type: 'array', items: { type: 'string', maxLength: 500 }, maxItems: 50 }] } },
        required: ['cpe'],
      },
    },
  }, async (req) => {
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
    upload.post<{ Params: { format: string }; Querystring: { feed?: string; name?: string } }>('/vulns/feeds/:format', {
      schema: {
        tags: ['survey'],
        summary: 'Import a CISA KEV catalogue or an NVD CVE JSON 2.0 file sent as the body; an NVD feed replaces the records of the same feed name',
        params: { type: 'object', properties: { format: { type: 'string', enum: [...FORMATS] } }, required: ['format'] },
        querystring: {
          type: 'object',
          properties: { feed: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' }, name: { type: 'string', maxLength: 500 } },
        },
      },
    }, async (req) => {
      const format = req.params.format as VulnFormat;
      const body = req.body as NodeJS.ReadableStream | undefined;
      if (!body || typeof body.pipe !== 'function') throw new SakimoriError('BAD_REQUEST', 'the request body is the feed file');
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
