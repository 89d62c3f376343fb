import type { Command } from 'commander';
import { configFrom } from './common.js';
import { callJson, getJson, viaStoresOrServer } from './with-context.js';
import { asLabel, hintMissingEnrichment } from './enrichment-labels.js';
import type { Organisation } from '../orgs/org-store.js';
import type { Responsibility } from '../orgs/responsible.js';
import { registerOrgServes } from './org-serves-command.js';

const enc = encodeURIComponent;

const list = (v: string, prev: string[] = []): string[] => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

function show(o: Organisation): string {
  const c = o.constituency;
  return [
    `${o.name}  (${o.kind}${o.country ? `, ${o.country}` : ''}, ${o.language})  id ${o.id}`,
    `  contacts: ${o.emails.join(', ') || 'none'}`,
    `  prefixes: ${c.cidrs.join(' ') || 'none'}`,
    `  ASNs: ${c.asns.map((a) => `AS${a}`).join(' ') || 'none'}`,
    `  domains: ${c.domains.join(' ') || 'none'}`,
  ].join('\n');
}

export function registerOrg(program: Command): void {
  const org = program.command('org').description('organisations and their constituencies (prefixes, ASNs, domains)');
  org.command('add').argument('<name>')
    .option('--kind <kind>', 'isp|enterprise|isac-member|cert|research|government|other', 'other')
    .option('--country <cc>', 'ISO 3166 alpha-2')
    .option('--email <addr...>', 'where notices go', list)
    .option('--lang <ja|en>', 'language of notices', 'ja')
    .option('--prefix <cidr...>', 'prefixes or a-b ranges', list)
    .option('--asn <asn...>', 'AS numbers', list)
    .option('--domain <domain...>', 'domains', list)
    .description('register an organisation')
    .action(async (name: string, o: { kind: string; country?: string; email?: string[]; lang: string; prefix?: string[]; asn?: string[]; domain?: string[] }, cmd: Command) => {
      const input = { name, kind: o.kind, emails: o.email ?? [], language: o.lang, ...(o.country ? { country: o.country } : {}) };
      const out = await viaStoresOrServer<Organisation>(configFrom(cmd), async (ctx) => {
        const s = await import('../orgs/org-store.js');
        const created = await s.createOrg(ctx.state, input);
        if (o.prefix?.length) await s.addPrefixes(ctx.state, created.id, o.prefix);
        if (o.asn?.length) await s.addAsns(ctx.state, created.id, o.asn);
        if (o.domain?.length) await s.addDomains(ctx.state, created.id, o.domain);
        return s.getOrg(ctx.state, created.id);
      }, async (url) => {
        const created = await callJson<Organisation>('POST', `${url}api/v1/orgs`, input);
        const at = `${url}api/v1/orgs/${enc(created.id)}`;
        if (o.prefix?.length) await callJson('POST', `${at}/prefixes`, { prefixes: o.prefix });
        if (o.asn?.length) await callJson('POST', `${at}/asns`, { asns: o.asn });
        if (o.domain?.length) await callJson('POST', `${at}/domains`, { domains: o.domain });
        return getJson<Organisation>(at);
      });
      process.stdout.write(`${show(out)}\n`);
    });
  for (const [what, plural, fn] of [['prefix', 'prefixes', 'addPrefixes'], ['asn', 'asns', 'addAsns'], ['domain', 'domains', 'addDomains']] as const) {
    org.command(`add-${what}`).argument('<org>', 'name or id').argument(`<${plural}...>`)
      .description(`add ${what === 'asn' ? 'AS numbers' : plural} to an organisation's constituency`)
      .action(async (id: string, items: string[], _o: unknown, cmd: Command) => {
        const values = items.flatMap((i) => list(i));
        const out = await viaStoresOrServer<Organisation>(configFrom(cmd), async (ctx) => {
          const s = await import('../orgs/org-store.js');
          await s[fn](ctx.state, id, values);
          return s.getOrg(ctx.state, id);
        }, (url) => callJson('POST', `${url}api/v1/orgs/${enc(id)}/${plural}`, { [plural]: values }));
        process.stdout.write(`${show(out)}\n`);
      });
  }
  org.command('list').option('--json', 'print JSON').description('list organisations')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const all = await viaStoresOrServer<Organisation[]>(configFrom(cmd), async (ctx) => (await import('../orgs/org-store.js')).listOrgs(ctx.state), (url) => getJson(`${url}api/v1/orgs`));
      process.stdout.write(o.json ? `${JSON.stringify(all, null, 2)}\n` : `${all.map(show).join('\n') || 'no organisations'}\n`);
    });
  org.command('show').argument('<org>', 'name or id').option('--json', 'print JSON').description('one organisation')
    .action(async (id: string, o: { json?: boolean }, cmd: Command) => {
      const one = await viaStoresOrServer<Organisation>(configFrom(cmd), async (ctx) => (await import('../orgs/org-store.js')).getOrg(ctx.state, id), (url) => getJson(`${url}api/v1/orgs/${enc(id)}`));
      process.stdout.write(o.json ? `${JSON.stringify(one, null, 2)}\n` : `${show(one)}\n`);
    });
  registerOrgServes(org);
  org.command('remove').argument('<org>', 'name or id').description('delete an organisation and its constituency')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      await viaStoresOrServer<unknown>(configFrom(cmd), async (ctx) => (await import('../orgs/org-store.js')).removeOrg(ctx.state, id), (url) => callJson('DELETE', `${url}api/v1/orgs/${enc(id)}`));
      process.stdout.write(`removed ${id}\n`);
    });
}

export function registerResponsible(program: Command): void {
  program.command('responsible').argument('<ip>', 'IPv4 or IPv6 address').option('--json', 'print JSON')
    .description('whom to tell about an address: registered organisation (prefix, then origin AS), then RIR abuse contact')
    .action(async (ip: string, o: { json?: boolean }, cmd: Command) => {
      const config = configFrom(cmd);
      const r = await viaStoresOrServer<Responsibility>(config, async (ctx) => (await import('../orgs/responsible.js')).responsibleFor(ctx.state, ctx.enricher, ip), (url) => getJson(`${url}api/v1/responsible/${enc(ip)}`));
      if (o.json) {
        process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
        return;
      }
      const who = !r.recipient ? 'nobody known: import RIR contacts (sakimori contacts import) or register the organisation'
        : r.recipient.kind === 'organisation' ? `${r.recipient.name} <${r.recipient.emails.join(', ')}> (registered, by ${r.recipient.matched} ${r.recipient.via})`
          : `${r.recipient.email}${r.recipient.name ? ` (${r.recipient.name})` : ''} (RIR ${r.recipient.source}, ${r.recipient.via})`;
      process.stdout.write([`${r.ip}  ${asLabel(r.asn)}${r.asnOrg ? ` ${r.asnOrg}` : ''}`, `  → ${who}`, ...r.steps.map((s) => `    ${s.step}: ${s.found}`)].join('\n') + '\n');
      hintMissingEnrichment(config.dataDir, !r.asn);
    });
}
