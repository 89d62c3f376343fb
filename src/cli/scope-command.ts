import type { Command } from 'commander';
import { configFrom } from './common.js';
import { callJson, viaStoresOrServer } from './with-context.js';
import type { Exclusion, Scope } from '../probe/scope/scope.js';
import type { SurveyRun } from '../probe/survey-runs.js';

const list = (v: string, prev: string[] = []): string[] => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];
const enc = encodeURIComponent;

interface ScopeDetail { scope: Scope; exclusions: Exclusion[]; runs: SurveyRun[] }

function scopeLine(s: Scope | (Omit<Scope, 'validFrom' | 'validTo'> & { validFrom: string | Date; validTo: string | Date })): string {
  const from = new Date(s.validFrom).toISOString().slice(0, 16);
  const to = new Date(s.validTo).toISOString().slice(0, 16);
  const now = Date.now();
  const state = now < new Date(s.validFrom).getTime() ? 'not yet valid / 期間前' : now >= new Date(s.validTo).getTime() ? 'expired / 期限切れ' : 'valid / 有効';
  return `${s.name}  ${s.cidrs.join(' ')}  owner ${s.owner}  ${from}Z → ${to}Z (${state})  credential checks ${s.credentialChecks ? 'ON' : 'off'}`;
}

export function registerScope(program: Command): void {
  const sc = program.command('scope').description('authorised survey scopes (CIDRs, owner, legal basis, validity) and exclusions / 調査範囲と除外');

  sc.command('add')
    .argument('<name>', 'a name for the scope')
    .requiredOption('--cidr <cidr...>', 'authorised ranges (repeat or comma-separate)', list)
    .requiredOption('--owner <owner>', 'who is responsible for the survey of these ranges')
    .requiredOption('--legal-basis <text>', 'the authorisation: law, contract, consent')
    .requiredOption('--from <time>', 'valid from: ISO 8601 time, or a date YYYY-MM-DD for the start of that day (UTC)')
    .requiredOption('--to <time>', 'valid until: ISO 8601 time (exclusive), or a date YYYY-MM-DD for the end of that day (UTC)')
    .option('--credential-checks', 'allow default-credential checks in this scope (off unless given)')
    .option('--confirm-large', 'allow more than a /16 of IPv4 or a /48 of IPv6 (refused otherwise, saying how many addresses)')
    .option('--note <text>', 'free note', '')
    .option('--json', 'print JSON')
    .description('create a scope')
    .action(async (name: string, o: { cidr: string[]; owner: string; legalBasis: string; from: string; to: string; credentialChecks?: boolean; confirmLarge?: boolean; note: string; json?: boolean }, cmd: Command) => {
      const body = {
        name, cidrs: o.cidr, owner: o.owner, legalBasis: o.legalBasis, validFrom: dayBound(o.from, 'start'), validTo: dayBound(o.to, 'end'),
        credentialChecks: o.credentialChecks ?? false, confirmLarge: o.confirmLarge ?? false, note: o.note,
      };
      const s = await viaStoresOrServer<Scope>(configFrom(cmd),
        async (ctx) => (await import('../probe/scope/scope-store.js')).createScope(ctx.state, body),
        (url) => callJson('POST', `${url}api/v1/scopes`, body));
      print(o.json, s, () => `scope created / 調査範囲を作成しました: ${scopeLine(s)}`);
    });

  sc.command('list').option('--json', 'print JSON').description('list scopes')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const ss = await viaStoresOrServer<Scope[]>(configFrom(cmd),
        async (ctx) => (await import('../probe/scope/scope-store.js')).listScopes(ctx.state),
        (url) => callJson('GET', `${url}api/v1/scopes`));
      print(o.json, ss, () => ss.map(scopeLine).join('\n') || 'no scopes / 調査範囲はありません');
    });

  sc.command('show').argument('<scope>', 'name or id').option('--json', 'print JSON').description('a scope, its exclusions and recent runs')
    .action(async (ref: string, o: { json?: boolean }, cmd: Command) => {
      const d = await viaStoresOrServer<ScopeDetail>(configFrom(cmd),
        async (ctx) => {
          const st = await import('../probe/scope/scope-store.js');
          const runs = await import('../probe/survey-runs.js');
          const scope = await st.getScope(ctx.state, ref);
          return { scope, exclusions: await st.listExclusions(ctx.state, scope.id), runs: await runs.listRuns(ctx.state, { scope: scope.id, limit: 10 }) };
        },
        (url) => callJson('GET', `${url}api/v1/scopes/${enc(ref)}`));
      print(o.json, d, () => [
        scopeLine(d.scope),
        `legal basis / 法的根拠: ${d.scope.legalBasis}${d.scope.note ? `\nnote: ${d.scope.note}` : ''}`,
        `exclusions / 除外 (${d.exclusions.length}):`,
        ...d.exclusions.map((e) => `  #${e.id ?? ''} ${e.cidr}  ${e.scopeId === null ? 'global' : 'scope'}  ${e.reason}`),
        `recent runs / 最近の実行 (${d.runs.length}):`,
        ...d.runs.map((r) => `  ${r.id}  ${r.status}  ${r.startedAt}  ${r.openPorts} open, ${r.services} services`),
      ].join('\n'));
    });

  sc.command('exclude')
    .argument('[scope]', 'name or id (omit with --global)')
    .requiredOption('--cidr <cidr...>', 'ranges never to probe', list)
    .requiredOption('--reason <text>', 'why (opt-out, sensitive network, …)')
    .option('--global', 'exclude from every scope')
    .option('--json', 'print JSON')
    .description('add exclusions: they always win over the scope')
    .action(async (ref: string | undefined, o: { cidr: string[]; reason: string; global?: boolean; json?: boolean }, cmd: Command) => {
      if (!o.global && !ref) throw new Error('give a scope, or --global / 調査範囲名か --global を指定してください');
      const target = o.global ? null : (ref ?? null);
      const out = await viaStoresOrServer<Exclusion[]>(configFrom(cmd),
        async (ctx) => {
          const st = await import('../probe/scope/scope-store.js');
          const res: Exclusion[] = [];
          for (const cidr of o.cidr) res.push(await st.addExclusion(ctx.state, target, { cidr, reason: o.reason }));
          return res;
        },
        async (url) => {
          const res: Exclusion[] = [];
          for (const cidr of o.cidr) res.push(await callJson<Exclusion>('POST', target === null ? `${url}api/v1/exclusions` : `${url}api/v1/scopes/${enc(target)}/exclusions`, { cidr, reason: o.reason }));
          return res;
        });
      print(o.json, out, () => out.map((e) => `excluded / 除外: #${e.id ?? ''} ${e.cidr} (${e.scopeId === null ? 'global' : ref}) ${e.reason}`).join('\n'));
    });

  sc.command('unexclude').argument('<id>', 'exclusion number (see `scope show`)').description('remove an exclusion')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const n = Number(id);
      if (!Number.isInteger(n)) throw new Error(`not an exclusion number: ${id}`);
      await viaStoresOrServer<boolean>(configFrom(cmd),
        async (ctx) => (await import('../probe/scope/scope-store.js')).removeExclusion(ctx.state, n),
        async (url) => { await callJson('DELETE', `${url}api/v1/exclusions/${n}`); return true; });
      process.stdout.write(`removed exclusion #${n}\n`);
    });

  sc.command('remove').argument('<scope>', 'name or id').description('delete a scope that has no runs')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      await viaStoresOrServer<void>(configFrom(cmd),
        async (ctx) => (await import('../probe/scope/scope-store.js')).removeScope(ctx.state, ref),
        async (url) => { await callJson('DELETE', `${url}api/v1/scopes/${enc(ref)}`); });
      process.stdout.write(`removed scope ${ref} / 調査範囲を削除しました\n`);
    });
}

/**
 * A date alone means the whole UTC day: `--from 2026-01-01` its first instant, `--to 2026-12-31`
 * its last (the scope is valid before validTo, so a midnight `--to` would leave the day out).
 * Anything else goes as written, for the scope's own validation.
 */
export function dayBound(text: string, side: 'start' | 'end'): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
  const start = Date.parse(`${text}T00:00:00Z`);
  if (Number.isNaN(start)) return text;
  return new Date(side === 'start' ? start : start + 86_400_000 - 1).toISOString();
}

function print(json: boolean | undefined, value: unknown, text: () => string): void {
  process.stdout.write(`${json ? JSON.stringify(value, null, 2) : text()}\n`);
}
