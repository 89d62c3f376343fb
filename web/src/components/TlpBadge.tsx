import { useI18n } from '../i18n/index.js';

/** A TLP 2.0 label in FIRST's colours (black ground, the level's colour); unmarked objects are shown as the hub treats them, AMBER, with a note. */
export function TlpBadge({ tlp }: { tlp: 'clear' | 'green' | 'amber' | 'amber+strict' | 'red' | null }) {
  const { t } = useI18n();
  const level = tlp ?? 'amber';
  return (
    <span className={`tlp tlp-${level.replace('+', '-')}`} data-testid="tlp-badge" data-tlp={tlp ?? 'unmarked'} title={tlp ? undefined : t('tlpUnmarked')}>
      TLP:{level.toUpperCase()}{tlp ? '' : '*'}
    </span>
  );
}
