/**
 * What a digest says: a CSV with Shadowserver-like columns (one row per case) and an e-mail text
 * in the recipient's language first, the other below.
 */
import { csvDocument } from '../util/csv.js';

export interface DigestCase {
  id: number; ip: string; kind: string; state: string; asn: number; device_model: string;
  detail: Record<string, unknown>; first_seen: Date; last_seen: Date;
}

const COLUMNS = ['timestamp', 'case_id', 'ip', 'protocol', 'port', 'asn', 'tag', 'device_model', 'cve', 'credential_list', 'credential_id', 'first_seen', 'last_seen', 'state'] as const;

/** By the shared CSV writer: device models, CVE lists and credential ids came from scanned hosts. */
export function digestCsv(cases: readonly DigestCase[], at: Date): string {
  return csvDocument(COLUMNS, cases.map((c) => {
    const d = c.detail;
    const cves = Array.isArray(d['cves']) ? (d['cves'] as unknown[]) : [];
    // Ids, port and ASN as numbers (pg may hand bigint ids over as text); detail values as they are.
    return [
      at, Number(c.id), c.ip, d['transport'] ?? (c.kind === 'mirai_infection' || c.kind === 'campaign_infection' ? '' : 'tcp'), d['port'],
      Number(c.asn) || '', c.kind, c.device_model, cves, d['credentialList'], d['credentialId'],
      c.first_seen, c.last_seen, c.state,
    ];
  }));
}

const KIND = {
  ja: { default_credential: '初期設定の認証情報でログイン可能', no_authentication: '認証なしでアクセス可能', vulnerable_firmware: '既知の脆弱性があるファームウェア', mirai_infection: 'Mirai 類似マルウェア感染の疑い', exposed_service: '公開されたサービス', campaign_infection: '攻撃キャンペーンに加わる感染機器（ハニーポットの観測）' },
  en: { default_credential: 'default credential accepted', no_authentication: 'no authentication required', vulnerable_firmware: 'firmware with known vulnerabilities', mirai_infection: 'suspected Mirai-like infection', exposed_service: 'exposed service', campaign_infection: 'infected device in an attack campaign (honeypot evidence)' },
} as const;

function counts(cases: readonly DigestCase[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of cases) m.set(c.kind, (m.get(c.kind) ?? 0) + 1);
  return m;
}

function section(lang: 'ja' | 'en', name: string, cases: readonly DigestCase[], round: number): string {
  const k = KIND[lang];
  const lines = [...counts(cases)].map(([kind, n]) => `  - ${(k as Record<string, string>)[kind] ?? kind}: ${n}`);
  return lang === 'ja'
    ? [`${name} ご担当者様`, '', `Sakimori の観測で、貴組織のアドレスについて対応が必要な事象が ${cases.length} 件見つかりました（通知ラウンド ${round}）。`, ...lines, '',
      '詳細は添付の CSV（1 行 1 件、Shadowserver 形式に準じた列）をご覧ください。機器の利用者への注意喚起をお願いします。',
      '対応状況は後続の調査・観測で自動的に確認され、解消が確認された件は「解決」として記録されます。'].join('\n')
    : [`To ${name},`, '', `Sakimori observations found ${cases.length} issue${cases.length === 1 ? '' : 's'} on your addresses that need action (notification round ${round}).`, ...lines, '',
      'The attached CSV has one row per case (columns after Shadowserver reports). Please alert the users of these devices.',
      'Later surveys and telescope observations check each case; a case is recorded as resolved only when the weakness is seen gone.'].join('\n');
}

export function digestEmail(lang: 'ja' | 'en', name: string, cases: readonly DigestCase[], round: number): { subject: string; text: string } {
  const subject = lang === 'ja' ? `[Sakimori] 要対応の事象 ${cases.length} 件のお知らせ（ラウンド ${round}）` : `[Sakimori] ${cases.length} issue${cases.length === 1 ? '' : 's'} on your network (round ${round})`;
  const other = lang === 'ja' ? 'en' : 'ja';
  return { subject, text: `${section(lang, name, cases, round)}\n\n----\n\n${section(other, name, cases, round)}\n` };
}
