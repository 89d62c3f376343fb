/**
 * The OpenAPI document from the contract: @fastify/swagger calls this for every route; an API
 * route's request parts and answers come from its zod schemas, and its errors (its own and the
 * ones every route may answer) are listed by status with the one error body.
 */
import type { FastifySchema } from 'fastify';
import { z } from 'zod';
import { ERRORS, type ErrorCode } from '../errors.js';
import { COMMON_ERRORS, ErrorBody, NoContent, type RouteContract } from './contract/define.js';
import { contractOf } from './serve-route.js';

type Json = Record<string, unknown>;

function jsonSchema(t: z.ZodType, io: 'input' | 'output'): Json {
  const s = z.toJSONSchema(t, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as Json;
  delete s['$schema'];
  return s;
}

/** Every error code the route may answer: its own, the common ones, BAD_REQUEST when it validates input. */
export function errorCodesOf(c: RouteContract): ErrorCode[] {
  const s = c.schema;
  const validates = s.params !== undefined || s.querystring !== undefined || s.body !== undefined;
  const common = c.public ? COMMON_ERRORS.filter((e) => e !== 'AUTH_REQUIRED') : COMMON_ERRORS;
  return [...new Set<ErrorCode>([...c.errors, ...common, ...(validates ? ['BAD_REQUEST' as const] : [])])];
}

function responses(c: RouteContract): Json {
  const out: Json = {};
  for (const [status, t] of Object.entries(c.schema.response)) {
    out[status] = t === NoContent ? { type: 'null', description: Number(status) >= 300 && Number(status) < 400 ? 'Redirect' : 'No content' } : { description: 'OK', ...jsonSchema(t, 'output') };
  }
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(c)) byStatus.set(ERRORS[code].status, [...(byStatus.get(ERRORS[code].status) ?? []), code]);
  for (const [status, codes] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    const body = jsonSchema(ErrorBody.extend({ code: z.enum(codes as [ErrorCode, ...ErrorCode[]]) }), 'output');
    out[String(status)] = { description: codes.map((k) => `${k}: ${ERRORS[k].en}`).join('; '), ...body };
  }
  return out;
}

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
    ...(s.produces ? { produces: s.produces } : {}),
    ...(s.consumes ? { consumes: s.consumes } : {}),
    ...(c.public ? { security: [] } : {}),
    response: responses(c),
  };
  return { schema, url: arg.url };
}
