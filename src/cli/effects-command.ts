import type { Command } from 'commander';
import { configFrom, fmtInt } from './common.js';
import { withStores } from './with-stores.js';
import { UNRESTRICTED } from '../store/need-to-know.js';
import { GROUP_BY, type GroupBy } from '../effects/effect-report.js';
import { SakimoriError } from '../errors.js';

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
      const r = await withStores(config, async (ctx) => {
        const e = await import('../effects/effect-report.js');
        const rep = await e.effectReport(ctx.state, UNRESTRICTED, { groupBy: o.by as GroupBy, k: config.effects.minOrganisations });
        return o.published ? e.publishable(rep, config.effects.minOrganisations) : rep;
      });
      if (o.json) { process.stdout.write(`${JSON.stringify(r, null, 2)}\n`); return; }
      if (o.csv) { process.stdout.write((await import('../effects/effect-report.js')).effectCsv(r)); return; }
      const pct = (x: number | null): string => (x === null ? '   –' : `${(x * 100).toFixed(0).padStart(3)}%`);
      process.stdout.write(`${'group'.padEnd(28)} notified resolved  7d  14d  30d  median  reappear\n`);
      for (const g of r.groups) {
        process.stdout.write(`${g.group.slice(0, 27).padEnd(28)} ${fmtInt(g.notified).padStart(8)} ${fmtInt(g.resolved).padStart(8)} ${g.within.map((w) => pct(w.rate)).join(' ')} ${(g.medianDays === null ? '–' : `${g.medianDays.toFixed(1)} d`).padStart(7)} ${pct(g.reappearanceRate).padStart(9)}\n`);
      }
    });
}
