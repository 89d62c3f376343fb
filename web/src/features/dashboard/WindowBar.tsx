import { useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/index.js';
import { dayPath, navigate, rangePath } from '../../router.js';
import { addDays, type DayWindow } from './window.js';
import { DayInput, isIsoDay } from '../../components/DayInput.js';

/** The day selector: previous / next day, a date picker, the latest day, and an optional custom range. */
export function WindowBar({ win, single, first, latest }: { win: DayWindow; single: boolean; first: string; latest: string }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [from, setFrom] = useState(win.from);
  const [to, setTo] = useState(win.to);
  const day = win.from;
  const apply = (e: FormEvent): void => {
    e.preventDefault();
    // The form's pattern refuses a malformed day; one outside the data is refused here.
    if (![from, to].every((d) => isIsoDay(d) && d >= first && d <= latest)) return;
    const [a, b] = from <= to ? [from, to] : [to, from];
    setEditing(false);
    navigate(a === b ? dayPath(a) : rangePath(a, b));
  };
  return (
    <div className="windowbar" data-testid="window-bar" data-from={win.from} data-to={win.to}>
      {single ? (
        <div className="daypicker">
          <button type="button" className="btn" disabled={day <= first} onClick={() => navigate(dayPath(addDays(day, -1)))} data-testid="prev-day">{t('previousDay')}</button>
          <label className="field">
            <span>{t('day')}</span>
            <DayInput value={day} min={first} max={latest} required onDay={(d) => navigate(dayPath(d))} testId="day-input" />
          </label>
          <button type="button" className="btn" disabled={day >= latest} onClick={() => navigate(dayPath(addDays(day, 1)))} data-testid="next-day">{t('nextDay')}</button>
          <button type="button" className="btn ghost" disabled={day === latest} onClick={() => navigate(dayPath(latest))} data-testid="latest-day">{t('latestDay')}</button>
        </div>
      ) : (
        <div className="daypicker">
          <span className="field"><span>{t('window')}</span><b data-testid="range-label">{win.from} – {win.to}</b></span>
          <button type="button" className="btn ghost" onClick={() => navigate(dayPath(win.to))}>{t('backToDay')}</button>
        </div>
      )}
      {editing ? (
        <form className="rangeform" onSubmit={apply}>
          <label className="field"><span>{t('rangeFrom')}</span>
            <DayInput value={from} min={first} max={latest} onText={setFrom} required testId="range-from" />
          </label>
          <label className="field"><span>{t('rangeTo')}</span>
            <DayInput value={to} min={first} max={latest} onText={setTo} required testId="range-to" />
          </label>
          <button type="submit" className="btn primary" data-testid="range-apply">{t('apply')}</button>
          <button type="button" className="btn ghost" onClick={() => setEditing(false)}>{t('cancel')}</button>
        </form>
      ) : (
        <button type="button" className="btn ghost" onClick={() => { setFrom(win.from); setTo(win.to); setEditing(true); }} data-testid="custom-range">{t('customRange')}</button>
      )}
      <span className="windowbar-note muted">
        {t('dataAvailable', { first, last: latest })} · <span className="utc-badge">{t('timesInUtc')}</span>
      </span>
    </div>
  );
}
