import type { Command } from 'commander';
import { configFrom } from './common.js';
import { runningServer } from './server-file.js';
import { callJson } from './with-context.js';
import { SakimoriError } from '../errors.js';

/** A new one-time sign-in link from the server running on this data directory, asked through its socket. */
export function registerSignInLink(program: Command): void {
  program
    .command('signin-link')
    .description('print a new one-time sign-in link of the server running on this data directory')
    .action(async (_o: unknown, cmd: Command) => {
      const server = await runningServer(configFrom(cmd).dataDir);
      if (!server) throw new SakimoriError('NOT_FOUND', 'no server runs on this data directory: `sakimori serve` starts one and prints a link');
      if (!server.socket) throw new SakimoriError('FORBIDDEN', 'the server has no socket in this data directory (its path is too long); sign in with a user instead');
      const r = await callJson<{ token: string; path: string }>('POST', `${server.url}api/v1/auth/links`, {});
      process.stdout.write(`${new URL(`${r.path.replace(/^\//, '')}${r.token}`, server.url).toString()}\n`);
    });
}
