import type { Command } from 'commander';
import { configFrom, fmtInt } from './common.js';
import { callJson, viaStoresOrServer } from './with-context.js';
import type { Monitor, StoredFinding } from '../monitors/monitor-store.js';
import type { MonitorsRun } from '../monitors/monitor-service.js';
import { UNRESTRICTED } from '../store/need-to-know.js';

const list = (v: string, prev: string[] = []): string[] => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];
const enc = encodeURIComponent;

export function registerMonitor(program: Command): void {
  const mon = program.command('monitor').description('saved searches over your own ranges that alert on new services, weak credentials and CVEs');

  mon.command('add')
    .argument('<name>', 'a name for the monitor')
    .requiredOption('--cidr <cidr...>', 'your ranges (repeat or comma-separate)', list)
    .option('--query <q>', 'search query the services must also match (default: everything in the ranges)', '')
    .option('--kinds <kinds>', 'service,weak_credential,cve (default all)', (v) => list(v))
    .option('--webhook <url...>', 'POST alerts as JSON to this URL', list)
    .option('--email <addr...>', 'e-mail alerts to this address (needs notify.smtp.url)', list)
    .option('--lang <ja|en>', 'language of the alerts', 'ja')
    .option('--json', 'print JSON')
    .description('create a monitor')
    .action(async (name: string, o: { cidr: string[]; query: string; kinds?: string[]; webhook?: string[]; email?: string[]; lang: string; json?: boolean }, cmd: Command) => {
      const body = { name, query: o.query, cidrs: o.cidr, webhooks: o.webhook ?? [], emails: o.email ?? [], language: o.lang, ...(o.kinds ? { kinds: o.kinds } : {}) };
      const m = await viaStoresOrServer<Monitor>(configFrom(cmd),
        // On the stores directly: the operator, who sees every organisation and the configured webhook policy.
        async (ctx) => (await import('../monitors/monitor-store.js')).createMonitor(ctx.state, body, UNRESTRICTED, ctx.config.notify),
        (url) => callJson('POST', `${url}api/v1/monitors`, body));
      print(o.json, m, () => `monitor ${m.name} (${m.id}) created: ${m.cidrs.join(' ')}${m.query ? ` AND (${m.query})` : ''}; kinds ${m.kinds.join(',')}`);
    });

  mon.command('list').option('--json', 'print JSON').description('list monitors')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const ms = await viaStoresOrServer<Monitor[]>(configFrom(cmd),
        async (ctx) => (await import('../monitors/monitor-store.js')).listMonitors(ctx.state, UNRESTRICTED),
        (url) => callJson('GET', `${url}api/v1/monitors`));
      print(o.json, ms, () => ms.map((m) => `${m.name}  ${m.enabled ? 'on ' : 'off'}  ${m.cidrs.join(' ')}  ${m.query || '*'}  last run ${m.lastRunAt ?? 'never'} (${m.lastRunFindings ?? 0} findings)`).join('\n') || 'no monitors');
    });

  mon.command('findings').argument('<monitor>', 'name or id').option('--json', 'print JSON').description('what a monitor has found (present first)')
    .action(async (id: string, o: { json?: boolean }, cmd: Command) => {
      const fs = await viaStoresOrServer<StoredFinding[]>(configFrom(cmd),
        async (ctx) => (await import('../monitors/monitor-store.js')).listFindings(ctx.state, id, UNRESTRICTED),
        (url) => callJson('GET', `${url}api/v1/monitors/${enc(id)}/findings`));
      print(o.json, fs, () => fs.map((f) => `${f.present ? '*' : ' '} ${f.muted ? 'muted ' : ''}${f.key}  first ${f.firstSeen}`).join('\n') || 'no findings');
    });

  mon.command('run').argument('[monitor]', 'name or id (default: every enabled monitor)').option('--json', 'print JSON')
    .description('evaluate monitors now and send their alerts')
    .action(async (id: string | undefined, o: { json?: boolean }, cmd: Command) => {
      const r = await viaStoresOrServer<MonitorsRun>(configFrom(cmd),
        async (ctx) => (await import('../monitors/monitor-service.js')).runMonitors(ctx, id, undefined, UNRESTRICTED),
        (url) => callJson('POST', `${url}api/v1/monitors/run`, id ? { monitor: id } : {}));
      print(o.json, r, () => [
        ...r.runs.map((x) => `${x.monitor}: ${fmtInt(x.matched)} services, ${fmtInt(x.findings)} findings, ${x.baseline ? 'baseline taken (first run, nothing alerted)' : `${x.alerted.length} new alerted`}, ${x.gone} gone`),
        `deliveries: ${r.delivery.sent} sent, ${r.delivery.retrying} to retry, ${r.delivery.failed} failed${Object.keys(r.delivery.errors).length ? ` (${Object.entries(r.delivery.errors).map(([k, n]) => `${k}: ${n}`).join(', ')})` : ''}`,
      ].join('\n'));
    });

  for (const [verb, muted] of [['mute', true], ['unmute', false]] as const) {
    mon.command(verb).argument('<monitor>', 'name or id').argument('<key>', 'finding key (see `monitor findings`)')
      .description(muted ? 'never alert this finding again' : 'alert this finding again when it reappears')
      .action(async (id: string, key: string, _o: unknown, cmd: Command) => {
        await viaStoresOrServer<unknown>(configFrom(cmd),
          async (ctx) => (await import('../monitors/monitor-store.js')).muteFinding(ctx.state, id, key, muted, UNRESTRICTED),
          (url) => callJson('POST', `${url}api/v1/monitors/${enc(id)}/findings/mute`, { key, muted }));
        process.stdout.write(`${muted ? 'muted' : 'unmuted'} ${key}\n`);
      });
  }

  mon.command('remove').argument('<monitor>', 'name or id').description('delete a monitor and its findings')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      await viaStoresOrServer<unknown>(configFrom(cmd),
        async (ctx) => (await import('../monitors/monitor-store.js')).deleteMonitor(ctx.state, id, UNRESTRICTED),
        (url) => callJson('DELETE', `${url}api/v1/monitors/${enc(id)}`));
      process.stdout.write(`removed ${id}\n`);
    });
}

function print(json: boolean | undefined, value: unknown, text: () => string): void {
  process.stdout.write(`${json ? JSON.stringify(value, null, 2) : text()}\n`);
}
