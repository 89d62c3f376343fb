import { Option, type Command } from 'commander';
import type { CaseSort } from '../cases/case-store.js';
import { configFrom, fmtInt } from './common.js';
import { callJson, getJson, viaStoresOrServer } from './with-context.js';
import { UNRESTRICTED } from '../store/need-to-know.js';
import type { BuildCasesSummary, CaseAck, CaseDetail, CasePage, CaseRow, NoRecipientSummary, VerifySummary } from '../api/contract/index.js';

export function registerCases(program: Command): void {
  const c = program.command('cases').description('notification cases: build from findings, verify resolutions, list, acknowledge, opt-outs');
  c.command('build').option('--json', 'print JSON').description('turn current findings into cases (no duplicates; resolved cases seen again are reopened)')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const s = await viaStoresOrServer<BuildCasesSummary>(configFrom(cmd), async (ctx) => (await import('../cases/build-cases.js')).buildCases(ctx, {
        onProgress: (d, t) => { if (process.stderr.isTTY) process.stderr.write(`\r  cases ${fmtInt(d)}/${fmtInt(t)}`); },
      }), (url) => callJson('POST', `${url}api/v1/cases/build`));
      if (process.stderr.isTTY) process.stderr.write('\n');
      process.stdout.write(o.json ? `${JSON.stringify(s, null, 2)}\n` : `${fmtInt(s.findings)} findings: ${fmtInt(s.opened)} new cases, ${fmtInt(s.seenAgain)} seen again, ${fmtInt(s.reopened)} reopened, ${fmtInt(s.optedOut)} opted out — ${(s.ms / 1000).toFixed(1)} s\n${noRecipientLine(s.noRecipient.addresses, s.noRecipient.findings, s.noRecipient.topCountries, s.noRecipient.topAsns)}\n`);
    });
  c.command('verify').option('--quiet-days <n>', 'darknet days without Mirai-like packets that resolve an infection', (v) => Number(v), 7).option('--json', 'print JSON')
    .description('resolve the cases whose weakness later evidence shows gone')
    .action(async (o: { quietDays: number; json?: boolean }, cmd: Command) => {
      const s = await viaStoresOrServer<VerifySummary>(configFrom(cmd), async (ctx) => (await import('../cases/verify-now.js')).verifyNow(ctx, o.quietDays),
        (url) => callJson('POST', `${url}api/v1/cases/verify`, { quietDays: o.quietDays }));
      process.stdout.write(o.json ? `${JSON.stringify(s, null, 2)}\n` : `${fmtInt(s.checked)} open cases checked, ${fmtInt(s.resolved)} resolved (${Object.entries(s.byKind).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'})\n`);
    });
  c.command('no-recipient').option('--top <n>', 'countries and ASes to show', (v) => Number(v), 10).option('--json', 'print JSON')
    .description('findings of the last build that nobody can be told about (no organisation, no abuse contact): not cases, counted per country, AS and kind')
    .action(async (o: { top: number; json?: boolean }, cmd: Command) => {
      const s = await viaStoresOrServer<NoRecipientSummary>(configFrom(cmd), async (ctx) => (await import('../cases/no-recipient.js')).noRecipientSummary(ctx.state, o.top),
        (url) => getJson(`${url}api/v1/cases/no-recipient?top=${o.top}`));
      if (o.json) return void process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
      if (!s.builtAt) return void process.stdout.write('no case build has counted findings without a recipient yet: run `sakimori cases build`\n');
      process.stdout.write([
        `${noRecipientLine(s.addresses, s.findings, s.countries, s.asns)} (build of ${s.builtAt})`,
        `  by kind: ${s.byKind.map((k) => `${k.kind} ${fmtInt(k.addresses)}`).join(', ') || 'none'}`,
        ...(s.legacyUnassignedCases ? [`  ${fmtInt(s.legacyUnassignedCases)} older cases for "unassigned" (from earlier releases) are kept: \`cases list --recipient unassigned\``] : []),
      ].join('\n') + '\n');
    });
  c.command('list').option('--state <s>').option('--kind <k>').option('--recipient <r>', 'org:<id>, email:<addr> or unassigned')
    .option('--ip <address|prefix>', 'cases of the addresses in a prefix (IPv4 or IPv6)')
    .addOption(new Option('--sort <key>', 'order (default: case id)').choices(['lastSeen', 'firstSeen', 'ip', 'state', 'id']))
    .addOption(new Option('--order <dir>').choices(['asc', 'desc']))
    .option('--limit <n>', 'rows', (v) => Number(v), 50).option('--offset <n>', 'rows to skip', (v) => Number(v), 0).option('--json', 'print JSON')
    .description('list cases')
    .action(async (o: { state?: string; kind?: string; recipient?: string; ip?: string; sort?: CaseSort; order?: 'asc' | 'desc'; limit: number; offset: number; json?: boolean }, cmd: Command) => {
      const rows = await viaStoresOrServer<CaseRow[]>(configFrom(cmd), async (ctx) => (await import('../cases/case-store.js')).listCases(ctx.state, UNRESTRICTED, o),
        async (url) => (await getJson<CasePage>(`${url}api/v1/cases?${listQuery(o)}`)).cases);
      process.stdout.write(o.json ? `${JSON.stringify(rows, null, 2)}\n` : `${rows.map((r) => `#${r.id}  ${r.state.padEnd(12)} ${r.kind.padEnd(20)} ${r.ip.padEnd(16)} ${r.recipientName || r.recipient}`).join('\n') || 'no cases'}\n`);
    });
  c.command('show').argument('<id>').option('--json', 'print JSON').description('one case with its history')
    .action(async (id: string, o: { json?: boolean }, cmd: Command) => {
      const r = await viaStoresOrServer<CaseDetail>(configFrom(cmd), async (ctx) => (await import('../cases/case-store.js')).getCase(ctx.state, UNRESTRICTED, Number(id)),
        (url) => getJson(`${url}api/v1/cases/${encodeURIComponent(id)}`));
      process.stdout.write(o.json ? `${JSON.stringify(r, null, 2)}\n` : [`#${r.id} ${r.kind} ${r.ip} → ${r.recipientName || r.recipient}: ${r.state}`, `  detail ${JSON.stringify(r.detail)}`, `  opened ${r.openedAt}, last seen ${r.lastSeen}`, ...r.events.map((e) => `  ${e.at} ${e.from ?? ''} → ${e.to}: ${e.reason}`)].join('\n') + '\n');
    });
  c.command('ack').argument('<id>').option('--note <text>').description('record that the recipient has seen the notice (does not resolve it)')
    .action(async (id: string, o: { note?: string }, cmd: Command) => {
      await viaStoresOrServer<unknown>(configFrom(cmd), async (ctx) => (await import('../cases/case-store.js')).acknowledgeCase(ctx.state, UNRESTRICTED, Number(id), o.note),
        (url) => callJson<CaseAck>('POST', `${url}api/v1/cases/${encodeURIComponent(id)}/ack`, o.note === undefined ? {} : { note: o.note }));
      process.stdout.write(`case ${id} acknowledged\n`);
    });
  c.command('opt-out').argument('<target>', 'address, block, e-mail or organisation').option('--reason <text>', 'why', '')
    .description('never open cases for this target')
    .action(async (target: string, o: { reason: string }, cmd: Command) => {
      await viaStoresOrServer<unknown>(configFrom(cmd), async (ctx) => (await import('../cases/case-store.js')).addOptOut(ctx.state, target, o.reason),
        (url) => callJson('POST', `${url}api/v1/cases/opt-outs`, { target, reason: o.reason }));
      process.stdout.write(`opted out: ${target}\n`);
    });
}

/** "no recipient: N addresses (F findings); top countries JP 12, …; top ASes AS64500 Foo 9, …" */
function noRecipientLine(addresses: number, findings: number, countries: readonly { country: string; addresses: number }[], asns: readonly { asn: number; asName: string; addresses: number }[]): string {
  if (findings === 0) return 'no recipient: none (every finding has an organisation or an abuse contact)';
  const c = countries.map((x) => `${x.country || 'unknown'} ${fmtInt(x.addresses)}`).join(', ');
  const a = asns.map((x) => `${x.asn ? `AS${x.asn}${x.asName ? ` ${x.asName}` : ''}` : 'AS unknown'} ${fmtInt(x.addresses)}`).join(', ');
  return `no recipient: ${fmtInt(addresses)} addresses (${fmtInt(findings)} findings, not opened as cases; register an organisation or import abuse contacts); top countries ${c}; top ASes ${a}`;
}

/** GET /cases with the list's filters; the stores' default order (case id) when none is asked for, so both print alike. */
function listQuery(o: { state?: string; kind?: string; recipient?: string; ip?: string; sort?: CaseSort; order?: 'asc' | 'desc'; limit: number; offset: number }): string {
  const q = new URLSearchParams({ sort: o.sort ?? 'id', limit: String(o.limit), offset: String(o.offset) });
  for (const k of ['state', 'kind', 'recipient', 'ip', 'order'] as const) { const v = o[k]; if (v !== undefined) q.set(k, v); }
  return q.toString();
}
