import type { Host } from '../../api.js';
import { useI18n, type PlainKey } from '../../i18n/index.js';
import { Panel } from '../../components/Panel.js';

type Verdict = Host['verdict'];

/** Evidence codes (stable, correlate/profile/verdict.ts) → their words; an unknown code shows the server's English text. */
const EVIDENCE_WORDS: Readonly<Record<string, PlainKey>> = {
  'research-scanner-tag': 'evResearchScannerTag',
  'research-scanner-list': 'evResearchScannerList',
  'honeypot-login-success': 'evHoneypotLoginSuccess',
  'honeypot-commands': 'evHoneypotCommands',
  'honeypot-download': 'evHoneypotDownload',
  'honeypot-login-attempts': 'evHoneypotLoginAttempts',
  'honeypot-contact': 'evHoneypotContact',
  'infected-device': 'evInfectedDevice',
  'exposed-default-credential': 'evExposedDefaultCredential',
  'cnc-candidate': 'evCncCandidate',
  'shared-indicator': 'evSharedIndicator',
  'shared-indicator-scanner': 'evSharedIndicatorScanner',
  'darknet-mirai-tag': 'evDarknetMiraiTag',
  'darknet-scan': 'evDarknetScan',
  'dos-victim': 'evDosVictim',
  'flow-server': 'evFlowServer',
};

const VERDICT_WORDS: Readonly<Record<Verdict['verdict'], PlainKey>> = { malicious: 'verdictMalicious', benign: 'verdictBenign', unknown: 'verdictUnknown' };
const VERDICT_CLASS: Readonly<Record<Verdict['verdict'], string>> = { malicious: 'badge bad', benign: 'badge ok', unknown: 'badge' };

/** The badge beside the host's name. */
export function VerdictBadge({ v }: { v: Verdict }) {
  const { t } = useI18n();
  return (
    <span className={VERDICT_CLASS[v.verdict]} data-testid="host-verdict" data-value={v.verdict} data-score={v.score} title={t('verdictHint')}>
      {t(VERDICT_WORDS[v.verdict])}{v.actor ? ` · ${v.actor}` : ''}
    </span>
  );
}

/** The verdict with its weighted evidence, strongest first. */
export function VerdictPanel({ v }: { v: Verdict }) {
  const { t, num } = useI18n();
  return (
    <Panel title={t('verdictTitle')} wide testId="host-verdict-panel" aside={<span className="muted small" title={t('verdictHint')}>{t('verdictScore', { score: num(v.score, 1) })}</span>}>
      <p><VerdictBadge v={v} />{v.actor && <span className="muted small"> {t('verdictActor', { actor: v.actor })}</span>}</p>
      {v.evidence.length === 0 ? <p className="muted" data-testid="host-no-evidence">{t('verdictNoEvidence')}</p> : (
        <table className="tbl">
          <thead><tr><th>{t('timelineSource')}</th><th>{t('evidence')}</th><th className="n">{t('verdictWeight')}</th></tr></thead>
          <tbody>
            {v.evidence.map((e, i) => {
              const key = EVIDENCE_WORDS[e.code];
              return (
                <tr key={`${e.code}-${i}`} data-testid="host-evidence" data-code={e.code} data-value={e.weight} title={e.text}>
                  <td>{t(SOURCE_WORDS[e.source])}</td>
                  <td>{key ? t(key) : e.text}</td>
                  <td className="n mono">{e.weight > 0 ? '+' : ''}{num(e.weight, 1)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

export const SOURCE_WORDS: Readonly<Record<Verdict['evidence'][number]['source'], PlainKey>> = {
  darknet: 'srcDarknet', honeypot: 'srcHoneypot', survey: 'srcSurvey', flows: 'srcFlows', indicator: 'srcIndicator',
};
