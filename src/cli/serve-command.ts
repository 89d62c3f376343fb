import type { Command } from 'commander';
import { join } from 'node:path';
import { configFrom } from './common.js';
import { openContext } from '../app/context.js';
import { buildApp } from '../api/app.js';
import { packageRoot } from '../util/package-root.js';
import { removeServerFile, writeServerFile } from './server-file.js';
import type { Config } from '../config/schema.js';
import { scheduleMonitors } from '../monitors/monitor-schedule.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the API and the console')
    .option('--host <host>', 'address to listen on')
    .option('--port <port>', 'port (0 = any free port)', (v) => Number(v))
    .action(async (opts: { host?: string; port?: number }, cmd: Command) => {
      const server: Record<string, unknown> = {};
      if (opts.host) server['host'] = opts.host;
      if (opts.port !== undefined) server['port'] = opts.port;
      await serve(configFrom(cmd, { server }));
    });
}

/** Starts the server and keeps it running until SIGINT/SIGTERM. Returns the console URL. */
export async function serve(config: Config): Promise<string> {
  const ctx = await openContext(config);
  const app = await buildApp(ctx, { logger: { level: config.log.level }, webDir: join(packageRoot(), 'web', 'dist') });
  await app.listen({ host: config.server.host, port: config.server.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.server.port;
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  const url = `http://${host}:${port}/`;
  await writeServerFile(config.dataDir, url);
  const monitors = scheduleMonitors(ctx, app.log);
  process.stdout.write(`Sakimori console: ${url}  (API ${url}api/v1, docs ${url}api/docs)\n`);
  const stop = async (): Promise<void> => {
    monitors.stop();
    await app.close();
    await removeServerFile(config.dataDir);
    await ctx.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  return url;
}
