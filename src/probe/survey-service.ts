/**
 * Starting and stopping survey runs for the CLI and the API: settings from the configuration
 * (overridable per run), modules by name, the credential list when the scope allows it. Runs
 * started through the API go on in the background; `stopSurvey` aborts one.
 */
import { z } from 'zod';
import type { Config } from '../config/schema.js';
import type { EventsStore, StateStore } from '../store/types.js';
import type { IpEnricher } from '../enrich/index.js';

/** What a survey needs of the running command: its settings and the stores. */
export interface SurveyDeps { config: Config; state: StateStore; events: EventsStore; enricher: IpEnricher }
import { SakimoriError } from '../errors.js';
import type { CredentialList } from './module.js';
import { resolveModules } from './module-registry.js';
import { runSurvey, type PostProcessor, type SurveyProgress, type SurveySettings, type SurveySummary } from './survey-runner.js';
import { newRunId } from './survey-runs.js';
import { buildServicePostProcessors } from '../services/post-process.js';
import { parseCredentialListData } from './credentials/credential-lists.js';

export const surveyRequest = z.object({
  scope: z.string().min(1),
  ports: z.array(z.number().int().min(1).max(65535)).min(1).max(65535).optional(),
  modules: z.array(z.string().min(1)).optional(),
  rate: z.number().min(1).max(1_000_000).optional(),
  perHostRate: z.number().min(0.01).max(100_000).optional(),
  concurrency: z.number().int().min(1).max(100_000).optional(),
  retries: z.number().int().min(0).max(10).optional(),
  seed: z.number().int().optional(),
});
export type SurveyRequest = z.input<typeof surveyRequest>;

/** A credential list sent with a request (the API body): validated like a list file. */
export function parseCredentialList(v: unknown): CredentialList {
  return parseCredentialListData(v, 'request body credentials');
}

export function parseSurveyRequest(v: unknown): z.output<typeof surveyRequest> {
  const r = surveyRequest.safeParse(v);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new SakimoriError('BAD_REQUEST', i ? `${i.path.join('.')}: ${i.message}` : undefined, i ? { field: i.path.join('.') } : {});
  }
  return r.data;
}

export interface StartOptions {
  readonly credentials?: CredentialList;
  readonly postProcessors?: readonly PostProcessor[];
  readonly onProgress?: (p: SurveyProgress) => void;
  readonly signal?: AbortSignal;
  readonly runId?: string;
}

export function settingsFor(ctx: Pick<SurveyDeps, 'config'>, req: z.output<typeof surveyRequest>): SurveySettings {
  const c = ctx.config.survey;
  return {
    ratePerSecond: req.rate ?? c.ratePerSecond,
    perHostRatePerSecond: req.perHostRate ?? c.perHostRatePerSecond,
    concurrency: req.concurrency ?? c.concurrency,
    connectTimeoutMs: c.connectTimeoutMs,
    readTimeoutMs: c.readTimeoutMs,
    retries: req.retries ?? c.retries,
    maxCredentialAttempts: c.maxCredentialAttempts,
  };
}

/** The built-in NOTICE list when the scope enables credential checks and no list was given. */
async function defaultCredentialsFor(ctx: Pick<SurveyDeps, 'state'>, scopeRef: string): Promise<CredentialList | undefined> {
  const { getScope } = await import('./scope/scope-store.js');
  if (!(await getScope(ctx.state, scopeRef)).credentialChecks) return undefined;
  const { builtinCredentialList, DEFAULT_CREDENTIAL_LIST_ID } = await import('./credentials/credential-lists.js');
  return builtinCredentialList(DEFAULT_CREDENTIAL_LIST_ID);
}

/** Runs a survey to its end (the CLI's foreground run). */
export async function runSurveyRequest(ctx: SurveyDeps, body: unknown, o: StartOptions = {}): Promise<SurveySummary> {
  const req = parseSurveyRequest(body);
  const modules = await resolveModules(req.modules);
  const credentials = o.credentials ?? await defaultCredentialsFor(ctx, req.scope);
  // Fingerprint rules and the CVE matcher (from the imported feeds) unless the caller has its own.
  const postProcessors = o.postProcessors ?? (await buildServicePostProcessors(ctx.state));
  return runSurvey({
    state: ctx.state, events: ctx.events, enricher: ctx.enricher, scope: req.scope, modules, settings: settingsFor(ctx, req),
    ...(req.ports ? { ports: req.ports } : {}),
    ...(req.seed !== undefined ? { seed: req.seed } : {}),
    ...(credentials ? { credentials } : {}),
    postProcessors,
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.runId ? { runId: o.runId } : {}),
  });
}

interface Active {
  readonly controller: AbortController;
  readonly done: Promise<SurveySummary | undefined>;
  progress?: SurveyProgress;
}

const active = new Map<string, Active>();

/**
 * Starts a run in the background (the API's POST /surveys) and returns its id once the run is
 * recorded; scope errors (unknown, expired) are thrown here, before anything is sent.
 */
export async function startSurvey(ctx: SurveyDeps, body: unknown, o: Omit<StartOptions, 'signal' | 'runId' | 'onProgress'> = {}): Promise<string> {
  const req = parseSurveyRequest(body);
  const { getScope } = await import('./scope/scope-store.js');
  const { ScopeGuard } = await import('./scope/scope-guard.js');
  const scope = await getScope(ctx.state, req.scope);
  const expired = new ScopeGuard(scope, []).checkTime();
  if (expired) throw expired;
  await resolveModules(req.modules);
  const runId = newRunId();
  const controller = new AbortController();
  let failed: unknown;
  const entry: Active = {
    controller,
    done: runSurveyRequest(ctx, req, { ...o, runId, signal: controller.signal, onProgress: (p) => { entry.progress = p; } })
      .catch((e: unknown) => { failed = e; return undefined; })
      .finally(() => { active.delete(runId); }),
  };
  active.set(runId, entry);
  // The run row is created at the start of runSurvey; wait until it is readable.
  const { getRun } = await import('./survey-runs.js');
  for (let i = 0; i < 100; i++) {
    try {
      await getRun(ctx.state, runId);
      break;
    } catch {
      if (!active.has(runId)) {
        // Ended before its run was recorded: the error came before any packet (ports, modules …).
        if (failed !== undefined) throw failed;
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return runId;
}

/** Live progress of a run this process is running (undefined otherwise). */
export function liveProgress(runId: string): SurveyProgress | undefined {
  return active.get(runId)?.progress;
}

/** Aborts a run this process is running; false when it is not running here. */
export function stopSurvey(runId: string): boolean {
  const a = active.get(runId);
  if (!a) return false;
  a.controller.abort(new Error('stopped by request'));
  return true;
}

/** Waits for a background run (tests, shutdown). */
export async function waitForSurvey(runId: string): Promise<void> {
  await active.get(runId)?.done;
}
