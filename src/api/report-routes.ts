import type { FastifyPluginAsync } from 'fastify';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppContext } from '../app/context.js';
import { SakimoriError } from '../errors.js';
import { parseWindow } from '../analyze/time-window.js';
import { defaultWindow } from '../analyze/default-window.js';
import { access } from './auth-plugin.js';
import { htmlToPdf, observationData, observationHtml } from '../reports/observation-report.js';
import { REPORTS } from './contract/reports.js';
import { serveRoute } from './serve-route.js';

/** The periodic observation report as HTML or PDF. It describes everybody's data: not for organisation roles. */
export const reportRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  serveRoute(app, REPORTS.observation, async (req, reply) => {
    if (access(req).restriction.kind !== 'all') throw new SakimoriError('FORBIDDEN', 'the observation report covers every organisation; use the effect and darknet pages for your own');
    const w = parseWindow(req.query.from, req.query.to, await defaultWindow(ctx));
    const html = observationHtml(await observationData(ctx, w), req.query.lang ?? 'ja');
    if (req.query.format !== 'pdf') return reply.type('text/html; charset=utf-8').send(html);
    const dir = await mkdtemp(join(tmpdir(), 'sakimori-report-'));
    try {
      const out = join(dir, 'report.pdf');
      if (!(await htmlToPdf(html, out))) throw new SakimoriError('BAD_REQUEST', 'no PDF: /usr/bin/chromium is not installed on the server (apt-get install chromium); ask for format=html');
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="sakimori-report-${w.from.toISOString().slice(0, 10)}.pdf"`).send(await readFile(out));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
};
