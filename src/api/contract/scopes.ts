/** Survey scopes and exclusions: platform administrators only (they authorise active probing). */
import { z } from 'zod';
import { defineRoute, NoContent } from './define.js';
import { IsoTime } from './common.js';
import { SurveyRunRow } from './surveys.js';

/*
 * Body values as Fastify's ajv coerced them before the contract (coerceTypes 'array'): "true"
 * for true, text for a number, a list for a single value, a single value for a one-item list.
 * The scope store checks the rest itself (probe/scope/scope-store.ts, scopeInput and
 * exclusionInput) and answers SCOPE_INVALID naming the field.
 */
const single = (v: unknown): unknown => (Array.isArray(v) && v.length === 1 ? v[0] : v);
const asText = (raw: unknown): unknown => {
  const v = single(raw);
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : v === null ? '' : v;
};
const asBool = (raw: unknown): unknown => {
  const v = single(raw);
  if (v === 'true' || v === 1) return true;
  return v === 'false' || v === 0 || v === null ? false : v;
};
const asList = (v: unknown): unknown => (v === null || ['string', 'number', 'boolean'].includes(typeof v) ? [v] : v);
const text = (): z.ZodType<string> => z.preprocess(asText, z.string());

/** RFC 3339 date-time with a time zone, as ajv-formats' `date-time` (the scope store then reads it as a Date). */
const DATE_TIME = /^(\d{4})-(\d\d)-(\d\d)[Tt\s](\d\d):(\d\d):(\d\d(?:\.\d+)?)(?:[Zz]|([+-])(\d\d)(?::?(\d\d))?)$/;
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function isDateTime(s: string): boolean {
  const m = DATE_TIME.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, sec] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])];
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (mo < 1 || mo > 12 || d < 1 || d > (mo === 2 && leap ? 29 : (DAYS[mo] ?? 0))) return false;
  const tzH = Number(m[8] ?? 0);
  const tzM = Number(m[9] ?? 0);
  if (tzH > 23 || tzM > 59) return false;
  if (h <= 23 && mi <= 59 && sec < 60) return true;
  // A leap second: 23:59:60 in UTC.
  const sign = m[7] === '-' ? -1 : 1;
  const utcMin = mi - tzM * sign;
  const utcHour = h - tzH * sign - (utcMin < 0 ? 1 : 0);
  return (utcHour === 23 || utcHour === -1) && (utcMin === 59 || utcMin === -1) && sec < 61;
}
const dateTime = (): z.ZodType<string> =>
  z.preprocess(asText, z.string().refine(isDateTime, 'must match format "date-time"').meta({ format: 'date-time' }));

export const ScopeCreate = z.object({
  name: text().describe('letters, digits, . _ - (at most 100), unique'),
  owner: text().describe('who owns the addresses (at most 500 characters)'),
  legalBasis: text().describe('why probing them is allowed (at most 2000 characters)'),
  cidrs: z.preprocess(asList, z.array(text()).min(1)).describe('the networks (at most 100,000), host bits clear'),
  credentialChecks: z.preprocess(asBool, z.boolean()).optional().describe('NOTICE-style default-credential checks; default: false'),
  validFrom: dateTime(),
  validTo: dateTime().describe('after validFrom'),
  note: text().optional().describe('at most 4000 characters'),
});

export const ExclusionCreate = z.object({
  cidr: text().describe('an address or network, host bits clear'),
  reason: text().describe('why (at most 2000 characters)'),
});

export const ScopeRow = z.object({
  id: z.string(),
  name: z.string(),
  owner: z.string(),
  legalBasis: z.string(),
  cidrs: z.array(z.string()).describe('normalised (PostgreSQL cidr text)'),
  credentialChecks: z.boolean(),
  validFrom: IsoTime,
  validTo: IsoTime,
  createdAt: IsoTime.optional(),
  note: z.string(),
});

export const ScopeExclusion = z.object({
  id: z.number().optional(),
  scopeId: z.string().nullable().describe('null: a global exclusion, applied to every scope'),
  cidr: z.string(),
  reason: z.string(),
});

export const ScopeDetail = z.object({
  scope: ScopeRow,
  exclusions: z.array(ScopeExclusion).describe('its own and the global ones'),
  runs: z.array(SurveyRunRow).describe('the 10 most recent'),
});

const RefParam = z.object({ ref: z.string().describe('scope id or name') });

export const SCOPES = {
  list: defineRoute({
    method: 'GET', url: '/scopes', errors: ['FORBIDDEN'],
    schema: { tags: ['survey'], summary: 'Authorised survey scopes', response: { 200: z.array(ScopeRow) } },
  }),
  create: defineRoute({
    method: 'POST', url: '/scopes', errors: ['FORBIDDEN', 'SCOPE_INVALID'],
    schema: {
      tags: ['survey'], summary: 'Create a scope: CIDRs, owner, legal basis, validity; credential checks off unless enabled',
      body: ScopeCreate,
      response: { 201: ScopeRow },
    },
  }),
  get: defineRoute({
    method: 'GET', url: '/scopes/:ref', errors: ['FORBIDDEN', 'SCOPE_NOT_FOUND'],
    schema: { tags: ['survey'], summary: 'One scope (id or name) with its exclusions and recent runs', params: RefParam, response: { 200: ScopeDetail } },
  }),
  delete: defineRoute({
    method: 'DELETE', url: '/scopes/:ref', errors: ['FORBIDDEN', 'SCOPE_NOT_FOUND', 'SCOPE_INVALID'],
    schema: { tags: ['survey'], summary: 'Delete a scope that has no runs', params: RefParam, response: { 204: NoContent } },
  }),
  exclude: defineRoute({
    method: 'POST', url: '/scopes/:ref/exclusions', errors: ['FORBIDDEN', 'SCOPE_NOT_FOUND', 'SCOPE_INVALID'],
    schema: {
      tags: ['survey'], summary: 'Exclude a CIDR from this scope (exclusions always win)',
      params: RefParam, body: ExclusionCreate,
      response: { 201: ScopeExclusion },
    },
  }),
  exclusions: defineRoute({
    method: 'GET', url: '/exclusions', errors: ['FORBIDDEN'],
    schema: { tags: ['survey'], summary: 'Every exclusion (global and per scope)', response: { 200: z.array(ScopeExclusion) } },
  }),
  excludeEverywhere: defineRoute({
    method: 'POST', url: '/exclusions', errors: ['FORBIDDEN', 'SCOPE_INVALID'],
    schema: { tags: ['survey'], summary: 'Exclude a CIDR from every scope', body: ExclusionCreate, response: { 201: ScopeExclusion } },
  }),
  removeExclusion: defineRoute({
    method: 'DELETE', url: '/exclusions/:id', errors: ['FORBIDDEN', 'NOT_FOUND'],
    schema: {
      tags: ['survey'], summary: 'Remove an exclusion',
      params: z.object({ id: z.string().regex(/^[0-9]+$/) }),
      response: { 204: NoContent },
    },
  }),
};

/** What to send (the values as they are taken; a number as text and a single CIDR as a list are coerced too). */
export type ScopeCreate = z.output<typeof ScopeCreate>;
export type ExclusionCreate = z.output<typeof ExclusionCreate>;
export type ScopeRow = z.output<typeof ScopeRow>;
export type ScopeExclusion = z.output<typeof ScopeExclusion>;
export type ScopeDetail = z.output<typeof ScopeDetail>;
