import type { Command } from 'commander';
import { configFrom, fmtInt } from './common.js';
import { callJson, viaStoresOrServer } from './with-context.js';
import { runningServerUrl } from './server-file.js';
import type { SurveyProgress, SurveySummary } from '../probe/survey-runner.js';
import type { SurveyRun } from '../probe/survey-runs.js';
import type { AuditRow } from '../probe/audit/audit-log.js';
import type { CredentialList } from '../probe/module.js';
import { SakimoriError } from '../errors.js';

const list = (v: string, prev: string[] = []): string[] => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];
const enc = encodeURIComponent;

/** `23,80,8000-8010` → sorted unique ports. */
export function parsePorts(text: string): number[] {
  const out = new Set<number>();
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part);
    const a = m ? Number(m[1]) : NaN;
    const b = m?.[2] !== undefined ? Number(m[2]) : a;
    if (!m || a < 1 || b > 65535 || b < a) throw new SakimoriError('BAD_REQUEST', `not a port or port range: "${part}"`, { ports: text });
    for (let p = a; p <= b; p++) out.add(p);
  }
  return [...out].sort((x, y) => x - y);
}

function bar(p: Pick<SurveyProgress, 'done' | 'total' | 'open' | 'attempts' | 'elapsedMs'> & { services?: number }): string {
  const frac = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
  const w = 28;
  const rate = p.elapsedMs > 0 ? (p.attempts / p.elapsedMs) * 1000 : 0;
  return `[${'#'.repeat(Math.round(frac * w)).padEnd(w, '.')}] ${(frac * 100).toFixed(0).padStart(3)}% ${fmtInt(p.done)}/${fmtInt(p.total)}  open ${fmtInt(p.open)}  services ${fmtInt(p.services ?? 0)}  ${fmtInt(rate)} conn/s`;
}

function summaryText(s: SurveySummary): string {
  const sc = s.scan;
  return [
    `run ${s.runId} (scope ${s.scope}): ${s.status}${s.error ? ` — ${s.error}` : ''}`,
    `targets / 対象: ${fmtInt(sc.total)} (${fmtInt(sc.excluded)} excluded / 除外)  done ${fmtInt(sc.done)}`,
    `open / 開放: ${fmtInt(sc.open)}  closed ${fmtInt(sc.closed)}  timeout ${fmtInt(sc.timeout)}  error ${fmtInt(sc.error)}`,
    `services written / 記録: ${fmtInt(s.services)}  now closed / 閉鎖を確認: ${fmtInt(s.closedNow)}`,
    `connections / 接続: ${fmtInt(s.gate.attempts)} in ${(sc.elapsedMs / 1000).toFixed(1)} s (${fmtInt(sc.elapsedMs > 0 ? (sc.attempts / sc.elapsedMs) * 1000 : 0)}/s), refused by scope ${fmtInt(s.gate.refused)}; sockets ≤ ${fmtInt(s.sockets)} (ulimit -n ${fmtInt(s.fdLimit)})`,
  ].join('\n');
}

function runLine(r: SurveyRun): string {
  return `${r.id}  ${r.scopeName}  ${r.status}  ${r.startedAt}${r.finishedAt ? ` → ${r.finishedAt}` : ''}  ${fmtInt(r.targetsDone)}/${fmtInt(r.targetsTotal)}  open ${fmtInt(r.openPorts)}  services ${fmtInt(r.services)}${r.error ? `  error: ${r.error}` : ''}`;
}

export function registerSurvey(program: Command): void {
  const sv = program.command('survey').description('active survey of an authorised scope: port discovery and service probes / 能動調査');

  sv.command('run')
    .argument('<scope>', 'scope name or id')
    .option('--ports <list>', 'ports, e.g. 23,80,8000-8010 (default: the modules\' ports)')
    .option('--modules <names...>', 'L7 modules, e.g. telnet,http (default: all)', list)
    .option('--rate <n>', 'connections per second over all hosts (default: survey.ratePerSecond)', Number)
    .option('--per-host-rate <n>', 'connections per second to one host', Number)
    .option('--concurrency <n>', 'connects in flight at once', Number)
    .option('--retries <n>', 'further attempts after a timeout', Number)
    .option('--credential-list <id|file>', 'credential list: a built-in id (notice-defaults) or a JSON file {id, entries:[{id, username, password}]}; used only if the scope enables credential checks (default then: notice-defaults)')
    .option('--credentials <file>', 'same as --credential-list with a file (kept for older scripts)')
    .option('--seed <n>', 'order of the walk (reproducible)', Number)
    .option('--json', 'print the summary as JSON')
    .description('run a survey now, with progress on a terminal')
    .action(async (scope: string, o: { ports?: string; modules?: string[]; rate?: number; perHostRate?: number; concurrency?: number; retries?: number; credentialList?: string; credentials?: string; seed?: number; json?: boolean }, cmd: Command) => {
      const body = {
        scope,
        ...(o.ports ? { ports: parsePorts(o.ports) } : {}),
        ...(o.modules ? { modules: o.modules } : {}),
        ...(o.rate !== undefined ? { rate: o.rate } : {}),
        ...(o.perHostRate !== undefined ? { perHostRate: o.perHostRate } : {}),
        ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
        ...(o.retries !== undefined ? { retries: o.retries } : {}),
        ...(o.seed !== undefined ? { seed: o.seed } : {}),
      };
      // Validated here (file, entry and field named in errors; duplicate ids refused); only id,
      // entries (id, username, password) go on. Without a list the service picks notice-defaults
      // when the scope enables credential checks.
      const spec = o.credentialList ?? o.credentials;
      const credentials: CredentialList | undefined = spec === undefined ? undefined : await (async () => {
        const l = await (await import('../probe/credentials/credential-lists.js')).resolveCredentialList(spec);
        return { id: l.id, entries: l.entries.map((e) => ({ id: e.id, username: e.username, password: e.password })) };
      })();
      const tty = Boolean(process.stderr.isTTY) && !o.json;
      let last = 0;
      const show = (p: SurveyProgress): void => {
        if (!tty || Date.now() - last < 200) return;
        last = Date.now();
        process.stderr.write(`\r${bar(p)}  `);
      };
      const config = configFrom(cmd);
      const summary = await viaStoresOrServer<SurveySummary | SurveyRun>(config,
        async (ctx) => {
          const svc = await import('../probe/survey-service.js');
          const ac = new AbortController();
          const stop = (): void => ac.abort(new Error('interrupted (SIGINT) / 中断されました'));
          process.once('SIGINT', stop);
          try {
            return await svc.runSurveyRequest(ctx, body, { signal: ac.signal, onProgress: show, ...(credentials !== undefined ? { credentials } : {}) });
          } finally {
            process.off('SIGINT', stop);
            if (tty) process.stderr.write('\r\x1b[K');
          }
        },
        async (url) => {
          const { runId } = await callJson<{ runId: string }>('POST', `${url}api/v1/surveys`, { ...body, ...(credentials !== undefined ? { credentials } : {}) });
          for (;;) {
            const r = await callJson<SurveyRun & { progress?: SurveyProgress }>('GET', `${url}api/v1/surveys/${enc(runId)}`);
            if (r.progress) show(r.progress);
            if (r.status !== 'running' && r.status !== 'pending') {
              if (tty) process.stderr.write('\r\x1b[K');
              return r;
            }
            await new Promise((res) => setTimeout(res, 500));
          }
        });
      const text = 'scan' in summary ? summaryText(summary) : runLine(summary);
      process.stdout.write(`${o.json ? JSON.stringify(summary, null, 2) : text}\n`);
      const status = summary.status;
      if (status !== 'done') process.exitCode = 1;
    });

  sv.command('list').option('--scope <scope>', 'only this scope').option('--limit <n>', 'at most n runs', Number, 50).option('--json', 'print JSON').description('survey runs, newest first')
    .action(async (o: { scope?: string; limit: number; json?: boolean }, cmd: Command) => {
      const runs = await viaStoresOrServer<SurveyRun[]>(configFrom(cmd),
        async (ctx) => (await import('../probe/survey-runs.js')).listRuns(ctx.state, { ...(o.scope ? { scope: o.scope } : {}), limit: o.limit }),
        (url) => callJson('GET', `${url}api/v1/surveys?limit=${o.limit}${o.scope ? `&scope=${enc(o.scope)}` : ''}`));
      process.stdout.write(`${o.json ? JSON.stringify(runs, null, 2) : runs.map(runLine).join('\n') || 'no survey runs / 調査の実行はありません'}\n`);
    });

  sv.command('show').argument('<run>', 'run id').option('--json', 'print JSON').description('one survey run')
    .action(async (id: string, o: { json?: boolean }, cmd: Command) => {
      const r = await viaStoresOrServer<SurveyRun>(configFrom(cmd),
        async (ctx) => (await import('../probe/survey-runs.js')).getRun(ctx.state, id),
        (url) => callJson('GET', `${url}api/v1/surveys/${enc(id)}`));
      process.stdout.write(`${o.json ? JSON.stringify(r, null, 2) : `${runLine(r)}\nmodules: ${r.modules.join(',') || '-'}  ports: ${r.ports.join(',')}`}\n`);
    });

  sv.command('stop').argument('<run>', 'run id').description('stop a run that a running server is doing')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const url = await runningServerUrl(configFrom(cmd).dataDir);
      if (!url) throw new Error('no running server; a foreground run stops with Ctrl-C / 実行中のサーバーがありません');
      await callJson('POST', `${url}api/v1/surveys/${enc(id)}/stop`, {});
      process.stdout.write(`stopping ${id}\n`);
    });

  sv.command('audit')
    .option('--run <id>', 'only this run')
    .option('--target <ip-or-cidr>', 'only these targets')
    .option('--limit <n>', 'at most n records', Number, 100)
    .option('--json', 'print JSON')
    .description('the probe audit log, newest first / 監査ログ')
    .action(async (o: { run?: string; target?: string; limit: number; json?: boolean }, cmd: Command) => {
      const q = { ...(o.run ? { runId: o.run } : {}), ...(o.target ? { target: o.target } : {}), limit: o.limit };
      const rows = await viaStoresOrServer<AuditRow[]>(configFrom(cmd),
        async (ctx) => (await import('../probe/audit/audit-log.js')).queryAudit(ctx.state, q),
        (url) => callJson('GET', `${url}api/v1/audit?limit=${o.limit}${o.run ? `&run=${enc(o.run)}` : ''}${o.target ? `&target=${enc(o.target)}` : ''}`));
      process.stdout.write(`${o.json ? JSON.stringify(rows, null, 2) : rows.map((r) => `${r.at}  ${r.runId ?? '-'}  ${r.sourceIp ?? '-'} → ${r.targetIp}:${r.port}  ${r.module}${r.credentialList ? `  credentials ${r.credentialList}` : ''}`).join('\n') || 'no audit records'}\n`);
    });
}
