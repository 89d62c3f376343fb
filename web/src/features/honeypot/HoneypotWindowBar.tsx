import { useState } from 'react';
import { useI18n } from '../../i18n/index.js';
import { navigate } from '../../router.js';
import { DayInput, isIsoDay } from '../../components/DayInput.js';
import { honeypotPath, nextDay } from './honeypotApi.js';

/** The last day a window covers: its exclusive end less a moment. */
export const lastDayOf = (toIso: string): string => new Date(Date.parse(toIso) - 1).toISOString().slice(0, 10);

const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * The report's window as days (the end inclusive): back and forth by the window's length, a range
 * of one's own, and the API's default (the last day with events). The choice lives in the address bar.
 */
export function HoneypotWindowBar({ from, to, chosen }: { from: string; to: string; chosen: boolean }) {
  const { t } = useI18n();
  const first = from.slice(0, 10);
  const last = lastDayOf(to);
  const [a, setA] = useState(first);
  const [b, setB] = useState(last);
  const valid = isIsoDay(a) && isIsoDay(b) && a <= b;
  const span = Math.max(1, Math.round((Date.parse(`${nextDay(last)}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / 86_400_000));
  const shift = (n: number): void => navigate(honeypotPath({ from: addDays(first, n), to: addDays(last, n) }));
  return (
    <div className="windowbar" data-testid="honeypot-window" data-from={first} data-to={last}>
      <div className="daypicker">
        <button type="button" className="btn" onClick={() => shift(-span)} data-testid="honeypot-earlier">{t('honeypotEarlier')}</button>
        <button type="button" className="btn" onClick={() => shift(span)} data-testid="honeypot-later">{t('honeypotLater')}</button>
        {chosen && <button type="button" className="btn ghost" onClick={() => navigate(honeypotPath({}))} data-testid="honeypot-latest">{t('latestDay')}</button>}
      </div>
      <form className="rangeform" onSubmit={(e) => { e.preventDefault(); if (valid) navigate(honeypotPath({ from: a, to: b })); }}>
        <label className="field"><span>{t('rangeFrom')}</span><DayInput value={first} onText={setA} required testId="honeypot-from" /></label>
        <label className="field"><span>{t('rangeTo')}</span><DayInput value={last} onText={setB} required testId="honeypot-to" /></label>
        <button type="submit" className="btn primary" disabled={!valid} data-testid="honeypot-apply">{t('apply')}</button>
      </form>
      <span className="windowbar-note muted"><span className="utc-badge">{t('timesInUtc')}</span></span>
    </div>
  );
}
