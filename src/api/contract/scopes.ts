/** Survey scopes and exclusions: platform administrators only (they authorise active probing). */
import { z } from 'zod';
import { defineRoute, NoContent } from './define.js';
import { IsoTime } from './common.js';
import { SurveyRunRow } from './surveys.js';
import { bodyBool, bodyDateTime, bodyList, bodyText } from './body-values.js';

// Body values as ajv coerced them (body-values.ts). The scope store checks the rest itself
// (probe/scope/scope-store.ts, scopeInput and exclusionInput) and answers SCOPE_INVALID naming the field.

export const ScopeCreate = z.object({
  name: bodyText().describe('letters, digits, . _ - (at most 100), unique'),
  owner: bodyText().describe('who owns the addresses (at most 500 characters)'),
  legalBasis: bodyText().describe('why probing them is allowed (at most 2000 characters)'),
  cidrs: bodyList(z.array(bodyText()).min(1)).describe('the networks (at most 100,000), host bits clear'),
  credentialChecks: bodyBool().optional().describe('NOTICE-style default-credential checks; default: false'),
  validFrom: bodyDateTime(),
  validTo: bodyDateTime().describe('after validFrom'),
  note: bodyText().optional().describe('at most 4000 characters'),
  confirmLarge: bodyBool().optional().describe('required (true) when the CIDRs cover more than a /16 of IPv4 or a /48 of IPv6; otherwise SCOPE_TOO_LARGE says how many addresses they cover'),
});

export const ExclusionCreate = z.object({
  cidr: bodyText().describe('an address or network, host bits clear'),
  reason: bodyText().describe('why (at most 2000 characters)'),
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
    method: 'POST', url: '/scopes', errors: ['FORBIDDEN', 'SCOPE_INVALID', 'SCOPE_TOO_LARGE'],
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
