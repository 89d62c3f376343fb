import type { Command } from 'commander';
import { join } from 'node:path';
import { chmod, mkdir, rm } from 'node:fs/promises';
import { configFrom } from './common.js';
import { openContext } from '../app/context.js';
import { buildApp } from '../api/app.js';
import { packageRoot } from '../util/package-root.js';
import { removeServerFile, socketPathOf, writeServerFile } from './server-file.js';
import type { Config } from '../config/schema.js';
import { scheduleMonitors } from '../monitors/monitor-schedule.js';
import { SignInLinks } from '../auth/sign-in-link.js';
import { serveLogger, withoutListenMessage } from './serve-logger.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the API and the console; prints a one-time sign-in link')
    .option('--host <host>', 'address to listen on')
    .option('--port <port>', 'port (0 = any free port)', (v) => Number(v))
    .action(async (opts: { host?: string; port?: number }, cmd: Command) => {
      const server: Record<string, unknown> = {};
      if (opts.host) server['host'] = opts.host;
      if (opts.port !== undefined) server['port'] = opts.port;
      await serve(configFrom(cmd, { server }));
    });
}

/**
 * Starts the server and keeps it running until SIGINT/SIGTERM. Returns the console URL. Besides
 * the TCP port it answers on a Unix socket inside the data directory (a 0700 directory, the
 * socket 0600): whoever can open it owns the data, so the CLI works beside the server as that
 * owner without a key (peer trust, as PostgreSQL's local connections).
 */
export async function serve(config: Config, opts: { demo?: boolean } = {}): Promise<string> {
  const ctx = await openContext(config);
  const links = new SignInLinks();
  const log = serveLogger(config.log.level);
  const app = await buildApp(ctx, { loggerInstance: log, webDir: join(packageRoot(), 'web', 'dist'), links, demo: opts.demo ?? false });
  await withoutListenMessage(log, () => app.listen({ host: config.server.host, port: config.server.port }));
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.server.port;
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  const url = `http://${host}:${port}/`;
  const socket = socketPathOf(config.dataDir);
  const local = await buildApp(ctx, { loggerInstance: log, links, peer: true });
  let socketOk = false;
  if (Buffer.byteLength(socket) < 104) {
    await mkdir(join(socket, '..'), { recursive: true, mode: 0o700 });
    await chmod(join(socket, '..'), 0o700);
    await rm(socket, { force: true });
    await withoutListenMessage(log, () => local.listen({ path: socket }));
    await chmod(socket, 0o600);
    socketOk = true;
  } else {
    process.stderr.write(`note: the data directory's path is too long for a Unix socket (${socket}); CLI commands beside the server need SAKIMORI_API_KEY\n`);
  }
  await writeServerFile(config.dataDir, url, socketOk ? socket : undefined);
  const monitors = scheduleMonitors(ctx, app.log);
  // The flow collector runs in the process that holds the stores (docs/flows.md).
  const flows = config.flows.listen.length > 0
    ? await (await import('../flows/collect/start-collector.js')).startFlowCollector(ctx, { warn: (m) => app.log.warn(m) })
    : undefined;
  process.stdout.write(`Sakimori console: ${url}  (API ${url}api/v1, docs ${url}api/docs)\n`);
  for (const s of flows?.sockets ?? []) process.stdout.write(`Flow collector: UDP ${s.type === 'udp6' ? `[${s.host}]` : s.host}:${s.boundPort}\n`);
  process.stdout.write(`Sign in (one-time link, as the local platform admin): ${url}api/v1/auth/link?token=${links.issue()}\n`);
  const stop = async (): Promise<void> => {
    monitors.stop();
    await flows?.stop();
    await app.close();
    await local.close();
    await removeServerFile(config.dataDir);
    await ctx.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  return url;
}
