import type { CaseRow } from '../../api.js';
import type { MessageKey, Translate } from '../../i18n/index.js';

export const CASE_STATES = ['new', 'notified', 'acknowledged', 'resolved', 'reopened'] as const;
export const CASE_KINDS = ['default_credential', 'no_authentication', 'vulnerable_firmware', 'mirai_infection', 'exposed_service', 'campaign_infection'] as const;
/** States from which a recipient may acknowledge (case-store.ts, acknowledgeCase). */
export const ACKNOWLEDGEABLE: readonly string[] = ['new', 'notified', 'reopened'];

/** A state or kind in the reader's language; an unknown one as it is (a newer server). */
export function stateLabel(t: Translate, s: string): string {
  return (CASE_STATES as readonly string[]).includes(s) ? t(`state_${s}` as MessageKey & `state_${(typeof CASE_STATES)[number]}`) : s;
}
export function kindLabel(t: Translate, k: string): string {
  return (CASE_KINDS as readonly string[]).includes(k) ? t(`kind_${k}` as MessageKey & `kind_${(typeof CASE_KINDS)[number]}`) : k;
}

/** Whom a case tells: the organisation's name, the abuse address, or nobody. */
export function recipientLabel(t: Translate, c: Pick<CaseRow, 'recipient' | 'recipientName'>): string {
  if (c.recipientName) return c.recipientName;
  if (c.recipient === 'unassigned') return t('unassigned');
  return c.recipient.replace(/^email:/, '');
}
