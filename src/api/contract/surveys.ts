/** Survey runs (started in the background, live progress, stop) and the probe audit log: platform administrators only. */
import { z } from 'zod';
import { defineRoute } from './define.js';
import { IdParam, IsoTime, queryInt } from './common.js';
import { bodyList, bodyNumber, bodyText } from './body-values.js';

// Body values as ajv coerced them (body-values.ts). The survey service checks the rest itself
// (probe/survey-service.ts, surveyRequest) and answers BAD_REQUEST.

/** A credential list entry as the list parser reads it (probe/credentials/credential-lists.ts). */
export const SurveyCredentialEntry = z.looseObject({
  id: z.string().describe('1–100 letters, digits, . _ : -, starting with a letter or digit; the only part of a pair ever recorded'),
  username: z.string().describe('at most 200 characters, no CR, LF or NUL'),
  password: z.string().describe('at most 200 characters, no CR, LF or NUL; never stored, logged nor answered'),
  source: z.string().optional().describe('where the pair comes from (at most 500 characters)'),
}).describe('no other keys (refused with CREDENTIALS_INVALID)');

/**
 * The credential list of one run, as a list file holds it; checked by the list parser (lengths,
 * id patterns, duplicate entry ids, unknown entry keys: CREDENTIALS_INVALID, never echoing a value).
 */
export const SurveyCredentialList = z.looseObject({
  id: z.string().describe('1–100 letters, digits, . _ -; recorded in the audit log for each attempt'),
  name: z.string().optional(),
  description: z.string().optional(),
  sources: z.array(z.string()).optional(),
  entries: z.array(SurveyCredentialEntry).describe('1–10000 username/password pairs'),
});

export const SurveyStart = z.object({
  scope: bodyText().describe('scope id or name'),
  ports: bodyList(z.array(bodyNumber(z.number().int().min(1).max(65535)))).optional().describe('default: the modules\' ports'),
  modules: bodyList(z.array(bodyText())).optional().describe('probe modules by name; default: all'),
  rate: bodyNumber(z.number().min(1)).optional().describe('connection attempts per second (at most 1,000,000); default: the configuration\'s'),
  perHostRate: bodyNumber(z.number().gt(0)).optional().describe('attempts per second to one address (0.01–100,000); default: the configuration\'s'),
  concurrency: bodyNumber(z.number().int().min(1)).optional().describe('connections at once (at most 100,000)'),
  retries: bodyNumber(z.number().int().min(0)).optional().describe('at most 10'),
  seed: bodyNumber(z.number().int()).optional().describe('order of the targets (a random permutation); default: the time'),
  credentials: SurveyCredentialList.optional().describe('used only when the scope enables credential checks (default then: the built-in NOTICE list); never stored nor answered'),
});

export const SurveyRunStatus = z.enum(['pending', 'running', 'done', 'failed', 'aborted']);

export const SurveyRunRow = z.object({
  id: z.string(),
  scopeId: z.string(),
  scopeName: z.string(),
  modules: z.array(z.string()),
  ports: z.array(z.number()),
  status: SurveyRunStatus,
  startedAt: IsoTime,
  finishedAt: IsoTime.nullable().describe('null: still running'),
  targetsTotal: z.number().describe('addresses × ports'),
  targetsDone: z.number(),
  openPorts: z.number(),
  services: z.number().describe('service observations written'),
  batches: z.number().describe('service writes'),
  error: z.string().nullable().describe('why the run failed or was aborted; null: it did not'),
});

/** Counters of a run this server is running now (probe/survey-runner.ts, SurveyProgress). */
export const SurveyProgress = z.object({
  runId: z.string(),
  total: z.number().describe('targets (addresses × ports)'),
  done: z.number(),
  open: z.number(),
  closed: z.number(),
  timeout: z.number(),
  error: z.number(),
  excluded: z.number().describe('targets skipped because an exclusion covers them (no packet sent)'),
  attempts: z.number().describe('connection attempts finished, retries included'),
  elapsedMs: z.number(),
  services: z.number(),
  modulesPending: z.number().describe('open ports waiting for or in a module probe'),
});

export const SurveyRun = SurveyRunRow.extend({
  progress: SurveyProgress.optional().describe('live counters; only while the run goes on in this server'),
});

export const SurveyStarted = z.object({ runId: z.string() });
export const SurveyStopped = z.object({ runId: z.string(), stopping: z.boolean().describe('false: the run is not running in this server') });

export const ProbeAuditRow = z.object({
  id: z.number().describe('for paging: pass the last one as `before`'),
  at: IsoTime,
  runId: z.string().nullable(),
  sourceIp: z.string().nullable().describe('our address the connection left from; null when no connection was made'),
  targetIp: z.string().describe('an address; a CIDR only for an exclusion\'s cut-over'),
  port: z.number().describe('0 for an exclusion\'s cut-over'),
  module: z.string().describe('the probe; exclusion:<id> or exclusion-lifted:<id> when an exclusion took effect for the run'),
  credentialList: z.string().nullable().describe('the credential list id used; never a password'),
});

export const SURVEYS = {
  list: defineRoute({
    method: 'GET', url: '/surveys', errors: ['FORBIDDEN'],
    schema: {
      tags: ['survey'], summary: 'Survey runs, newest first',
      querystring: z.object({
        scope: z.string().optional().describe('scope id or name'),
        limit: queryInt(1, 1000).optional().describe('default: 50'),
      }),
      response: { 200: z.array(SurveyRunRow) },
    },
  }),
  start: defineRoute({
    method: 'POST', url: '/surveys', errors: ['FORBIDDEN', 'SCOPE_NOT_FOUND', 'SCOPE_EXPIRED', 'CREDENTIALS_INVALID'],
    schema: {
      tags: ['survey'],
      summary: 'Start a survey of a scope in the background (202 with the run id); refused before any packet if the scope is unknown or not valid now',
      body: SurveyStart,
      response: { 202: SurveyStarted },
    },
  }),
  get: defineRoute({
    method: 'GET', url: '/surveys/:id', errors: ['FORBIDDEN', 'SURVEY_NOT_FOUND'],
    schema: { tags: ['survey'], summary: 'One run, with live progress while it runs in this server', params: IdParam, response: { 200: SurveyRun } },
  }),
  stop: defineRoute({
    method: 'POST', url: '/surveys/:id/stop', errors: ['FORBIDDEN', 'SURVEY_NOT_FOUND'],
    schema: { tags: ['survey'], summary: 'Stop a running survey', params: IdParam, response: { 200: SurveyStopped } },
  }),
  audit: defineRoute({
    method: 'GET', url: '/audit', errors: ['FORBIDDEN', 'SCOPE_INVALID'],
    schema: {
      tags: ['survey'],
      summary: 'Probe audit log, newest first (time, run, source, target, port, module, credential list id; never a password)',
      querystring: z.object({
        run: z.string().optional().describe('run id'),
        target: z.string().optional().describe('an address or CIDR: records of targets within it (SCOPE_INVALID when it is neither)'),
        limit: queryInt(1, 10_000).optional().describe('default: 100'),
        before: queryInt(0, Number.MAX_SAFE_INTEGER).optional().describe('records with an id below this (paging)'),
      }),
      response: { 200: z.array(ProbeAuditRow) },
    },
  }),
};

/** What to send (the values as they are taken; numbers in text and single values for lists are coerced too). */
export type SurveyStart = z.output<typeof SurveyStart>;
export type SurveyCredentialList = z.output<typeof SurveyCredentialList>;
export type SurveyRunStatus = z.output<typeof SurveyRunStatus>;
export type SurveyRunRow = z.output<typeof SurveyRunRow>;
export type SurveyProgress = z.output<typeof SurveyProgress>;
export type SurveyRun = z.output<typeof SurveyRun>;
export type SurveyStarted = z.output<typeof SurveyStarted>;
export type SurveyStopped = z.output<typeof SurveyStopped>;
export type ProbeAuditRow = z.output<typeof ProbeAuditRow>;
