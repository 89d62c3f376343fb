import { useI18n, utcParts } from '../../i18n/index.js';
import { Panel } from '../../components/Panel.js';
import { TimeChart } from '../../components/TimeChart.js';
import type { HoneypotReport } from './honeypotApi.js';

type Hour = HoneypotReport['hourly'][number];
const HOUR = 3_600_000;
/** Beyond this many hours the chart shows the hours with events only (no filling of the gaps). */
const MAX_FILLED = 24 * 62;

/** Every hour of the window, an hour without events at zero (the API sends hours with events only). */
export function filledHours(r: Pick<HoneypotReport, 'from' | 'to' | 'hourly'>): Hour[] {
  const lo = Math.floor(Date.parse(r.from) / HOUR) * HOUR;
  const hi = Date.parse(r.to);
  if (!(hi > lo) || (hi - lo) / HOUR > MAX_FILLED) return r.hourly;
  const byHour = new Map(r.hourly.map((h) => [Math.floor(Date.parse(h.hour) / HOUR) * HOUR, h]));
  const out: Hour[] = [];
  for (let t = lo; t < hi; t += HOUR) out.push(byHour.get(t) ?? { hour: new Date(t).toISOString(), sessions: 0, logins: 0, commands: 0, downloads: 0 });
  return out;
}

/** Sessions and logins, commands and downloads per hour: two charts, each with its own two axes. */
export function HoneypotCharts({ r }: { r: HoneypotReport }) {
  const { t } = useI18n();
  const hours = filledHours(r);
  const times = hours.map((h) => h.hour);
  const multiDay = times.length > 24;
  const tick = (tm: string): string => (multiDay && utcParts(tm).hm === '00:00' ? utcParts(tm).day.slice(5) : utcParts(tm).hm);
  const tip = (tm: string): string => `${utcParts(tm).day} ${utcParts(tm).hm} UTC`;
  return (
    <>
      <Panel title={t('honeypotSessionsOverTime')} wide testId="honeypot-sessions-chart" aside={<span className="utc-badge">{t('utc')}</span>}>
        {hours.length === 0 ? <p className="muted">{t('honeypotEmpty')}</p> : (
          <TimeChart testId="honeypot-chart-sessions" times={times} tickLabel={tick} tipLabel={tip} height={200}
            series={[
              { label: t('honeypotSessions'), color: '#2b6cb0', values: hours.map((h) => h.sessions), area: true },
              { label: t('honeypotLoginAttempts'), color: '#c05621', values: hours.map((h) => h.logins) },
            ]} />
        )}
      </Panel>
      <Panel title={t('honeypotCommandsOverTime')} wide testId="honeypot-commands-chart" aside={<span className="utc-badge">{t('utc')}</span>}>
        {hours.length === 0 ? <p className="muted">{t('honeypotEmpty')}</p> : (
          <TimeChart testId="honeypot-chart-commands" times={times} tickLabel={tick} tipLabel={tip} height={200}
            series={[
              { label: t('honeypotCommands'), color: '#2f855a', values: hours.map((h) => h.commands), area: true },
              { label: t('honeypotDownloads'), color: '#9b2c2c', values: hours.map((h) => h.downloads) },
            ]} />
        )}
      </Panel>
    </>
  );
}
