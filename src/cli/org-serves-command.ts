import type { Command } from 'commander';
import { configFrom } from './common.js';
import { callJson, getJson, viaStoresOrServer } from './with-context.js';
import type { OrgServes } from '../api/contract/share-policy.js';

const enc = encodeURIComponent;

function show(s: OrgServes): string {
  const line = (name: string, relation: string): string => `  ${name} (${relation})`;
  return [
    s.serves.length ? 'serves:' : 'serves: nobody', ...s.serves.map((l) => line(l.servedName, l.relation)),
    s.servedBy.length ? 'served by:' : 'served by: nobody', ...s.servedBy.map((l) => line(l.serverName, l.relation)),
  ].join('\n');
}

/**
 * `sakimori org serves ORG [OTHER…] [--relation R]`: ORG serves the others (its customers,
 * members, constituents), so TLP:AMBER addressed to ORG reaches them; without others it lists.
 * `sakimori org unserve ORG OTHER`.
 */
export function registerOrgServes(org: Command): void {
  org.command('serves').argument('<org>', 'name or id').argument('[others...]', 'organisations it serves, by name or id')
    .option('--relation <relation>', 'customer|member|constituent|other')
    .option('--json', 'print JSON')
    .description('say whom an organisation serves (TLP:AMBER to it reaches them), or list it')
    .action(async (id: string, others: string[], o: { relation?: string; json?: boolean }, cmd: Command) => {
      const out = await viaStoresOrServer<OrgServes>(configFrom(cmd), async (ctx) => {
        const c = await import('../share/policy/community.js');
        if (others.length) await c.addServes(ctx.state, id, others, o.relation);
        return c.servesView(ctx.state, id);
      }, (url) => others.length
        ? callJson('POST', `${url}api/v1/orgs/${enc(id)}/serves`, { orgs: others, ...(o.relation ? { relation: o.relation } : {}) })
        : getJson(`${url}api/v1/orgs/${enc(id)}/serves`));
      process.stdout.write(o.json ? `${JSON.stringify(out, null, 2)}\n` : `${show(out)}\n`);
    });
  org.command('unserve').argument('<org>', 'name or id').argument('<other>', 'the organisation it no longer serves')
    .description('an organisation no longer serves another')
    .action(async (id: string, other: string, _o: unknown, cmd: Command) => {
      const out = await viaStoresOrServer<OrgServes>(configFrom(cmd), async (ctx) => {
        const c = await import('../share/policy/community.js');
        await c.removeServes(ctx.state, id, other);
        return c.servesView(ctx.state, id);
      }, (url) => callJson('DELETE', `${url}api/v1/orgs/${enc(id)}/serves/${enc(other)}`));
      process.stdout.write(`${show(out)}\n`);
    });
}
