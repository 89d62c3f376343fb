import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/index.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `s` is a real calendar day written YYYY-MM-DD. */
export function isIsoDay(s: string): boolean {
  return DAY.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
}

/**
 * A day typed as YYYY-MM-DD, the same in every language and browser (a date picker shows the
 * browser's locale format, 2026/11/20 or 20/11/2026, whatever the console's language). `onDay`
 * gets a valid day within [min, max] only: on Enter or when the field is left; `onText` gets
 * every keystroke (forms that validate on submit).
 */
export function DayInput({ value, min, max, onDay, onText, testId, required }: {
  value: string; min?: string; max?: string; onDay?: (day: string) => void; onText?: (text: string) => void; testId?: string; required?: boolean;
}) {
  const { t } = useI18n();
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const valid = isIsoDay(text) && (!min || text >= min) && (!max || text <= max);
  const commit = (): void => {
    if (valid && text !== value) onDay?.(text);
  };
  return (
    <input type="text" inputMode="numeric" className="day-input mono" value={text} placeholder="YYYY-MM-DD" pattern="\d{4}-\d{2}-\d{2}" maxLength={10} size={10}
      required={required} aria-invalid={!valid} title={t('dayFormatHint', { min: min ?? '', max: max ?? '' })} data-testid={testId}
      onChange={(e) => { setText(e.target.value); onText?.(e.target.value); }}
      onBlur={commit}
      onKeyDown={(e) => { if (e.key === 'Enter' && onDay) { e.preventDefault(); commit(); } }} />
  );
}
