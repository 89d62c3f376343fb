import type { Command } from 'commander';
import { configFrom, fmtInt } from './common.js';
import { callJson, callJsonLines, getJson, viaStoresOrServer, type OutcomeLine } from './with-context.js';
import { readSecret } from './read-secret.js';
import { peerPrincipal } from '../api/auth-plugin.js';
import type { Feed, PushRunSummary } from '../api/contract/index.js';
import { SakimoriError } from '../errors.js';
import { remotePolicy, type RemoteAuth } from '../share/taxii/client/remote.js';
import type { PullRunSummary } from '../share/taxii/client/run-pull.js';

/**
 * The remote's credentials, never on the command line (it shows in `ps` and shell history):
 * a Bearer token from SAKIMORI_TAXII_TOKEN, or `--user` with the password from
 * SAKIMORI_TAXII_PASSWORD or asked for.
 */
async function credentials(user: string | undefined): Promise<{ user?: string; password?: string; token?: string }> {
  const token = process.env['SAKIMORI_TAXII_TOKEN'];
  if (user) return { user, password: process.env['SAKIMORI_TAXII_PASSWORD'] ?? (await readSecret(`password for ${user} at the remote: `)) };
  return token ? { token } : {};
}

const authOf = (c: { user?: string; password?: string; token?: string }): RemoteAuth =>
  c.token ? { kind: 'bearer', token: c.token } : c.user ? { kind: 'basic', user: c.user, password: c.password ?? '' } : { kind: 'none' };

interface PullLine extends OutcomeLine<PullRunSummary> { page?: { page: number; objects: number; received: number; failed: number } }

function pageLine(p: { page: number; objects: number; received: number; failed: number }): void {
  process.stderr.write(`page ${fmtInt(p.page)}: ${fmtInt(p.objects)} objects (${fmtInt(p.received)} received, ${fmtInt(p.failed)} refused)\n`);
}

function pullThrough(url: string, body: Record<string, unknown>): Promise<PullRunSummary> {
  return callJsonLines<PullLine, PullRunSummary>(`${url}api/v1/share/feeds/pull`, body, 'pull', (line) => {
    if (line.page) pageLine(line.page);
    return line.page !== undefined;
  });
}

function printFailures(failures: readonly { id: string; message: string }[], total: number): void {
  if (!total) return;
  process.stdout.write(`${fmtInt(total)} refused; first:\n${failures.map((f) => `  ${f.id}: ${f.message}`).join('\n')}\n`);
}

/** `taxii pull`, `taxii push` and `taxii feeds`: the hub as a TAXII 2.1 client. */
export function registerTaxiiClient(taxii: Command): void {
  taxii.command('pull')
    .argument('<url>', "the remote's discovery URL or API root")
    .requiredOption('--collection <id>', 'the remote collection')
    .requiredOption('--into <local>', 'the local collection (id or alias)')
    .option('--user <name>', 'HTTP Basic user at the remote (password from SAKIMORI_TAXII_PASSWORD or asked); else a Bearer token from SAKIMORI_TAXII_TOKEN')
    .option('--limit <n>', 'objects per page', (v) => Number(v))
    .option('--json', 'print the summary as JSON')
    .description('pull a remote collection into a local one; resumes where the last pull stopped (added_after and next, kept per feed)')
    .action(async (url: string, o: { collection: string; into: string; user?: string; limit?: number; json?: boolean }, cmd: Command) => {
      if (o.limit !== undefined && !(Number.isInteger(o.limit) && o.limit >= 1 && o.limit <= 10_000)) throw new SakimoriError('BAD_REQUEST', '--limit must be a whole number from 1 to 10000', { field: 'limit' });
      const creds = await credentials(o.user);
      const s = await viaStoresOrServer<PullRunSummary>(configFrom(cmd),
        async (ctx) => {
          const stop = new AbortController();
          const onInt = (): void => { process.stderr.write('stopping after the page being stored…\n'); stop.abort(); };
          process.once('SIGINT', onInt);
          try {
            const { runPull } = await import('../share/taxii/client/run-pull.js');
            return await runPull(ctx.state, { url, collection: o.collection, into: o.into, auth: authOf(creds), policy: remotePolicy(ctx.config.share.remoteAllow), userId: peerPrincipal().userId, ...(o.limit ? { limit: o.limit } : {}) }, pageLine, stop.signal);
          } finally {
            process.off('SIGINT', onInt);
          }
        },
        (server) => pullThrough(server, { url, collection: o.collection, into: o.into, ...creds, ...(o.limit ? { limit: o.limit } : {}) }));
      if (o.json) {
        process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
        return;
      }
      process.stdout.write(`pulled ${fmtInt(s.received)} objects in ${fmtInt(s.pages)} pages from ${s.apiRoot} into ${o.into}: ${fmtInt(s.stored)} stored or already held\n`);
      printFailures(s.failures, s.failed);
      process.stdout.write(`next pull starts after ${s.cursor.addedAfter ?? 'the beginning'}${s.cursor.next ? ' (a paged read is under way)' : ''}\n`);
      if (s.failed) process.exitCode = 1;
    });
  taxii.command('push')
    .argument('<url>', "the remote's discovery URL or API root")
    .requiredOption('--collection <id>', 'the remote collection')
    .requiredOption('--from <local>', 'the local collection (id or alias)')
    .option('--to <org>', 'the organisation that runs the remote: objects go as they would to its members; without it only TLP:CLEAR leaves')
    .option('--user <name>', 'HTTP Basic user at the remote (password from SAKIMORI_TAXII_PASSWORD or asked); else a Bearer token from SAKIMORI_TAXII_TOKEN')
    .option('--json', 'print the summary as JSON')
    .description('push the newest versions of a local collection that the sharing policy lets the remote receive')
    .action(async (url: string, o: { collection: string; from: string; to?: string; user?: string; json?: boolean }, cmd: Command) => {
      const creds = await credentials(o.user);
      const s = await viaStoresOrServer<PushRunSummary>(configFrom(cmd),
        async (ctx) => {
          const { runPush } = await import('../share/taxii/client/run-push.js');
          const { pushPolicy } = await import('../share/taxii/client/push-policy.js');
          const policy = await pushPolicy(ctx.state, o.to ?? null, peerPrincipal());
          return runPush(ctx.state, { url, collection: o.collection, from: o.from, auth: authOf(creds), policy: remotePolicy(ctx.config.share.remoteAllow) }, policy.mayLeave, policy.delivered);
        },
        (server) => callJson<PushRunSummary>('POST', `${server}api/v1/share/feeds/push`, { url, collection: o.collection, from: o.from, ...(o.to ? { to: o.to } : {}), ...creds }));
      if (o.json) {
        process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
        return;
      }
      const held = Object.entries(s.withheld).map(([why, n]) => `${fmtInt(n)} ${why}`).join(', ');
      process.stdout.write(`pushed ${fmtInt(s.sent)} of ${fmtInt(s.considered)} objects to ${s.apiRoot} in ${fmtInt(s.envelopes)} envelopes: ${fmtInt(s.succeeded)} accepted, ${fmtInt(s.failed)} refused, ${fmtInt(s.pending)} pending${held ? `; held back by the sharing policy: ${held}` : ''}\n`);
      printFailures(s.failures, s.failed);
      if (s.failed) process.exitCode = 1;
    });
  taxii.command('feeds')
    .option('--json', 'print JSON')
    .description('the remote collections pulled into this hub, with their cursors')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const feeds = await viaStoresOrServer<Feed[]>(configFrom(cmd),
        async (ctx) => (await import('../share/taxii/client/feeds.js')).listFeeds(ctx.state),
        async (server) => (await getJson<{ feeds: Feed[] }>(`${server}api/v1/share/feeds`)).feeds);
      if (o.json) {
        process.stdout.write(`${JSON.stringify(feeds, null, 2)}\n`);
        return;
      }
      if (!feeds.length) process.stdout.write('no feeds: `sakimori taxii pull URL --collection ID --into LOCAL` makes one\n');
      for (const f of feeds) {
        process.stdout.write(`${f.apiRoot} ${f.remoteCollection} → ${f.localCollection}: ${fmtInt(f.objectsReceived)} objects in ${fmtInt(f.pages)} pages, ${fmtInt(f.objectsFailed)} refused, last ${f.lastPullAt ?? 'never'}${f.lastError ? `, last error: ${f.lastError}` : ''}\n`);
      }
    });
}
