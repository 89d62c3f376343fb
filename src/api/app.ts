import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { AppContext } from '../app/context.js';
import { installErrorHandler } from './error-handler.js';
import { darknetRoutes } from './darknet-routes.js';
import { hostRoutes } from './host-routes.js';
import { searchRoutes } from './search-routes.js';
import { monitorRoutes } from './monitor-routes.js';
import { caseRoutes } from './case-routes.js';
import { caseRunRoutes } from './case-run-routes.js';
import { contactRoutes } from './contact-routes.js';
import { ingestRoutes } from './ingest-routes.js';
import { deliveryRoutes } from './delivery-routes.js';
import { notifyRoutes } from './notify-routes.js';
import { effectRoutes } from './effect-routes.js';
import { orgRoutes } from './org-routes.js';
import { scopeRoutes } from './scope-routes.js';
import { surveyRoutes } from './survey-routes.js';
import { reportRoutes } from './report-routes.js';
import { installAuth } from './auth-plugin.js';
import { installRequestLimits } from './request-limits.js';
import { authRoutes } from './auth-routes.js';
import { statusRoutes } from './status-routes.js';
import { metricsRoutes } from './metrics.js';
import { consoleRoutes } from './console-routes.js';
import { VERSION } from '../version.js';
import { SignInLinks } from '../auth/sign-in-link.js';
import { docsCsp, installSecurityHeaders } from './security-headers.js';
import { installContract } from './serve-route.js';
import { openApiTransform, openApiTransformObject } from './contract-openapi.js';

export interface AppOptions {
  logger?: boolean | { level: string };
  /** A logger of the caller's (serve's: readable on a terminal); instead of `logger`. */
  loggerInstance?: FastifyBaseLogger;
  /** Directory of the built console (web/dist); omitted → API only. */
  webDir?: string;
  /** One-time sign-in links this server honours (serve prints the first); default: a new set. */
  links?: SignInLinks;
  /** This app answers the Unix socket in the data directory: every caller is its owner. */
  peer?: boolean;
  /**
   * An answer with a field or status its contract does not declare is an error (the test suite
   * sets SAKIMORI_STRICT_CONTRACT=1); otherwise the undeclared field is dropped.
   */
  strictContract?: boolean;
  /** Started by `sakimori demo`: the console shows the demo's outbox. */
  demo?: boolean;
}

/** The REST API under /api/v1, OpenAPI at /api/docs, metrics at /metrics, the console at /. */
export async function buildApp(ctx: AppContext, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = opts.loggerInstance ? Fastify({ loggerInstance: opts.loggerInstance }) : Fastify({ logger: opts.logger ?? false });
  // Before any route: an API route without a contract entry fails the start.
  installContract(app, { strict: opts.strictContract ?? process.env['SAKIMORI_STRICT_CONTRACT'] === '1' });
  await app.register(swagger, {
    transform: openApiTransform,
    transformObject: openApiTransformObject,
    openapi: {
      info: { title: 'Sakimori API', version: VERSION, description: 'Darknet telescope observations: reports, time series and host profiles.' },
      tags: [{ name: 'auth' }, { name: 'cases' }, { name: 'darknet' }, { name: 'effects' }, { name: 'hosts' }, { name: 'monitors' }, { name: 'organisations' }, { name: 'reports' }, { name: 'sharing' }, { name: 'status' }, { name: 'survey' }],
    },
  });
  // The docs page's own inline script does not pass the console's CSP: it gets its own (below).
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true, transformStaticCSP: docsCsp });

  installErrorHandler(app);

  // On the root, before any route: every route (the API, its docs, /metrics, any added later)
  // passes through it; only liveness, sign-in and the console's files are public.
  installAuth(app, ctx, { peer: opts.peer ?? false });
  installRequestLimits(app, ctx);
  installSecurityHeaders(app);
  await app.register(metricsRoutes, { registry: ctx.metrics });
  const links = opts.links ?? new SignInLinks();
  await app.register(async (api) => {
    await api.register(authRoutes, { ctx, links });
    await api.register(statusRoutes, { ctx });
    await api.register(darknetRoutes, { ctx });
    await api.register(hostRoutes, { ctx });
    await api.register(searchRoutes, { ctx });
    await api.register(monitorRoutes, { ctx });
    await api.register(caseRoutes, { ctx });
    await api.register(caseRunRoutes, { ctx });
    await api.register(contactRoutes, { ctx });
    await api.register(ingestRoutes, { ctx });
    await api.register(deliveryRoutes, { ctx });
    await api.register(notifyRoutes, { ctx });
    await api.register(effectRoutes, { ctx });
    await api.register((await import('./no-recipient-routes.js')).noRecipientRoutes, { ctx });
    await api.register((await import('./demo-routes.js')).demoRoutes, { ctx, demo: opts.demo ?? false });
    await api.register(orgRoutes, { ctx });
    await api.register(scopeRoutes, { ctx });
    await api.register((await import('./import-routes.js')).importRoutes, { ctx });
    await api.register((await import('./vuln-routes.js')).vulnRoutes, { ctx });
    await api.register(surveyRoutes, { ctx });
    await api.register((await import('./feed-routes.js')).feedRoutes, { ctx });
    await api.register((await import('./share-object-routes.js')).shareObjectRoutes, { ctx });
    await api.register(reportRoutes, { ctx });
    await api.register((await import('./share-indicator-routes.js')).shareIndicatorRoutes, { ctx });
    await api.register((await import('./taxii-collection-routes.js')).taxiiCollectionRoutes, { ctx });
    await api.register((await import('./share-policy-routes.js')).sharePolicyRoutes, { ctx });
    await api.register((await import('./victim-report-routes.js')).victimReportRoutes, { ctx });
    await api.register((await import('./flow-share-routes.js')).flowShareRoutes, { ctx });
    await api.register((await import('./flow-routes.js')).flowRoutes, { ctx });
    await api.register((await import('./honeypot-report-routes.js')).honeypotReportRoutes, { ctx });
    await api.register((await import('./honeypot-share-routes.js')).honeypotShareRoutes, { ctx });
    await api.register((await import('./honeypot-sensor-routes.js')).honeypotSensorRoutes, { ctx });
    await api.register((await import('./honeypot-ingest-routes.js')).honeypotIngestRoutes, { ctx });
    await api.register((await import('./campaign-routes.js')).campaignRoutes, { ctx });
  }, { prefix: '/api/v1' });
  await app.register((await import('./taxii-routes.js')).taxiiRoutes, { ctx, prefix: '/taxii2' });
  if (opts.webDir) await app.register(consoleRoutes, { webDir: opts.webDir });
  return app;
}
