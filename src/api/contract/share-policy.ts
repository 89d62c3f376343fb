/** The sharing policy: who serves whom, the egress audit, the dry run, consents and TLP:RED recipients (docs/sharing.md). */
import { z } from 'zod';
import { defineRoute } from './define.js';
import { IsoTime, queryInt } from './common.js';
import { bodyList, bodyText } from './body-values.js';

export const ServeRelationName = z.enum(['customer', 'member', 'constituent', 'other']);

export const ServeLink = z.object({
  serverOrgId: z.string(), serverName: z.string(),
  servedOrgId: z.string(), servedName: z.string(),
  relation: ServeRelationName,
  createdAt: IsoTime,
});

export const OrgServes = z.object({
  orgId: z.string(),
  serves: z.array(ServeLink).describe('organisations it serves: TLP:AMBER addressed to it reaches them'),
  servedBy: z.array(ServeLink).describe('organisations that serve it'),
});

export const EgressPathName = z.enum(['taxii', 'rest', 'export', 'digest', 'report', 'console']);

export const EgressRecord = z.object({
  id: z.number(),
  at: IsoTime,
  userId: z.string().describe('who received it'),
  orgId: z.string().nullable().describe("the recipient's organisation; null: a platform user"),
  objectId: z.string(),
  version: z.string(),
  ownerOrgId: z.string().nullable().describe('the organisation that published it'),
  collectionId: z.string().nullable(),
  path: EgressPathName,
  reason: z.string().describe('why the policy allowed it (owner, green-community, amber-served, red-named, …)'),
});

export const EgressPage = z.object({
  entries: z.array(EgressRecord),
  next: z.number().nullable().describe('pass as `before` for the next (older) page; null: no more'),
});

const VictimFieldOut = z.object({
  path: z.string(),
  why: z.string(),
  action: z.enum(['withhold', 'pseudonymise', 'generalise', 'replace-with-hub']).describe('what a release without consent would need'),
});

export const DryRunObject = z.object({
  id: z.string(),
  version: z.string(),
  type: z.string(),
  tlp: z.enum(['clear', 'green', 'amber', 'amber+strict', 'red']).describe('the strictest marking; unmarked: amber'),
  heldForConsent: z.boolean().describe('victim-identifying fields without consent: nobody beyond the owner receives it'),
  victimFields: z.array(VictimFieldOut),
  organisations: z.array(z.object({ orgId: z.string(), name: z.string(), reason: z.string() })).describe('organisations whose members would receive it'),
  users: z.array(z.object({ userId: z.string(), username: z.string(), orgId: z.string().nullable(), reason: z.string() })).describe('users who would receive it beyond those organisations (named, operators)'),
  otherOrganisations: z.number().describe('organisations outside your need-to-know that would receive it (counted, not named)'),
  problems: z.array(z.object({ path: z.string(), message: z.string() })).describe('why an object could not be read; it is held back'),
});

export const DryRunAnswer = z.object({ objects: z.array(DryRunObject) });

export const ConsentOut = z.object({
  objectId: z.string(), version: z.string(), orgId: z.string(), consentedBy: z.string(), note: z.string(), consentedAt: IsoTime, withdrawnAt: IsoTime.nullable(),
});

const OrgRef = z.object({ id: z.string().describe('id or name') });
const VersionRef = { objectId: bodyText().describe('STIX id'), version: bodyText().describe("the object version (its modified time, as the store keeps it)") };

export const SHARE_POLICY = {
  serves: defineRoute({
    method: 'GET', url: '/orgs/:id/serves', errors: ['NOT_FOUND'],
    schema: { tags: ['organisations'], summary: 'Whom an organisation serves and who serves it (an organisation member: its own)', params: OrgRef, response: { 200: OrgServes } },
  }),
  addServes: defineRoute({
    method: 'POST', url: '/orgs/:id/serves', errors: ['FORBIDDEN', 'NOT_FOUND'],
    schema: {
      tags: ['organisations'], summary: 'Say that an organisation serves others: its customers, members or constituents (admin)', params: OrgRef,
      body: z.object({
        orgs: bodyList(z.array(bodyText()).min(1).max(1000)).describe('the organisations it serves, by id or name'),
        relation: bodyText().optional().describe(`one of ${ServeRelationName.options.join(', ')}; default: other, or the relation already stored`),
      }),
      response: { 200: OrgServes },
    },
  }),
  removeServes: defineRoute({
    method: 'DELETE', url: '/orgs/:id/serves/:other', errors: ['FORBIDDEN', 'NOT_FOUND'],
    schema: { tags: ['organisations'], summary: 'It no longer serves that organisation (admin)', params: z.object({ id: z.string(), other: z.string() }), response: { 200: OrgServes } },
  }),
  egress: defineRoute({
    method: 'GET', url: '/share/egress', errors: ['FORBIDDEN', 'BAD_TIME'],
    schema: {
      tags: ['sharing'], summary: 'The egress audit: what left the hub, to whom, when, how (platform admins: all; anyone else: the deliveries to its organisation and its users, or to itself; an organisation admin also where its organisation’s objects went)',
      querystring: z.object({
        since: z.string().optional().describe('ISO 8601 time'),
        until: z.string().optional().describe('ISO 8601 time, exclusive'),
        path: EgressPathName.optional(),
        object: z.string().optional().describe('one object id'),
        before: queryInt(1, Number.MAX_SAFE_INTEGER).optional().describe("the previous page's next"),
        limit: queryInt(1, 1000).optional().describe('default 100'),
      }),
      response: { 200: EgressPage },
    },
  }),
  dryRun: defineRoute({
    method: 'POST', url: '/share/dry-run', errors: ['FORBIDDEN', 'NOT_FOUND'],
    schema: {
      tags: ['sharing'], summary: 'Before publishing: who would receive each object, and which victim-identifying fields it carries',
      body: z.object({
        objects: z.array(z.unknown()).min(1).max(1000).describe('STIX objects as they would be published (you, your organisation: their owner)'),
        audience: bodyList(z.array(bodyText()).max(1000)).optional().describe("organisations addressed (a collection's readers), by id or name; default: none"),
        redRecipients: bodyList(z.array(bodyText()).max(1000)).optional().describe('users you would name for the TLP:RED ones, by id or username'),
      }),
      response: { 200: DryRunAnswer },
    },
  }),
  consent: defineRoute({
    method: 'POST', url: '/share/consents', errors: ['FORBIDDEN', 'NOT_FOUND'],
    schema: {
      tags: ['sharing'], summary: "The victim's consent to release an object version's victim-identifying fields (its organisation's admin)",
      body: z.object({ ...VersionRef, org: bodyText().optional().describe('platform admin only: the organisation consenting (on its written word)'), note: bodyText().optional() }),
      response: { 200: ConsentOut },
    },
  }),
  withdrawConsent: defineRoute({
    method: 'POST', url: '/share/consents/withdraw', errors: ['FORBIDDEN', 'NOT_FOUND'],
    schema: {
      tags: ['sharing'], summary: 'Withdraw a consent: nothing more of that version leaves',
      body: z.object({ ...VersionRef, org: bodyText().optional().describe('platform admin only') }),
      response: { 200: z.object({ withdrawn: z.boolean() }) },
    },
  }),
  redRecipients: defineRoute({
    method: 'POST', url: '/share/red-recipients', errors: ['FORBIDDEN', 'NOT_FOUND'],
    schema: {
      tags: ['sharing'], summary: "Name the users who may receive a TLP:RED object version (counts only when you are its owner or of its organisation)",
      body: z.object({ ...VersionRef, users: bodyList(z.array(bodyText()).min(1).max(1000)).describe('user ids or usernames') }),
      response: { 200: z.object({ named: z.array(z.string()).describe('the ids named that you may see (platform: all; else your organisation\'s users and you): a user elsewhere is named but not listed, as a name matching nobody is not') }) },
    },
  }),
};

export type OrgServes = z.output<typeof OrgServes>;
export type EgressPageOut = z.output<typeof EgressPage>;
export type DryRunAnswer = z.output<typeof DryRunAnswer>;
export type DryRunObject = z.output<typeof DryRunObject>;
