import { useState, type ReactNode } from 'react';
import { useI18n } from '../i18n/index.js';

/**
 * A change that asks first: the button opens a question with Confirm and Cancel in place, so a
 * stray click on a long list changes nothing (and no browser dialog hides the page).
 */
export function ConfirmButton({ label, question, onConfirm, testId, disabled }: {
  label: ReactNode; question: ReactNode; onConfirm: () => Promise<unknown>; testId: string; disabled?: boolean;
}) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking) return <button type="button" className="btn small" onClick={() => setAsking(true)} data-testid={testId} disabled={disabled}>{label}</button>;
  const yes = async (): Promise<void> => {
    setBusy(true);
    try {
      await onConfirm();
    } finally {
      setBusy(false);
      setAsking(false);
    }
  };
  return (
    <span className="confirm" role="group" data-testid={`${testId}-confirm`}>
      <span className="confirm-q">{question}</span>
      <button type="button" className="btn small primary" onClick={() => void yes()} disabled={busy} data-testid={`${testId}-yes`}>{t('confirm')}</button>
      <button type="button" className="btn small ghost" onClick={() => setAsking(false)} data-testid={`${testId}-no`}>{t('cancel')}</button>
    </span>
  );
}
