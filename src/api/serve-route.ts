/**
 * Routes are registered only from their contract (api/contract/): `serveRoute(app, contract,
 * handler)` types the handler's request and answer from it. `installContract` makes it so: a
 * route under /api/v1 registered any other way fails the server's start, naming the route.
 */
import type {
  ContextConfigDefault, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault,
  RouteGenericInterface, RouteHandlerMethod, onRequestHookHandler,
} from 'fastify';
import type { RouteContract, RouteSchema } from './contract/define.js';
import { ContractViolation, type ZodTypeProvider, zodSerializerCompiler, zodValidatorCompiler } from './zod-provider.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's entry in the contract (set by serveRoute). */
    contract?: RouteContract;
    /** Request class for the per-principal limits (api/request-limits.ts). */
    cost?: 'cheap' | 'heavy';
  }
}

export const API_PREFIX = '/api/v1';

export type ContractHandler<S extends RouteSchema> = RouteHandlerMethod<
  RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, RouteGenericInterface, ContextConfigDefault, S, ZodTypeProvider
>;

export interface RouteExtras {
  /** Request class for the per-principal limits (api/request-limits.ts). */
  cost?: 'cheap' | 'heavy';
  onRequest?: onRequestHookHandler;
}

const STRICT = Symbol('sakimori.contract.strict');

export function serveRoute<S extends RouteSchema>(app: FastifyInstance, c: RouteContract<S>, handler: ContractHandler<S>, extras: RouteExtras = {}): void {
  const strict = (app as FastifyInstance & { [STRICT]?: boolean })[STRICT] ?? false;
  app.withTypeProvider<ZodTypeProvider>().route({
    method: c.method,
    url: c.url,
    schema: c.schema,
    validatorCompiler: zodValidatorCompiler,
    serializerCompiler: zodSerializerCompiler({ strict }),
    config: { contract: c, ...(extras.cost ? { cost: extras.cost } : {}) },
    ...(extras.onRequest ? { onRequest: extras.onRequest } : {}),
    handler,
  });
}

export function contractOf(config: unknown): RouteContract | undefined {
  return (config as { contract?: RouteContract } | undefined)?.contract;
}

/**
 * On the root, before any route: the refusal of an API route without a contract (each contract
 * route brings its own zod validation and serialisation, so the console's files and /metrics keep
 * Fastify's). Strict (the test suite): an answer with an undeclared status or
 * field is an error, not silently dropped.
 */
export function installContract(app: FastifyInstance, opts: { strict: boolean }): void {
  app.decorate(STRICT, opts.strict);
  app.addHook('onRoute', (r) => {
    if (!r.url.startsWith(`${API_PREFIX}/`) || r.method === 'HEAD') return;
    const c = contractOf(r.config);
    if (!c) throw new Error(`route ${String(r.method)} ${r.url} has no contract entry: declare it in src/api/contract/ and register it with serveRoute`);
    if (`${API_PREFIX}${c.url}` !== r.url || c.method !== r.method) throw new Error(`route ${String(r.method)} ${r.url} is registered with the contract of ${c.method} ${c.url}`);
  });
  if (opts.strict) {
    app.addHook('onSend', async (req, reply, payload) => {
      const c = contractOf(req.routeOptions.config);
      const status = reply.statusCode;
      if (c && status < 400 && !(status in c.schema.response)) throw new ContractViolation(`${c.method} ${c.url}`, status, 'a status the contract does not declare');
      return payload;
    });
  }
}
