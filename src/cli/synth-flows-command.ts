import type { Command } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SakimoriError } from '../errors.js';
import { configFrom, fmtInt } from './common.js';
import { viaStoresOrServer } from './with-context.js';
import type { SynthFlowsResult } from '../flows/synth/synth-flows.js';
import type { IspFlowOptions } from '../flows/synth/isp-flows.js';

interface Flags {
  seed: number; clients?: number; flows?: number; hours: number; sample: number; out?: string; labels?: string; date?: string; botnets?: number;
}

const positive = (name: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new SakimoriError('BAD_REQUEST', `--${name} must be a positive number, not ${v}`);
  return n;
};

/** `synth flows`: a subcommand of `synth` (registered from synth-command.ts). */
export function registerSynthFlows(synth: Command): void {
  synth
    .command('flows')
    .description('an ISP\'s flows with known truth: benign traffic, popular periodic services, C&C of five kinds (IRC, HTTP with jitter, long sleeps, P2P, on a shared cloud address)')
    .option('--seed <n>', 'random seed', (v) => Number(v), 1)
    .option('--clients <n>', 'internal clients (default: --flows / 1000)', positive('clients'))
    .option('--flows <n>', 'about this many records (clients = flows / 1000)', positive('flows'))
    .option('--hours <h>', 'hours of traffic', positive('hours'), 24)
    .option('--date <day>', 'UTC day YYYY-MM-DD the window starts (default 2026-12-01)')
    .option('--sample <n>', '1-in-N packet sampling at generation', positive('sample'), 1)
    .option('--botnets <n>', 'botnets of each kind', positive('botnets'))
    .option('--out <dir>', 'write DIR/flows.csv (nfdump CSV) and DIR/labels.json instead of storing the flows')
    .option('--labels <file>', 'write the labels here (default DIR/labels.json, or labels.json when storing)')
    .action(async (f: Flags, cmd: Command) => {
      const startMs = f.date ? Date.parse(`${f.date}T00:00:00Z`) : undefined;
      if (startMs !== undefined && Number.isNaN(startMs)) throw new SakimoriError('BAD_REQUEST', `--date must be YYYY-MM-DD, not ${f.date}`);
      const o: IspFlowOptions = { seed: f.seed, clients: f.clients, flows: f.flows, hours: f.hours, sample: f.sample, startMs, botnetsPerKind: f.botnets };
      const started = Date.now();
      const { synthFlowsToCsv, synthFlowsToStore } = await import('../flows/synth/synth-flows.js');
      let r: SynthFlowsResult;
      if (f.out) {
        await mkdir(f.out, { recursive: true });
        r = await synthFlowsToCsv(join(f.out, 'flows.csv'), o);
      } else {
        r = await viaStoresOrServer(configFrom(cmd), (ctx) => synthFlowsToStore(ctx.events, o), () => {
          throw new SakimoriError('STORE_LOCKED', 'a running server holds it: write the flows to files with --out DIR, or stop the server');
        });
      }
      const labels = f.labels ?? (f.out ? join(f.out, 'labels.json') : 'labels.json');
      await mkdir(dirname(labels), { recursive: true });
      await writeFile(labels, `${JSON.stringify(r.labels, null, 2)}\n`);
      process.stderr.write(`${fmtInt(r.records)} flow records of ${fmtInt(r.clients)} clients, ${r.labels.length} labelled C&C servers (${labels}), ` +
        `${f.out ? join(f.out, 'flows.csv') : 'stored (internal prefixes 10.0.0.0/8, 2001:db8:1000::/48)'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    });
}
