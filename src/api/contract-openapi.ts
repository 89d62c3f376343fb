/**
 * The OpenAPI document from the contract: @fastify/swagger calls this for every route; an API
 * route's request parts and answers come from its zod schemas, and its errors (its own and the
 * ones every route may answer) are listed by status with the one error body.
 */
import type { FastifySchema } from 'fastify';
import type { SwaggerTransformObject } from '@fastify/swagger';
import { z } from 'zod';
import { ERRORS, type ErrorCode } from '../errors.js';
import { CONTRACT } from './contract/index.js';
import { ErrorBody, isFileAnswer, NoContent, type RouteContract } from './contract/define.js';
import { contractOf } from './serve-route.js';

type Json = Record<string, unknown>;

function jsonSchema(t: z.ZodType, io: 'input' | 'output'): Json {
  const s = z.toJSONSchema(t, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as Json;
  delete s['$schema'];
  return s;
}

/**
 * Every error code the route may answer: its own, and those of the hooks every request passes
 * (api/auth-plugin.ts, request-limits.ts, error-handler.ts): a malformed request or cookie, a
 * wrong key, no sign-in, a missing scope, a change without its CSRF token, the limits, a bug.
 */
export function errorCodesOf(c: RouteContract): ErrorCode[] {
  const hooks: ErrorCode[] = ['BAD_REQUEST', 'AUTH_FAILED', 'RATE_LIMITED', 'INTERNAL'];
  if (!c.public) hooks.push('AUTH_REQUIRED', 'FORBIDDEN');
  if (c.method !== 'GET' && !c.public) hooks.push('CSRF_FAILED');
  return [...new Set<ErrorCode>([...c.errors, ...hooks])];
}

const content = (types: readonly string[], schema: Json): Json => Object.fromEntries(types.map((t) => [t, { schema }]));

function responses(c: RouteContract): Json {
  const out: Json = {};
  const produces = c.schema.produces ?? ['application/json'];
  for (const [status, t] of Object.entries(c.schema.response)) {
    if (t === NoContent) out[status] = { type: 'null', description: Number(status) >= 300 && Number(status) < 400 ? 'Redirect' : 'No content' };
    else if (isFileAnswer(t)) out[status] = { description: t.description ?? 'OK', content: content(produces, { type: 'string', format: 'binary' }) };
    else out[status] = { description: 'OK', content: content(produces, jsonSchema(t, 'output')) };
  }
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(c)) byStatus.set(ERRORS[code].status, [...(byStatus.get(ERRORS[code].status) ?? []), code]);
  for (const [status, codes] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    const body = jsonSchema(ErrorBody.extend({ code: z.enum(codes as [ErrorCode, ...ErrorCode[]]) }), 'output');
    // Errors are JSON whatever the route produces.
    out[String(status)] = { description: codes.map((k) => `${k}: ${ERRORS[k].en}`).join('; '), content: content(['application/json'], body) };
  }
  return out;
}

/** A body that may be left out (Fastify takes it as absent): @fastify/swagger marks every body required. */
export const openApiTransformObject: SwaggerTransformObject = (arg) => {
  const doc = 'openapiObject' in arg ? arg.openapiObject : arg.swaggerObject;
  const paths = doc.paths as Record<string, Record<string, { requestBody?: { required?: boolean } }> | undefined> | undefined;
  for (const c of CONTRACT) {
    if (!c.schema.body?.safeParse(undefined).success) continue;
    const op = paths?.[`/api/v1${c.url}`.replace(/:(\w+)/g, '{$1}')]?.[c.method.toLowerCase()];
    if (op?.requestBody) op.requestBody.required = false;
  }
  return doc;
};

export function openApiTransform(arg: { schema: FastifySchema; url: string; route: { config?: unknown } }): { schema: FastifySchema; url: string } {
  const c = contractOf(arg.route.config);
  if (!c) return { schema: arg.schema, url: arg.url };
  const s = c.schema;
  const schema: FastifySchema & Json = {
    tags: s.tags,
    summary: s.summary,
    ...(s.description ? { description: s.description } : {}),
    ...(s.params ? { params: jsonSchema(s.params, 'input') } : {}),
    ...(s.querystring ? { querystring: jsonSchema(s.querystring, 'input') } : {}),
    ...(s.body ? { body: jsonSchema(s.body, 'input') } : {}),
    // A file body is read by the route as a stream (no schema validates it); the document says it is a file.
    ...(!s.body && s.consumes ? { body: { type: 'string', format: 'binary' } } : {}),
    ...(s.consumes ? { consumes: s.consumes } : {}),
    ...(c.public ? { security: [] } : {}),
    response: responses(c),
  };
  return { schema, url: arg.url };
}
