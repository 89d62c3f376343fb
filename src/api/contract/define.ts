/**
 * The API contract: each route's request and response declared once, with zod. The server
 * validates and types requests and serialises responses from it (api/zod-provider.ts,
 * api/serve-route.ts), the OpenAPI document is generated from it (api/contract-openapi.ts), and
 * the console imports its types (web/src/api.ts). This folder imports nothing but zod and type
 * declarations, so the console's type check can read it.
 */
import { z } from 'zod';
import type { ErrorCode } from '../../errors.js';

export type Method = 'GET' | 'POST' | 'DELETE';

/** The parts Fastify validates and serialises, plus what the OpenAPI document shows. */
export interface RouteSchema {
  readonly tags: readonly string[];
  readonly summary: string;
  readonly description?: string;
  readonly params?: z.ZodType;
  readonly querystring?: z.ZodType;
  readonly body?: z.ZodType;
  /** Success answers by status; errors are listed in `errors`, with the one error body. */
  readonly response: Readonly<Record<number, z.ZodType>>;
  /** Media types of a non-JSON answer (CSV, HTML, PDF, a stream); default: JSON. */
  readonly produces?: readonly string[];
  /** A body that is a file (imports, feeds): read by the route as a stream, whatever its type. */
  readonly consumes?: readonly string[];
}

export interface RouteContract<S extends RouteSchema = RouteSchema> {
  readonly method: Method;
  /** Under /api/v1, in Fastify's syntax (`/hosts/:ip`). */
  readonly url: string;
  readonly schema: S;
  /** The error codes this route answers besides the ones the server's hooks may answer on any route (api/contract-openapi.ts, errorCodesOf). */
  readonly errors: readonly ErrorCode[];
  /** Served without sign-in (liveness, sign-in itself). */
  readonly public?: boolean;
}

/** Keeps the literal types of the schema, so handlers are typed from it. */
export function defineRoute<const S extends RouteSchema>(c: RouteContract<S>): RouteContract<S> {
  return c;
}

/** The body of every error answer (api/error-handler.ts). */
export const ErrorBody = z.object({
  code: z.string().describe('stable error code (the error catalogue, src/errors.ts)'),
  message: z.string(),
  where: z.record(z.string(), z.union([z.string(), z.number()])).optional().describe('where the problem was found: field, file, line…'),
  errorId: z.string().optional().describe('a server error: the id under which the log has the details'),
});

/** Something a route can send as a non-JSON answer (a Node stream has `pipe`). */
export interface Pipeable { pipe(destination: never): unknown }

const FILE_ANSWERS = new WeakSet<z.ZodType>();

/**
 * A non-JSON answer (CSV, HTML, PDF, a streamed export): text, bytes or a readable stream, never
 * serialised; the route's `produces` names its media types.
 */
export function fileAnswer(description: string): z.ZodType<string | Uint8Array | Pipeable> {
  const t = z.custom<string | Uint8Array | Pipeable>(() => true).describe(description);
  FILE_ANSWERS.add(t);
  return t;
}

export const isFileAnswer = (t: z.ZodType): boolean => FILE_ANSWERS.has(t);

/** A 204 (or a redirect): no body. */
export const NoContent = z.null().describe('no content');
