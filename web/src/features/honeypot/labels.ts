/** Names the console gives to the honeypot identifiers the API sends. */
import type { Translate } from '../../i18n/index.js';
import type { CampaignList } from './honeypotApi.js';

type TieKind = CampaignList['campaigns'][number]['ties'][number]['kind'];

const HONEYPOTS: Record<string, string> = { cowrie: 'Cowrie', dionaea: 'Dionaea', conpot: 'Conpot' };

export function honeypotLabel(t: Translate, h: string): string {
  return h === 'sakimori' ? t('honeypotOurSensor') : HONEYPOTS[h] ?? h;
}

export function tieLabel(t: Translate, k: TieKind): string {
  switch (k) {
    case 'url': return t('campaignTieUrl');
    case 'url-host': return t('campaignTieUrlHost');
    case 'hash': return t('campaignTieHash');
    case 'credentials': return t('campaignTieCredentials');
    case 'tool-ports': return t('campaignTieToolPorts');
    case 'cnc': return t('campaignTieCnc');
    case 'darknet-tool': return t('campaignTieDarknetTool');
  }
}

/** A SHA-256 shortened for a table (the whole of it in the title). */
export const shortHash = (h: string): string => (h.length > 16 ? `${h.slice(0, 12)}…` : h);
