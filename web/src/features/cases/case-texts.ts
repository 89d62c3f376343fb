import type { PlainKey, Translate } from '../../i18n/index.js';

/**
 * A case's evidence and history in the reader's language. The server stores the fields' names
 * and the events' reasons as identifiers and English text (they also go into CSV and mail), so
 * the console names the known ones and shows anything else as it came.
 */
const EVIDENCE: Readonly<Record<string, PlainKey>> = {
  port: 'ev_port', transport: 'ev_transport', service: 'ev_service', version: 'ev_version',
  credentialList: 'ev_credentialList', credentialId: 'ev_credentialId', cves: 'ev_cves', recipientVia: 'ev_recipientVia',
  packets: 'ev_packets', applicable: 'ev_applicable', matching: 'ev_matching', confidence: 'ev_confidence',
  reason: 'ev_reason', observedAt: 'ev_observedAt', source: 'ev_source', runId: 'ev_runId', status: 'ev_status',
  lastInfectedAt: 'ev_lastInfectedAt', telescopeUntil: 'ev_telescopeUntil',
  // A honeypot campaign's member (case kind campaign_infection, issue 18).
  campaign: 'ev_campaign', campaignName: 'ev_campaignName', campaignMembers: 'ev_campaignMembers', honeypotEvents: 'ev_honeypotEvents',
  honeypotFirstSeen: 'ev_honeypotFirstSeen', ties: 'ev_ties', urls: 'ev_urls', hashes: 'ev_hashes',
};

export function evidenceLabel(t: Translate, name: string): string {
  const key = EVIDENCE[name];
  return key ? t(key) : name;
}

/** The resolutions verify-cases.ts writes, by their English text. */
const GONE: Readonly<Record<string, PlainKey>> = {
  'default credential no longer accepted': 'reason_credentialGone',
  'authentication now required': 'reason_authRequired',
  'CVEs no longer apply (updated firmware)': 'reason_cvesGone',
  'acknowledged by the recipient': 'reason_acknowledged',
  'the finding was seen again after the case was resolved': 'reason_reopened',
};

/** An event's reason: a known one in the reader's language, the rest (free notes, errors) as written. */
export function eventReason(t: Translate, reason: string, channel: (c: string) => string): string {
  const known = GONE[reason];
  if (known) return t(known);
  let m = /^notified by (\S+) to (.+) \(round (\d+), delivery (\d+)\)$/.exec(reason);
  if (m) return t('reason_notified', { channel: channel(m[1] ?? ''), target: m[2] ?? '', round: m[3] ?? '', delivery: m[4] ?? '' });
  m = /^no Mirai-like packets for (\d+) days of telescope coverage$/.exec(reason);
  if (m) return t('reason_quiet', { days: m[1] ?? '' });
  m = /^port (\w+)$/.exec(reason);
  if (m) return t('reason_port', { status: m[1] ?? '' });
  m = /^service is now (.+)$/.exec(reason);
  if (m) return t('reason_serviceChanged', { service: m[1] ?? '' });
  m = /^delivery (\d+) by (\S+) to (\S+) (failed for good|failed, retry (\d+)): (.*)$/s.exec(reason);
  if (m) {
    const vars = { delivery: m[1] ?? '', channel: channel(m[2] ?? ''), target: m[3] ?? '', error: m[6] ?? '' };
    return m[5] ? t('reason_deliveryRetry', { ...vars, attempt: m[5] }) : t('reason_deliveryFailed', vars);
  }
  m = /^escalated: (.*)$/s.exec(reason);
  if (m) return t('reason_escalated', { detail: m[1] ?? '' });
  return reason;
}
