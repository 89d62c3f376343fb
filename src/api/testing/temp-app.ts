/**
 * The API over embedded stores in a fresh temporary data directory, for tests; `dispose` closes
 * and removes it. Nothing is served anonymously, so it comes with a platform admin's API key:
 * `admin` are its headers and `inject` sends them unless the request brings its own.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { configSchema } from '../../config/schema.js';
import { openContext, type AppContext } from '../../app/context.js';
import { buildApp, type AppOptions } from '../app.js';
import { createUser } from '../../auth/users.js';
import { createApiKey } from '../../auth/api-keys.js';

export interface TempApp {
  readonly dir: string;
  readonly ctx: AppContext;
  readonly app: FastifyInstance;
  /** Authorization header of a platform admin's key (scopes read, write, admin). */
  readonly admin: Readonly<Record<string, string>>;
  /** app.inject as that admin (headers given in `opts` win). */
  inject(opts: InjectOptions | string): Promise<LightMyRequestResponse>;
  dispose(): Promise<void>;
}

export const TEST_PASSWORD = 'a long enough test password';

export async function tempApp(name: string, config: Record<string, unknown> = {}, opts: AppOptions = {}): Promise<TempApp> {
  const dir = await mkdtemp(join(tmpdir(), `sakimori-${name}-`));
  const ctx = await openContext(configSchema.parse({ dataDir: dir, ...config }));
  const app = await buildApp(ctx, opts);
  await createUser(ctx.state, { username: 'test-admin', password: TEST_PASSWORD, role: 'platform-admin' });
  const { key } = await createApiKey(ctx.state, 'test-admin', 'tests', ['read', 'write', 'admin']);
  const admin = { authorization: `Bearer ${key}` };
  return {
    dir, ctx, app, admin,
    inject: (o) => {
      const req = typeof o === 'string' ? { url: o } : o;
      return app.inject({ ...req, headers: { ...admin, ...(req.headers ?? {}) } });
    },
    dispose: async () => {
      await app.close();
      await ctx.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
