import type { Config } from '../config/schema.js';
import type { AppContext } from '../app/context.js';

/**
 * Runs a command that needs the stores themselves (imports, writes without an API yet): opens
 * them (STORE_LOCKED, naming the holder, when a server has them), runs `fn`, always closes.
 */
export async function withStores<T>(config: Config, fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const { openContext } = await import('../app/context.js');
  const ctx = await openContext(config);
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}
