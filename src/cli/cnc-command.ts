import { registerCncShare } from './cnc-share-command.js';
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { SakimoriError } from '../errors.js';
import { configFrom, fmtInt, pad } from './common.js';
import { getJson, viaStoresOrServer } from './with-context.js';
import type { CncCandidate } from '../flows/detect/candidate.js';
import type { CncEvaluation } from '../flows/detect/evaluate.js';
import type { CncWindowOptions } from '../flows/detect/score-window.js';
import { protoName } from '../store/events/sql-helpers.js';

interface WindowFlags { from?: string; to?: string; sample?: number }

function windowOf(f: WindowFlags): CncWindowOptions {
  const at = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const t = Date.parse(v);
    if (Number.isNaN(t)) throw new SakimoriError('BAD_REQUEST', `--${name} must be a time (ISO 8601), not ${v}`);
    return t;
  };
  return { fromMs: at('from', f.from), toMs: at('to', f.to), sample: f.sample };
}

/** Detection reads the raw flows in the stores; the API has no route for it yet, so beside a server it says so. */
const serverHolds = (): never => {
  throw new SakimoriError('STORE_LOCKED', 'a running server holds it and evaluation is not served by the API: stop the server to run it');
};

/** Candidates from a running server's API (the same detection, audited there as this reader's). */
function candidatesThrough(url: string, o: WindowFlags & { limit: number }): Promise<CncCandidate[]> {
  const q = new URLSearchParams({ limit: String(o.limit) });
  if (o.from) q.set('from', o.from);
  if (o.to) q.set('to', o.to);
  if (o.sample) q.set('sample', String(o.sample));
  return getJson<CncCandidate[]>(`${url}api/v1/flows/candidates?${q}`);
}

const sampleOption = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new SakimoriError('BAD_REQUEST', `--sample must be a whole number ≥ 1, not ${v}`);
  return n;
};

function candidatesText(cs: readonly CncCandidate[]): string {
  if (cs.length === 0) return 'no candidate / 候補なし\n';
  const lines = cs.map((c, i) => {
    const parts = Object.entries(c.parts).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ');
    return `${pad(String(i + 1), 4, true)}  ${c.score.toFixed(3)}  ${pad(`${c.server.includes(':') ? `[${c.server}]` : c.server}:${c.port}/${protoName(c.proto)}`, 44)} ${pad(fmtInt(c.clients), 7, true)} clients  ${parts}`;
  });
  return `${lines.join('\n')}\n`;
}

function evaluationText(e: CncEvaluation): string {
  const pct = (v: number): string => `${(v * 100).toFixed(v < 0.01 && v > 0 ? 3 : 1)} %`;
  const ranks = e.ranks.map((r) => `  ${pad(r.botnet, 10)} ${pad(r.kind, 6)} ${pad(`${r.server}:${r.port}/${protoName(r.proto)}`, 44)} rank ${r.rank ?? '—'}  score ${r.score ?? '—'}`);
  return [
    `sampling 1:${e.sample}, decision threshold ${e.threshold}, ${fmtInt(e.candidates)} candidate servers`,
    `detection rate ${pct(e.detectionRate)} (${e.detected} of ${e.labelled} labelled servers)`,
    `false positives ${fmtInt(e.falsePositives)} (${pct(e.falsePositiveRate)} of unlabelled candidates)`,
    `precision@10 ${e.precisionAt10.toFixed(2)}, precision@100 ${e.precisionAt100.toFixed(2)}`,
    ...ranks,
  ].join('\n') + '\n';
}

export function registerCnc(program: Command): void {
  const cnc = program.command('cnc').description('C&C server candidates from stored flows, and their evaluation / C&Cサーバ候補');
  cnc.command('candidates')
    .description('external servers of internal clients scored as C&C, best first, with the parts of each score')
    .option('--from <time>', 'window start (ISO 8601; default 24 hours before the last stored flow)')
    .option('--to <time>', 'window end (default just after the last stored flow)')
    .option('--limit <n>', 'how many', (v) => Number(v), 50)
    .option('--sample <n>', 'thin the stored packets 1-in-N first', sampleOption)
    .option('--json', 'print JSON')
    .action(async (o: WindowFlags & { limit: number; json?: boolean }, cmd: Command) => {
      const cs = await viaStoresOrServer(configFrom(cmd), async (ctx) => (await import('../flows/detect/candidates.js')).cncCandidates(ctx, { ...windowOf(o), limit: o.limit }), (url) => candidatesThrough(url, o));
      process.stdout.write(o.json ? `${JSON.stringify(cs, null, 2)}\n` : candidatesText(cs));
    });
  cnc.command('evaluate')
    .description('score detection against labels (synth flows writes them): detection rate, false positives, precision, ranks')
    .requiredOption('--labels <file>', 'labels.json: [{server, port, proto, kind, botnet}]')
    .option('--from <time>', 'window start (ISO 8601)')
    .option('--to <time>', 'window end')
    .option('--sample <n>', 'thin the stored packets 1-in-N first (1:100, 1:1000 as routers sample)', sampleOption)
    .option('--json', 'print JSON')
    .action(async (o: WindowFlags & { labels: string; json?: boolean }, cmd: Command) => {
      const { evaluateCnc, parseLabels } = await import('../flows/detect/evaluate.js');
      const labels = parseLabels(await readFile(o.labels, 'utf8'));
      const e = await viaStoresOrServer(configFrom(cmd), (ctx) => evaluateCnc(ctx, labels, windowOf(o)), serverHolds);
      process.stdout.write(o.json ? `${JSON.stringify(e, null, 2)}\n` : evaluationText(e));
    });
  // Sharing candidates among carriers: publish through the hub, corroborate by keyed hashes.
  registerCncShare(cnc);
}
