import type { Command } from 'commander';
import { configFrom, fmtInt } from './common.js';
import { getJson, viaStoresOrServer } from './with-context.js';
import { UNRESTRICTED } from '../store/need-to-know.js';
import { GROUP_BY, type EffectReport, type GroupBy } from '../effects/effect-report.js';
import { SakimoriError } from '../errors.js';

/** Cases per state and kind, as the store and GET /cases/counts give them. */
interface CaseCount { state: string; kind: string; n: number }

export function registerEffects(program: Command): void {
  program.command('effects')
    .option('--by <group>', `group by ${GROUP_BY.join('|')}`, 'kind')
    .option('--published', 'only groups with cases of at least effects.minOrganisations organisations, no names')
    .option('--csv', 'print CSV')
    .option('--json', 'print JSON (with the Kaplan–Meier curves)')
    .description('did the notices work: remediation within 7/14/30 days, median time to remediation, reappearance')
    .action(async (o: { by: string; published?: boolean; csv?: boolean; json?: boolean }, cmd: Command) => {
      if (!(GROUP_BY as readonly string[]).includes(o.by)) throw new SakimoriError('BAD_REQUEST', `--by must be one of ${GROUP_BY.join(', ')}`);
      const config = configFrom(cmd);
      const q = new URLSearchParams({ groupBy: o.by, ...(o.published ? { published: 'true' } : {}) });
      // Case counts only when nothing was measured: they say why.
      const { r, counts } = await viaStoresOrServer<{ r: EffectReport; counts?: CaseCount[] }>(config, async (ctx) => {
        const e = await import('../effects/effect-report.js');
        const rep = await e.effectReport(ctx.state, UNRESTRICTED, { groupBy: o.by as GroupBy, k: config.effects.minOrganisations });
        const c = rep.groups.length === 0 ? await (await import('../cases/case-store.js')).caseCounts(ctx.state, UNRESTRICTED) : undefined;
        return { r: o.published ? e.publishable(rep, config.effects.minOrganisations) : rep, ...(c ? { counts: c } : {}) };
      }, async (url) => {
        const rep = await getJson<EffectReport>(`${url}api/v1/effects?${q}`);
        return { r: rep, ...(rep.groups.length === 0 && !o.published ? { counts: await getJson<CaseCount[]>(`${url}api/v1/cases/counts`) } : {}) };
      });
      if (o.json) { process.stdout.write(`${JSON.stringify(r, null, 2)}\n`); return; }
      if (o.csv) { process.stdout.write((await import('../effects/effect-report.js')).effectCsv(r)); return; }
      if (r.groups.length === 0) {
        process.stdout.write(`${counts ? nothingMeasured(counts) : nothingPublishable(config.effects.minOrganisations)}\n`);
        return;
      }
      const pct = (x: number | null): string => (x === null ? '   –' : `${(x * 100).toFixed(0).padStart(3)}%`);
      process.stdout.write(`${'group'.padEnd(28)} notified resolved  7d  14d  30d  median  reappear\n`);
      for (const g of r.groups) {
        process.stdout.write(`${g.group.slice(0, 27).padEnd(28)} ${fmtInt(g.notified).padStart(8)} ${fmtInt(g.resolved).padStart(8)} ${g.within.map((w) => pct(w.rate)).join(' ')} ${(g.medianDays === null ? '–' : `${g.medianDays.toFixed(1)} d`).padStart(7)} ${pct(g.reappearanceRate).padStart(9)}\n`);
      }
    });
}

/** Why there is nothing to measure yet, and what to run: effects are measured from notified cases only. */
function nothingMeasured(counts: readonly { state: string; n: number }[]): string {
  const total = counts.reduce((t, c) => t + c.n, 0);
  if (total === 0) return 'no effects to measure: there are no cases yet. Run `sakimori cases build` to open cases from the findings, then `sakimori notify round --send`.';
  const byState = counts.reduce<Record<string, number>>((m, c) => ({ ...m, [c.state]: (m[c.state] ?? 0) + c.n }), {});
  return `no effects to measure: none of the ${fmtInt(total)} cases (${Object.entries(byState).map(([st, n]) => `${st} ${fmtInt(n)}`).join(', ')}) has been notified yet. `
    + 'Run `sakimori notify round` and `sakimori notify send`; `sakimori notify deliveries` shows why a delivery was not sent.';
}

function nothingPublishable(k: number): string {
  return `nothing to publish: no group has notified cases of at least ${k} organisations (effects.minOrganisations); without --published every group is shown.`;
}
