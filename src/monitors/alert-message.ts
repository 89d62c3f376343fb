/**
 * The text of a monitor alert, in the monitor's language first and the other one below it
 * (recipients in Japan often forward alerts to vendors abroad).
 */
import type { Finding } from './findings.js';

export interface AlertPayload {
  monitor: { id: string; name: string; query: string };
  runAt: string;
  language: 'ja' | 'en';
  findings: Finding[];
}

const KIND = {
  ja: { service: '新しいサービス', weak_credential: '弱い認証情報', cve: '脆弱性 (CVE)' },
  en: { service: 'new service', weak_credential: 'weak credential', cve: 'vulnerability (CVE)' },
} as const;

function line(f: Finding, lang: 'ja' | 'en'): string {
  const d = f.detail;
  const what = f.kind === 'cve' ? `${d.cve ?? ''} ${d.product ?? ''}`.trim()
    : f.kind === 'weak_credential'
      ? d.noAuth ? (lang === 'ja' ? '認証なしでアクセス可能' : 'no authentication required')
        : (lang === 'ja' ? `初期設定の認証情報で認証成功（リスト ${d.credentialList ?? ''} の項目 ${d.credentialId ?? ''}）` : `default credential accepted (list ${d.credentialList ?? ''}, entry ${d.credentialId ?? ''})`)
      : `${d.service ?? ''} ${d.product ?? ''}`.trim();
  return `- ${f.ip} ${f.transport}/${f.port}  ${KIND[lang][f.kind]}: ${what}`;
}

function section(p: AlertPayload, lang: 'ja' | 'en'): string {
  const head = lang === 'ja'
    ? `モニター「${p.monitor.name}」で新しい検出が ${p.findings.length} 件ありました（${p.runAt}）。\n検索条件: ${p.monitor.query || '*'}`
    : `Monitor "${p.monitor.name}" found ${p.findings.length} new finding${p.findings.length === 1 ? '' : 's'} (${p.runAt}).\nQuery: ${p.monitor.query || '*'}`;
  const mute = lang === 'ja'
    ? '個別の検出を今後通知しないようにするには: sakimori monitor mute <モニター> <キー>'
    : 'To stop alerts for one finding: sakimori monitor mute <monitor> <key>';
  return [head, '', ...p.findings.map((f) => `${line(f, lang)}\n  key: ${f.key}`), '', mute].join('\n');
}

export function alertSubject(p: AlertPayload): string {
  return p.language === 'ja'
    ? `[Sakimori] モニター「${p.monitor.name}」: 新しい検出 ${p.findings.length} 件`
    : `[Sakimori] Monitor "${p.monitor.name}": ${p.findings.length} new finding${p.findings.length === 1 ? '' : 's'}`;
}

export function alertText(p: AlertPayload): string {
  const other = p.language === 'ja' ? 'en' : 'ja';
  return `${section(p, p.language)}\n\n----\n\n${section(p, other)}\n`;
}
