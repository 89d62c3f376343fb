/**
 * The periodic observation report, as NICTER and NOTICE publish theirs: what the telescope saw,
 * what the survey found exposed, what was notified and how much of it got fixed — one
 * self-contained HTML page (inline SVG charts) in Japanese or English, and a PDF of it when a
 * headless Chromium is available.
 */
import type { AppContext } from '../app/context.js';
import type { TimeWindow } from '../analyze/time-window.js';
import { reportFor, timeseriesFor } from '../analyze/day-reports.js';
import { effectReport } from '../effects/effect-report.js';
import { UNRESTRICTED } from '../store/need-to-know.js';
import { searchCounts, searchGroups } from '../search/search-counts.js';
import { barChart, esc, lineChart } from './svg-charts.js';
import { deviceName, type DeviceParts } from '../services/device-name.js';

/** Counts per device name, most first: rows that name one device alike are one model. */
function topModels(rows: readonly (DeviceParts & { n: number })[], limit: number): { model: string; n: number }[] {
  const by = new Map<string, number>();
  for (const r of rows) {
    const model = deviceName(r);
    if (model !== '') by.set(model, (by.get(model) ?? 0) + Number(r.n));
  }
  return [...by].map(([model, n]) => ({ model, n })).sort((a, b) => b.n - a.n || a.model.localeCompare(b.model)).slice(0, limit);
}

/**
 * Every exposure figure is a search (search/search-counts.ts): what searching its query answers,
 * services or distinct hosts, and the report names the query beside the figure.
 */
export const EXPOSURE_QUERIES = {
  open: 'status:open',
  weakCredentials: 'status:open weak_credential:true',
  noAuth: 'status:open no_auth:true',
  needingAction: 'status:open (weak_credential:true OR cve:*) (vendor:* OR product:*)',
} as const;

export interface ObservationData {
  window: { from: string; to: string };
  darknet: Awaited<ReturnType<typeof reportFor>>;
  daily: { day: string; packets: number }[];
  hourly: boolean;
  exposure: {
    /** Services and distinct hosts of `status:open`. */
    openServices: number; hosts: number;
    /** Open services per service: `status:open service:<name>`. */
    services: { service: string; n: number }[];
    /** Services of `status:open weak_credential:true` and of `status:open no_auth:true`. */
    weakCredentials: number; noAuth: number;
    /** Open services per CVE: `status:open cve:<id>`. */
    cves: { cve: string; n: number }[];
    /** Services of `needingAction` per device name. */
    models: { model: string; n: number }[];
    queries: typeof EXPOSURE_QUERIES;
  };
  cases: { kind: string; state: string; n: number }[];
  effects: Awaited<ReturnType<typeof effectReport>>;
}

export async function observationData(ctx: AppContext, w: TimeWindow): Promise<ObservationData> {
  const deps = { report: ctx.report, state: ctx.state };
  const darknet = await reportFor(deps, w);
  const days = Math.max(1, Math.round((w.to.getTime() - w.from.getTime()) / 86_400_000));
  const ts = await timeseriesFor(deps, w, days > 2 ? 86400 : 3600);
  const Q = EXPOSURE_QUERIES;
  const count = (query: string, facets: string[] = [], facetSize = 10) => searchCounts(ctx.events, { query, restriction: UNRESTRICTED, facets, facetSize });
  const [open, cveCounts, weak, noAuth, models] = await Promise.all([
    count(Q.open, ['service'], 12),
    count(Q.open, ['cve']),
    count(Q.weakCredentials),
    count(Q.noAuth),
    searchGroups(ctx.events, { query: Q.needingAction, restriction: UNRESTRICTED, fields: ['vendor', 'product', 'version'] }),
  ]);
  const cases = await ctx.state.query<{ kind: string; state: string; n: number }>('SELECT kind, state, count(*)::int AS n FROM cases GROUP BY kind, state ORDER BY kind, state');
  return {
    window: { from: w.from.toISOString(), to: w.to.toISOString() },
    darknet,
    hourly: days <= 2,
    daily: ts.points.map((p) => ({ day: p.t.slice(0, days > 2 ? 10 : 13).replace('T', ' '), packets: p.packets })),
    exposure: {
      openServices: open.services,
      hosts: open.hosts,
      services: (open.facets['service'] ?? []).map((f) => ({ service: f.value, n: f.count })),
      weakCredentials: weak.services,
      noAuth: noAuth.services,
      cves: (cveCounts.facets['cve'] ?? []).map((f) => ({ cve: f.value, n: f.count })),
      models: topModels(models.map((g) => ({ ...g.values, n: g.count })), 10),
      queries: Q,
    },
    cases,
    effects: await effectReport(ctx.state, UNRESTRICTED, { groupBy: 'kind', k: ctx.config.effects.minOrganisations }),
  };
}

const T = {
  ja: {
    title: 'Sakimori 観測レポート', period: '対象期間', darknet: 'ダークネット観測', packets: 'パケット数', sources: '送信元数', iot: 'IoT 宛ての割合',
    perDay: '日別パケット数', perHour: '時間別パケット数', start: '開始', end: '終了', topPorts: '宛先ポート上位', tags: 'ツール指紋別の送信元数', dos: 'DoS 攻撃の被害者（バックスキャッタ）', exposure: '公開機器の調査',
    openServices: '公開されているサービス', hosts: 'サービスを公開しているホスト', weak: '初期設定の認証情報でログインできたサービス', noAuth: '認証なしでアクセスできたサービス',
    services: 'サービス別', cves: 'CVE 上位', models: '要対応の機種上位', search: '検索', perService: 'サービスごと', perCve: 'CVE ごと', perModel: '機種ごと',
    notices: '通知と対策の効果', kind: '種別', notified: '通知', resolved: '解決', within: '{d} 日以内の解決率', median: '解決までの中央値（日）', reappear: '再発率', none: 'なし',
    generated: '生成日時',
  },
  en: {
    title: 'Sakimori observation report', period: 'Period', darknet: 'Darknet telescope', packets: 'Packets', sources: 'Sources', iot: 'Share aimed at IoT',
    perDay: 'Packets per day', perHour: 'Packets per hour', start: 'Start', end: 'End', topPorts: 'Top destination ports', tags: 'Sources per tool fingerprint', dos: 'DoS victims (backscatter)', exposure: 'Exposure survey',
    openServices: 'Open services', hosts: 'Hosts with open services', weak: 'Services that accepted a default credential', noAuth: 'Services open without authentication',
    services: 'By service', cves: 'Top CVEs', models: 'Device models needing action', search: 'search', perService: 'per service', perCve: 'per CVE', perModel: 'per model',
    notices: 'Notices and their effect', kind: 'Kind', notified: 'Notified', resolved: 'Resolved', within: 'Fixed within {d} days', median: 'Median days to fix', reappear: 'Reappeared', none: 'none',
    generated: 'Generated',
  },
} as const;

export function observationHtml(d: ObservationData, lang: 'ja' | 'en', now = new Date()): string {
  const t = T[lang];
  const n = (v: number): string => v.toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-US');
  const pct = (v: number | null): string => (v === null ? '–' : `${(v * 100).toFixed(1)}%`);
  const stat = (label: string, value: string, query?: string): string =>
    `<div class="stat"><div class="l">${esc(label)}</div><div class="v">${esc(value)}</div>${query ? `<div class="q">${esc(t.search)}: <code>${esc(query)}</code></div>` : ''}</div>`;
  const searchNote = (query: string, per: string): string => `<p class="q">${esc(t.search)}: <code>${esc(query)}</code> (${esc(per)})</p>`;
  const ex = d.exposure;
  const dn = d.darknet;
  const tagRows = Object.entries(dn.tags).map(([k, v]) => ({ label: k, value: v.sources }));
  const kinds = d.effects.groups;
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${esc(t.title)}</title>
<style>
body{font-family:"IPAGothic","Noto Sans CJK JP",system-ui,sans-serif;margin:32px;color:#1b2733;max-width:900px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;border-bottom:2px solid #2f6db5;padding-bottom:4px;margin-top:28px}h3{font-size:14px;margin:16px 0 6px}
.stats{display:flex;gap:12px;flex-wrap:wrap}.stat{border:1px solid #d5dde6;border-radius:6px;padding:8px 12px;min-width:150px}.stat .l{font-size:12px;color:#5b6b7b}.stat .v{font-size:20px;font-weight:700}
table{border-collapse:collapse;width:100%;font-size:12.5px}th,td{border-bottom:1px solid #e3e8ee;padding:4px 6px;text-align:left}td.n,th.n{text-align:right}
.muted{color:#6b7b8b;font-size:12px}.q{color:#6b7b8b;font-size:11px;margin:2px 0 6px}.q code{font-size:11px}@media print{h2{break-after:avoid}svg{break-inside:avoid}}
</style></head><body>
<h1>${esc(t.title)}</h1>
<div class="muted">${esc(t.period)}: ${esc(d.window.from.slice(0, 10))} – ${esc(new Date(Date.parse(d.window.to) - 1).toISOString().slice(0, 10))} (UTC) · ${esc(t.generated)}: ${esc(utcText(now.toISOString(), false))}</div>
<h2>${esc(t.darknet)}</h2>
<div class="stats">${stat(t.packets, n(dn.packets))}${stat(t.sources, n(dn.sources))}${stat(t.iot, pct(dn.iotShare))}</div>
<h3>${esc(d.hourly ? t.perHour : t.perDay)}</h3>${lineChart(d.daily.map((p) => ({ x: p.day, y: p.packets })))}
<h3>${esc(t.topPorts)}</h3>${barChart(dn.topPorts.slice(0, 10).map((p) => ({ label: `${p.proto}/${p.port}${p.iot ? ' (IoT)' : ''}`, value: p.packets })))}
<h3>${esc(t.tags)}</h3>${tagRows.length ? barChart(tagRows, { color: '#8e44ad' }) : `<p class="muted">${t.none}</p>`}
<h3>${esc(t.dos)}</h3>${dn.dosVictims.length ? `<table><tr><th>IP</th><th class="n">${esc(t.packets)}</th><th>${esc(t.start)}</th><th>${esc(t.end)}</th></tr>${dn.dosVictims.slice(0, 10).map((v) => `<tr><td>${esc(v.ip)}</td><td class="n">${n(v.packets)}</td><td>${esc(utcText(v.start))}</td><td>${esc(utcText(v.end))}</td></tr>`).join('')}</table>` : `<p class="muted">${t.none}</p>`}
<h2>${esc(t.exposure)}</h2>
<div class="stats">${stat(t.openServices, n(ex.openServices), ex.queries.open)}${stat(t.hosts, n(ex.hosts), ex.queries.open)}${stat(t.weak, n(ex.weakCredentials), ex.queries.weakCredentials)}${stat(t.noAuth, n(ex.noAuth), ex.queries.noAuth)}</div>
<h3>${esc(t.services)}</h3>${searchNote(ex.queries.open, t.perService)}${ex.services.length ? barChart(ex.services.map((s) => ({ label: s.service, value: s.n })), { color: '#16a085' }) : `<p class="muted">${t.none}</p>`}
<h3>${esc(t.cves)}</h3>${searchNote(ex.queries.open, t.perCve)}${ex.cves.length ? barChart(ex.cves.map((c) => ({ label: c.cve, value: c.n })), { color: '#d35400' }) : `<p class="muted">${t.none}</p>`}
<h3>${esc(t.models)}</h3>${searchNote(ex.queries.needingAction, t.perModel)}${ex.models.length ? barChart(ex.models.map((m) => ({ label: m.model, value: m.n })), { color: '#c0392b' }) : `<p class="muted">${t.none}</p>`}
<h2>${esc(t.notices)}</h2>
${kinds.length ? `<table><tr><th>${esc(t.kind)}</th><th class="n">${esc(t.notified)}</th><th class="n">${esc(t.resolved)}</th>${[7, 14, 30].map((x) => `<th class="n">${esc(t.within.replace('{d}', String(x)))}</th>`).join('')}<th class="n">${esc(t.median)}</th><th class="n">${esc(t.reappear)}</th></tr>
${kinds.map((g) => `<tr><td>${esc(g.group)}</td><td class="n">${n(g.notified)}</td><td class="n">${n(g.resolved)}</td>${g.within.map((w) => `<td class="n">${pct(w.rate)}</td>`).join('')}<td class="n">${g.medianDays === null ? '–' : g.medianDays.toFixed(1)}</td><td class="n">${pct(g.reappearanceRate)}</td></tr>`).join('')}</table>` : `<p class="muted">${t.none}</p>`}
${d.effects.openOverTime.length ? lineChart(d.effects.openOverTime.map((p) => ({ x: p.day, y: p.open })), { color: '#2f6db5' }) : ''}
</body></html>`;
}

/** An instant as the report writes times, in both languages: `2026-11-10 03:04:05 UTC`. */
export function utcText(iso: string, seconds = true): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const s = new Date(ms).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, seconds ? 19 : 16)} UTC`;
}

/** Renders the HTML to PDF with Debian's chromium; false when no browser is installed. */
export async function htmlToPdf(html: string, out: string, executablePath = '/usr/bin/chromium'): Promise<boolean> {
  const { existsSync } = await import('node:fs');
  if (!existsSync(executablePath)) return false;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    await page.pdf({ path: out, format: 'A4', printBackground: true, margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' } });
    return true;
  } finally {
    await browser.close();
  }
}
