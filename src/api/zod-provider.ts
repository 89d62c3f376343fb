/**
 * Fastify with the zod contract (api/contract/): requests are validated and typed by the route's
 * zod schemas, answers are serialised through them. Our own provider (a few lines) rather than
 * a package: it also turns Dates into ISO text before the check, and in strict mode (the test
 * suite: SAKIMORI_STRICT_CONTRACT=1) refuses an answer with a field the contract does not
 * declare, where production drops the field: the contract is what leaves the server.
 */
import type { FastifySchemaCompiler, FastifySerializerCompiler, FastifyTypeProvider } from 'fastify';
import type { z } from 'zod';

/** What a handler may return for a schema's input: Dates where text is declared (they serialise to ISO text), read-only lists. */
export type Wire<T> = T extends string
  ? T | Date
  : T extends readonly (infer E)[]
    ? readonly Wire<E>[]
    : T extends Date
      ? T
      : T extends object
        ? { readonly [K in keyof T]: Wire<T[K]> }
        : T;

export interface ZodTypeProvider extends FastifyTypeProvider {
  readonly validator: this['schema'] extends z.ZodType ? z.output<this['schema']> : unknown;
  readonly serializer: this['schema'] extends z.ZodType ? Wire<z.input<this['schema']>> : unknown;
}

function isZod(s: unknown): s is z.ZodType {
  return typeof s === 'object' && s !== null && typeof (s as { safeParse?: unknown }).safeParse === 'function';
}

/** Errors in the shape Fastify formats ("querystring/limit must be …") and our error handler answers as 400. */
export const zodValidatorCompiler: FastifySchemaCompiler<unknown> = ({ schema }) => {
  if (!isZod(schema)) throw new Error('a route schema that is not zod: declare it in src/api/contract/');
  return (data: unknown) => {
    // Fastify hands an absent body as null: a route whose body is optional takes it as absent.
    if (data === null) {
      const absent = schema.safeParse(undefined);
      if (absent.success) return { value: absent.data };
    }
    const r = schema.safeParse(data);
    if (r.success) return { value: r.data };
    return {
      error: r.error.issues.map((i) => ({
        keyword: i.code,
        instancePath: i.path.length ? `/${i.path.map(String).join('/')}` : '',
        schemaPath: '',
        params: {},
        message: i.message,
      })),
    };
  };
};

/** Keys present in `wire` but not in `out`: fields the contract would drop. */
export function droppedFields(wire: unknown, out: unknown, path = ''): string[] {
  if (Array.isArray(wire) && Array.isArray(out)) return wire.flatMap((w, i) => droppedFields(w, out[i], `${path}[${i}]`));
  if (wire === null || out === null || typeof wire !== 'object' || typeof out !== 'object') return [];
  const o = out as Record<string, unknown>;
  return Object.entries(wire as Record<string, unknown>).flatMap(([k, v]) =>
    k in o ? droppedFields(v, o[k], path ? `${path}.${k}` : k) : [path ? `${path}.${k}` : k]);
}

export class ContractViolation extends Error {
  constructor(route: string, status: number, detail: string) {
    super(`the answer of ${route} (${status}) does not match its contract: ${detail}`);
    this.name = 'ContractViolation';
  }
}

export function zodSerializerCompiler(opts: { strict: boolean }): FastifySerializerCompiler<unknown> {
  return ({ schema, method, url, httpStatus }) => {
    if (!isZod(schema)) return (data: unknown) => JSON.stringify(data);
    const route = `${method} ${url}`;
    return (data: unknown) => {
      const wire: unknown = data === undefined ? null : JSON.parse(JSON.stringify(data));
      const r = schema.safeParse(wire);
      if (!r.success) {
        const first = r.error.issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || '(answer)'}: ${i.message}`).join('; ');
        throw new ContractViolation(route, Number(httpStatus), first);
      }
      if (opts.strict) {
        const extra = droppedFields(wire, r.data);
        if (extra.length) throw new ContractViolation(route, Number(httpStatus), `undeclared fields ${extra.slice(0, 5).join(', ')}`);
      }
      return JSON.stringify(r.data);
    };
  };
}
