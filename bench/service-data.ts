/**
 * The synthetic services the search benchmarks share: loaded once into bench/out/<name> and reused
 * while the count matches (--reload forces a new load); the table is merged (OPTIMIZE … FINAL)
 * after loading, as it is after an import or a survey run settles.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/util/package-root.js';
import { configSchema } from '../src/config/schema.js';
import { openContext, type AppContext } from '../src/app/context.js';
import { loadSynthServices } from '../src/synth/services-load.js';

export interface ServiceData {
  ctx: AppContext;
  /** Set when this run loaded the rows (absent: reused). */
  loaded?: { seconds: number; mergeSeconds: number };
}

export async function openServiceData(name: string, count: number, seed: number): Promise<ServiceData> {
  const dir = join(packageRoot(), 'bench', 'out', name);
  if (process.argv.includes('--reload')) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const fresh = !existsSync(join(dir, 'events'));
  const ctx = await openContext(configSchema.parse({ dataDir: dir, log: { level: 'silent' } }));
  const [have] = await ctx.events.query<{ n: number }>('SELECT count() AS n FROM services');
  if (!fresh && Number(have?.n ?? 0) === count) return { ctx };
  await ctx.events.exec('TRUNCATE TABLE services');
  await ctx.events.exec('TRUNCATE TABLE services_current');
  const t = performance.now();
  await loadSynthServices(ctx.events, { count, seed }, (p) => process.stderr.write(`\rloading ${p.rows} rows, ${p.seconds.toFixed(0)} s`));
  const seconds = (performance.now() - t) / 1000;
  const m = performance.now();
  await ctx.events.exec('OPTIMIZE TABLE services_current FINAL');
  process.stderr.write('\n');
  return { ctx, loaded: { seconds, mergeSeconds: (performance.now() - m) / 1000 } };
}
