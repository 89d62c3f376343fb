import { casesApi, type GroupEffect } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { ErrorMessage, Loading, Message, Panel } from '../../components/Panel.js';
import { navigate } from '../../router.js';
import { useLoad } from '../../useLoad.js';
import { TimeChart } from '../../components/TimeChart.js';

const BY = ['kind', 'device_model', 'recipient', 'round'] as const;
const COLORS = ['#2f6db5', '#c0392b', '#16a085', '#8e44ad', '#d35400', '#7f8c8d'];

/** Kaplan–Meier curves as steps: share still unresolved against days since the notice. */
function KmChart({ groups }: { groups: GroupEffect[] }) {
  const { t } = useI18n();
  const W = 640;
  const H = 220;
  const pad = { l: 44, r: 12, t: 10, b: 28 };
  const maxDays = Math.max(30, ...groups.flatMap((g) => g.curve.map((s) => s.days)));
  const x = (d: number): number => pad.l + ((W - pad.l - pad.r) * Math.min(d, maxDays)) / maxDays;
  const y = (s: number): number => pad.t + (H - pad.t - pad.b) * (1 - s);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="km" role="img" aria-label={t('kmCurve')} data-testid="km-chart">
      {[0, 0.5, 1].map((v) => <text key={v} x={pad.l - 6} y={y(v) + 4} textAnchor="end" fontSize="11">{`${v * 100}%`}</text>)}
      {Array.from({ length: Math.floor(maxDays / 7) + 1 }, (_, i) => i * 7).map((d) => <text key={d} x={x(d)} y={H - 8} textAnchor="middle" fontSize="11">{d === 0 ? t('kmDays') : d}</text>)}
      <line x1={pad.l} y1={y(0)} x2={W - pad.r} y2={y(0)} stroke="#bbb" />
      {groups.slice(0, COLORS.length).map((g, i) => {
        let path = `M${x(0)},${y(1)}`;
        let s = 1;
        for (const st of g.curve) {
          path += `H${x(st.days)}V${y(st.survival)}`;
          s = st.survival;
        }
        path += `H${x(maxDays)}V${y(s)}`;
        return <path key={g.group} d={path} fill="none" stroke={COLORS[i]} strokeWidth="2" data-testid="km-curve" data-group={g.group} />;
      })}
    </svg>
  );
}

/** Did the notices work: rates, time to remediation, reappearance; CSV for further use. */
export function EffectsPage({ by = 'kind' }: { by?: string }) {
  const { t, num, pct, time, lang } = useI18n();
  // "5 Dec" / "12/5": a month and a day, readable at a glance (the year is in the tooltip).
  const dayLabel = (d: string): string => new Date(`${d}T00:00:00Z`).toLocaleDateString(lang === 'ja' ? 'ja-JP' : 'en-GB', { month: lang === 'ja' ? 'numeric' : 'short', day: 'numeric', timeZone: 'UTC' });
  const r = useLoad(`effects:${by}`, (s) => casesApi.effects(by, s));
  const rate = (v: number | null): string => (v === null ? '–' : pct(v));
  return (
    <main className="page" data-testid="effects-page">
      <h1 className="page-title">{t('effectsTitle')}</h1>
      <div className="filters">
        <label>{t('groupBy')}{' '}
          <select value={by} onChange={(e) => navigate(`/effects?by=${e.target.value}`)} data-testid="effects-by">
            {BY.map((b) => <option key={b} value={b}>{t(`by_${b}`)}</option>)}
          </select>
        </label>
        <a className="btn small" href={`/api/v1/effects.csv?groupBy=${by}`} download data-testid="effects-csv">CSV</a>
      </div>
      {r.state === 'loading' && <Loading />}
      {r.state === 'error' && <ErrorMessage error={r.error} retry={r.reload} />}
      {r.state === 'done' && r.data.groups.length === 0 && (
        <Message kind="info" testId="effects-empty">
          <div className="message-title">{t('effectsEmptyTitle')}</div>
          <p>{r.data.openOverTime.some((p) => p.open > 0) ? t('effectsEmptyOpen', { n: num(r.data.openOverTime[r.data.openOverTime.length - 1]?.open ?? 0) }) : t('effectsEmptyNone')}</p>
          <p>{t('effectsEmptyWhat')}</p>
          <pre className="mail-text">sakimori cases build{'\n'}sakimori notify round{'\n'}sakimori notify send{'\n'}sakimori cases verify</pre>
        </Message>
      )}
      {r.state === 'done' && r.data.groups.length > 0 && (
        <>
          {r.data.peers && (
            <Message kind="info" testId="effects-rank">{t('peerRank', { rank: r.data.peers.rank ?? '–', n: r.data.peers.organisations })}</Message>
          )}
          <div className="grid">
            <Panel title={t('remediation')} wide testId="effects-table">
              {r.data.groups.length === 0 ? <p className="muted">{t('none')}</p> : (
                <table className="tbl">
                  <thead><tr><th>{t('group')}</th><th className="n">{t('notifiedCount')}</th><th className="n">{t('resolvedCount')}</th>
                    {[7, 14, 30].map((d) => <th key={d} className="n">{t('withinDays', { d })}</th>)}<th className="n">{t('medianDays')}</th><th className="n">{t('reappearance')}</th></tr></thead>
                  <tbody>
                    {r.data.groups.map((g) => (
                      <tr key={g.group} data-testid="effect-row" data-group={g.group} data-rate30={g.within[2]?.rate ?? ''}>
                        <td>{by === 'kind' ? t(`kind_${g.group as 'default_credential'}`) : g.group}</td>
                        <td className="n">{num(g.notified)}</td><td className="n">{num(g.resolved)}</td>
                        {g.within.map((w) => <td key={w.days} className="n" title={t('followedCases', { n: w.followed })}>{rate(w.rate)}</td>)}
                        <td className="n">{g.medianDays === null ? '–' : num(g.medianDays, 1)}</td>
                        <td className="n">{rate(g.reappearanceRate)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Panel>
            <Panel title={t('kmCurve')} testId="effects-km">
              <KmChart groups={r.data.groups} />
              <div className="legend">{r.data.groups.slice(0, COLORS.length).map((g, i) => <span key={g.group}><span className="dot" style={{ background: COLORS[i] }} />{by === 'kind' ? t(`kind_${g.group as 'default_credential'}`) : g.group}</span>)}</div>
            </Panel>
            <Panel title={t('openOverTime')} wide testId="effects-open">
              <TimeChart times={r.data.openOverTime.map((p) => p.day)} series={[{ label: t('openCases'), color: '#2f6db5', values: r.data.openOverTime.map((p) => p.open), area: true }]} height={220} tickLabel={dayLabel} tipLabel={(d) => time(`${d}T00:00:00Z`).slice(0, 10)} />
            </Panel>
          </div>
        </>
      )}
    </main>
  );
}
