/** The API over embedded stores in a fresh temporary data directory, for tests; `dispose` closes and removes it. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { configSchema } from '../../config/schema.js';
import { openContext, type AppContext } from '../../app/context.js';
import { buildApp } from '../app.js';

export interface TempApp {
  readonly dir: string;
  readonly ctx: AppContext;
  readonly app: FastifyInstance;
  dispose(): Promise<void>;
}

export async function tempApp(name: string, config: Record<string, unknown> = {}): Promise<TempApp> {
  const dir = await mkdtemp(join(tmpdir(), `sakimori-${name}-`));
  const ctx = await openContext(configSchema.parse({ dataDir: dir, ...config }));
  const app = await buildApp(ctx);
  return {
    dir, ctx, app,
    dispose: async () => {
      await app.close();
      await ctx.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
