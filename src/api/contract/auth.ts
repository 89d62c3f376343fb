/** Sign-in, sign-out, who am I, API keys, users. Nothing secret is in an answer but the new key (once) and the CSRF token. */
import { z } from 'zod';
import { defineRoute, NoContent } from './define.js';
import { IsoTime } from './common.js';
import { bodyBool, bodyDateTime, bodyList, bodyText } from './body-values.js';

export const UserRole = z.enum(['platform-admin', 'analyst', 'org-admin', 'org-member']);
export const KeyScope = z.enum(['read', 'write', 'admin']);

export const SignedInUser = z.object({
  id: z.string(),
  username: z.string(),
  role: UserRole,
  orgId: z.string().nullable().describe('the organisation of an organisation role; null: platform-wide'),
});

export const LoginAnswer = z.object({
  user: SignedInUser,
  csrfToken: z.string().describe('send it back in x-csrf-token with every request that changes something (also set as the readable cookie sakimori_csrf)'),
  expiresAt: IsoTime.describe('when the session ends'),
});

export const LogoutAnswer = z.object({ ok: z.literal(true) });

export const SignInLinkToken = z.object({
  token: z.string().describe('one-time token: works once, within a day'),
  path: z.string().describe('the path to open, the token appended'),
});

export const Me = z.object({
  user: SignedInUser,
  via: z.enum(['session', 'api-key', 'peer']).describe('peer: the owner of the data directory, through its Unix socket'),
  scopes: z.array(KeyScope),
  csrfToken: z.string().nullable().describe('the session\'s CSRF token; null when not signed in with a session'),
});

export const ApiKeyInfo = z.object({
  id: z.string(),
  prefix: z.string().describe('the key\'s visible part (sk_<prefix>_…): names it in lists and for revoking'),
  name: z.string(),
  user: z.string().describe('username of the user the key acts for'),
  scopes: z.array(KeyScope),
  createdAt: IsoTime,
  expiresAt: IsoTime.nullable().describe('null: never expires'),
  revokedAt: IsoTime.nullable().describe('null: not revoked'),
  lastUsedAt: IsoTime.nullable().describe('to the minute; null: never used'),
});

export const NewApiKey = z.object({
  key: z.string().describe('the API key (sk_…), shown only in this answer: only its hash is stored'),
  info: ApiKeyInfo,
});

const UserParam = z.object({ user: z.string().max(64).describe('id or username') });

export const UserRow = z.object({
  id: z.string(),
  username: z.string(),
  role: UserRole,
  orgId: z.string().nullable().describe('the organisation of an organisation role; null: platform-wide'),
  disabled: z.boolean(),
  createdAt: IsoTime,
});

export const AUTH = {
  login: defineRoute({
    method: 'POST', url: '/auth/login', errors: ['AUTH_FAILED', 'AUTH_THROTTLED'], public: true,
    schema: {
      tags: ['auth'], summary: 'Sign in: sets the session cookie and returns the CSRF token to send in x-csrf-token',
      body: z.object({ username: bodyText(z.string().max(64)), password: bodyText(z.string().max(1024)) }),
      response: { 200: LoginAnswer },
    },
  }),
  logout: defineRoute({
    method: 'POST', url: '/auth/logout', errors: ['BAD_REQUEST'],
    schema: { tags: ['auth'], summary: 'Sign out (ends the session)', response: { 200: LogoutAnswer } },
  }),
  link: defineRoute({
    method: 'GET', url: '/auth/link', errors: ['AUTH_FAILED', 'FORBIDDEN'], public: true,
    schema: {
      tags: ['auth'], summary: 'Open the one-time sign-in link that serve and demo print: a session as the local platform admin, then the console',
      description: 'Answers 303 to the console (/) with the session cookies, so the token leaves the address bar and the history at once.',
      querystring: z.object({ token: z.string().max(200) }),
      response: { 303: NoContent },
    },
  }),
  links: defineRoute({
    method: 'POST', url: '/auth/links', errors: ['FORBIDDEN'],
    schema: {
      tags: ['auth'], summary: 'A new one-time sign-in link token (platform admin; `sakimori signin-link` asks through the socket)',
      response: { 201: SignInLinkToken },
    },
  }),
  me: defineRoute({
    method: 'GET', url: '/auth/me', errors: [],
    schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: Me } },
  }),
  listKeys: defineRoute({
    method: 'GET', url: '/api-keys', errors: ['FORBIDDEN'],
    schema: { tags: ['auth'], summary: 'API keys: your own (admins: all); needs a session or an admin key', response: { 200: z.array(ApiKeyInfo) } },
  }),
  createKey: defineRoute({
    method: 'POST', url: '/api-keys', errors: ['FORBIDDEN', 'NOT_FOUND', 'BAD_TIME'],
    schema: {
      tags: ['auth'],
      summary: 'Create an API key (for yourself; admins: for any user); needs a session or an admin key; scopes ⊆ the caller\'s, expiry ≤ the calling key\'s; the key is shown only in this answer',
      body: z.object({
        name: bodyText(z.string().min(1).max(100)),
        scopes: bodyList(z.array(bodyText()).max(3)).describe('read, write, admin'),
        expiresAt: bodyDateTime().optional()
          .describe('RFC 3339 time with a time zone; default: never (a key creating a key: its own expiry)'),
        user: bodyText(z.string().max(64)).optional().describe('id or username of the user the key acts for; default: the caller (admins only)'),
      }),
      response: { 201: NewApiKey },
    },
  }),
  revokeKey: defineRoute({
    method: 'DELETE', url: '/api-keys/:id', errors: ['FORBIDDEN', 'NOT_FOUND'],
    schema: {
      tags: ['auth'], summary: 'Revoke an API key and every key minted with it; needs a session or an admin key',
      params: z.object({ id: z.string().describe('the key\'s id or prefix') }),
      response: { 204: NoContent },
    },
  }),
  listUsers: defineRoute({
    method: 'GET', url: '/users', errors: ['FORBIDDEN'],
    schema: { tags: ['auth'], summary: 'Users (admin)', response: { 200: z.array(UserRow) } },
  }),
  createUser: defineRoute({
    method: 'POST', url: '/users', errors: ['FORBIDDEN', 'NOT_FOUND'],
    schema: {
      tags: ['auth'], summary: 'Create a user (admin)',
      body: z.object({
        username: bodyText(z.string().max(64)).describe('2–64 letters, digits, . _ @ -'),
        password: bodyText(z.string().max(1024)),
        role: bodyText().describe('platform-admin, analyst, org-admin, org-member'),
        org: bodyText().optional().describe('id or name of the organisation: required for org-admin and org-member, refused for the others'),
      }),
      response: { 201: UserRow },
    },
  }),
  setPassword: defineRoute({
    method: 'POST', url: '/users/:user/password', errors: ['FORBIDDEN', 'NOT_FOUND'],
    schema: {
      tags: ['auth'], summary: 'Set a user\'s password and end its sessions (admin); the password travels in the body only',
      params: UserParam,
      body: z.object({ password: bodyText(z.string().max(1024)) }),
      response: { 204: NoContent },
    },
  }),
  setDisabled: defineRoute({
    method: 'POST', url: '/users/:user/disabled', errors: ['FORBIDDEN', 'NOT_FOUND'],
    schema: {
      tags: ['auth'], summary: 'Disable a user (blocks sign-in and API keys, ends sessions) or enable it again (admin)',
      params: UserParam,
      body: z.object({ disabled: bodyBool() }),
      response: { 204: NoContent },
    },
  }),
};

export type UserRole = z.output<typeof UserRole>;
export type KeyScope = z.output<typeof KeyScope>;
export type LoginAnswer = z.output<typeof LoginAnswer>;
export type SignInLinkToken = z.output<typeof SignInLinkToken>;
export type Me = z.output<typeof Me>;
export type ApiKeyInfo = z.output<typeof ApiKeyInfo>;
export type NewApiKey = z.output<typeof NewApiKey>;
export type UserRow = z.output<typeof UserRow>;
