import type { Command } from 'commander';
import { SakimoriError } from '../errors.js';
import { configFrom, fmtInt, pad } from './common.js';
import { callJson, getJson, viaStoresOrServer } from './with-context.js';
import { UNRESTRICTED } from '../store/need-to-know.js';
import type { CampaignComputeSummary, CampaignList } from '../api/contract/index.js';

interface Flags { json?: boolean; compute?: boolean; limit: number }

/** Beside a running server: compute through it when asked (or never done), then list. */
async function through(url: string, o: Flags): Promise<{ list: CampaignList; computed: CampaignComputeSummary | null }> {
  const get = (): Promise<CampaignList> => getJson<CampaignList>(`${url}api/v1/campaigns?limit=${o.limit}`);
  let list = o.compute ? null : await get();
  let computed: CampaignComputeSummary | null = null;
  if (!list || list.computedAt === null) {
    computed = await callJson<CampaignComputeSummary>('POST', `${url}api/v1/campaigns/compute`);
    list = await get();
  }
  return { list, computed };
}

function text(list: CampaignList, computed: CampaignComputeSummary | null): string {
  const head = computed
    ? `computed ${fmtInt(computed.campaigns)} campaigns over ${fmtInt(computed.addresses)} addresses (${fmtInt(computed.members)} members) in ${(computed.ms['total'] ?? 0) / 1000} s`
    : list.computedAt ? `${fmtInt(list.addresses)} addresses, computed ${list.computedAt} (recompute: --compute)` : 'campaigns were never computed';
  if (list.campaigns.length === 0) return `${head}\nno campaign / キャンペーンなし\n`;
  const lines = list.campaigns.map((c) => {
    const ties = c.ties.slice(0, 3).map((t) => `${t.kind} ${t.members}`).join(', ');
    const impact = c.impact.map((i) => `${i.org} ${i.devices}`).join(', ');
    return `${pad(c.id, 17)} ${pad(fmtInt(c.members), 9, true)} members  ${pad(c.name, 40)} ${ties}${impact ? `  impact: ${impact}` : ''}`;
  });
  return `${head}\n${lines.join('\n')}\n`;
}

export function registerCampaigns(program: Command): void {
  program.command('campaigns')
    .description('addresses the honeypots saw, grouped into campaigns by what ties them (URLs, droppers, dictionaries, tools) / 攻撃キャンペーン')
    .option('--compute', 'compute them again first (done anyway when never computed)')
    .option('--limit <n>', 'how many, most members first', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new SakimoriError('BAD_REQUEST', `--limit must be a whole number from 1 to 100000, not ${v}`);
      return n;
    }, 100)
    .option('--json', 'print JSON (CampaignList)')
    .action(async (o: Flags, cmd: Command) => {
      const r = await viaStoresOrServer(configFrom(cmd), async (ctx) => (await import('../correlate/campaigns/campaigns-now.js')).campaignsNow(ctx, UNRESTRICTED, {
        ...(o.compute ? { compute: true } : {}), limit: o.limit,
      }), (url) => through(url, o));
      process.stdout.write(o.json ? `${JSON.stringify(r.list, null, 2)}\n` : text(r.list, r.computed));
    });
}
