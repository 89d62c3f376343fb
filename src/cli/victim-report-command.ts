import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { configFrom } from './common.js';
import { callJson, getJson, viaStoresOrServer } from './with-context.js';
import type { VictimReportView } from '../api/contract/index.js';
import { SakimoriError } from '../errors.js';
import { peerPrincipal } from '../api/auth-plugin.js';
import type { ReportViewer } from '../share/victims/reports.js';

/** The operator's own command on the stores acts as the data directory's owner does through the socket. */
const owner = (): ReportViewer => {
  const p = peerPrincipal();
  return { userId: p.userId, orgId: p.orgId, role: p.role };
};

async function readBody(file: string): Promise<unknown> {
  let text: string;
  try {
    text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
  } catch (e) {
    throw new SakimoriError('INPUT_NOT_FOUND', `${file}: ${e instanceof Error ? e.message : String(e)}`, { file });
  }
  const { parseJsonText } = await import('../share/misp/json-text.js');
  const p = parseJsonText(text);
  if (!p.ok) throw new SakimoriError('BAD_REQUEST', `${file}: not JSON: ${p.message}`, { file, line: p.line, column: p.column });
  return p.value;
}

async function readStdin(): Promise<string> {
  let t = '';
  for await (const c of process.stdin) t += (c as Buffer).toString('utf8');
  return t;
}

const line = (r: VictimReportView): string =>
  [r.id, r.state.padEnd(9), r.attackKind.padEnd(10), r.occurredAt.slice(0, 7), `${r.generalised.sector}/${r.generalised.sizeBand}/${r.generalised.region}`, r.title ?? '(withheld)'].join('  ');

/** `sakimori share report …`; `share` itself may already hold other subcommands (publish, export, import). */
export function registerVictimReports(program: Command): void {
  const share = program.commands.find((c) => c.name() === 'share') ?? program.command('share').description('the ISAC sharing hub (STIX 2.1, TAXII 2.1, TLP 2.0)');
  const r = share.command('report').description('victim reports: the attack-technical part shared at once, the victim\'s only with consent, pseudonymised');
  r.command('submit')
    .argument('<file>', 'a JSON report (title, attackKind, occurredAt, technical, victim) or a STIX bundle with an incident (incident-core extension); - for stdin')
    .option('--org <org>', 'the reporting organisation (id or name), when submitting as the hub\'s operator')
    .option('--json', 'print the report as JSON')
    .description('submit a victim report (stored as a draft; the same content again is the same report)')
    .action(async (file: string, o: { org?: string; json?: boolean }, cmd: Command) => {
      const body = await readBody(file);
      const res = await viaStoresOrServer<{ report: VictimReportView; created: boolean }>(configFrom(cmd),
        async (ctx) => (await import('../share/victims/reports.js')).submitVictimReport(ctx.state, body, owner(), o.org),
        (url) => callJson('POST', `${url}api/v1/share/reports${o.org ? `?${new URLSearchParams({ org: o.org })}` : ''}`, body));
      process.stdout.write(o.json ? `${JSON.stringify(res, null, 2)}\n` : `${res.created ? 'submitted' : 'already submitted'}: ${line(res.report)}\n`);
    });
  r.command('consent')
    .argument('<id>', 'the report id')
    .option('--as <user>', 'the admin of the reporting organisation who consents (the hub\'s operator cannot consent for a victim)')
    .option('--json', 'print the report as JSON')
    .description('consent to releasing the report\'s victim information, pseudonymised (draft → consented)')
    .action(async (id: string, o: { as?: string; json?: boolean }, cmd: Command) => {
      const rep = await viaStoresOrServer<VictimReportView>(configFrom(cmd),
        async (ctx) => {
          const { consentVictimReport } = await import('../share/victims/reports.js');
          const by = o.as ? await (await import('../auth/users.js')).getUser(ctx.state, o.as) : undefined;
          return consentVictimReport(ctx.state, id, by ? { userId: by.id, orgId: by.orgId, role: by.role } : owner());
        },
        (url) => callJson('POST', `${url}api/v1/share/reports/${encodeURIComponent(id)}/consent`, o.as ? { as: o.as } : {}));
      process.stdout.write(o.json ? `${JSON.stringify(rep, null, 2)}\n` : `consented by ${rep.consentedBy ?? '?'}: ${line(rep)}\n`);
    });
  r.command('release')
    .argument('<id>', 'the report id')
    .option('--json', 'print the report as JSON')
    .description('release a consented report: its victim part leaves pseudonymised and generalised (consented → released)')
    .action(async (id: string, o: { json?: boolean }, cmd: Command) => {
      const rep = await viaStoresOrServer<VictimReportView>(configFrom(cmd),
        async (ctx) => (await import('../share/victims/reports.js')).releaseVictimReport(ctx.state, id, owner()),
        (url) => callJson('POST', `${url}api/v1/share/reports/${encodeURIComponent(id)}/release`, {}));
      process.stdout.write(o.json ? `${JSON.stringify(rep, null, 2)}\n` : `released: ${line(rep)}\n`);
    });
  r.command('list')
    .option('--json', 'print JSON')
    .description('victim reports with their consent state')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const res = await viaStoresOrServer<{ reports: VictimReportView[] }>(configFrom(cmd),
        async (ctx) => ({ reports: await (await import('../share/victims/reports.js')).listVictimReports(ctx.state, owner()) }),
        (url) => getJson(`${url}api/v1/share/reports`));
      if (o.json) return void process.stdout.write(`${JSON.stringify(res, null, 2)}\n`);
      process.stdout.write(res.reports.length ? `${res.reports.map(line).join('\n')}\n` : 'no victim reports\n');
    });
}
