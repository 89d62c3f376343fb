/** Small formatting of flow figures shared by the flow pages. */
import type { I18n } from '../../i18n/index.js';

const PROTOS: Record<number, string> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP', 58: 'ICMPv6' };

export const protoLabel = (p: number): string => PROTOS[p] ?? String(p);

/** A round number of seconds in its largest whole unit: 30 s, 5 min, 2 h, 1 d. */
export function secondsLabel(t: I18n['t'], s: number): string {
  if (s >= 86400 && s % 86400 === 0) return t('daysShort', { n: s / 86400 });
  if (s >= 3600 && s % 3600 === 0) return t('hoursShort', { n: s / 3600 });
  if (s >= 60 && s % 60 === 0) return t('minutesShort', { n: s / 60 });
  return t('secondsShort', { n: s });
}
