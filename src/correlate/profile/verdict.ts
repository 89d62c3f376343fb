/**
 * One verdict per address from what every source says about it, as GreyNoise gives one: each
 * piece of evidence has a stable code (the console words it by code, in Japanese and English) and
 * a weight; the score is their sum. Malicious at MALICIOUS_AT or more, benign at BENIGN_AT or
 * less (only a research scanner's evidence weighs below zero), unknown between. Weights and rules
 * are documented in docs/honeypot.md ("One profile per address").
 */
import { RESEARCH_SCANNER_TAGS } from './research-scanners.js';
import type { Evidence, HoneypotSummary, VerdictResult } from './profile-types.js';

export const WEIGHTS = {
  'research-scanner-tag': -5,
  'research-scanner-list': -5,
  'honeypot-login-success': 3,
  'honeypot-commands': 2,
  'honeypot-download': 3,
  'honeypot-login-attempts': 2,
  'honeypot-contact': 0.5,
  'infected-device': 3,
  'exposed-default-credential': 0,
  'cnc-candidate': 3,
  'shared-indicator': 2,
  'shared-indicator-scanner': 1,
  'darknet-mirai-tag': 2,
  'darknet-scan': 1,
  'dos-victim': 0,
  'flow-server': 0,
} as const;

export type EvidenceCode = keyof typeof WEIGHTS;
export const EVIDENCE_CODES = Object.keys(WEIGHTS) as EvidenceCode[];
export const MALICIOUS_AT = 3;
export const BENIGN_AT = -2;

/** Labels of a shared indicator that call the address malicious (STIX indicator types, our labels, common vocabularies). */
const MALICIOUS_LABELS = new Set(['malicious-activity', 'compromised', 'c2', 'botnet', 'malware', 'attack', 'exploit', 'bruteforce', 'brute-force', 'mirai']);

export interface VerdictFacts {
  /** Darknet fingerprint tags it carries. */
  tags: readonly string[];
  /** Warning lists holding it. */
  warningLists: readonly string[];
  darknet: { scan: number; backscatter: number; other: number } | null;
  honeypot: HoneypotSummary | null;
  /** Downloads and uploads it made on our honeypots. */
  honeypotFiles: number;
  /** Open services that accepted a default credential: `tcp/23 telnet`. */
  defaultCredentials: readonly string[];
  indicators: readonly { id: string; labels: readonly string[]; revoked: boolean }[];
  flowServerDays: number;
}

export function verdictOf(f: VerdictFacts): VerdictResult {
  const ev: Evidence[] = [];
  const add = (source: Evidence['source'], code: EvidenceCode, text: string): void => {
    ev.push({ source, code, weight: WEIGHTS[code], text });
  };
  let actor: string | null = null;
  for (const t of f.tags) {
    const name = RESEARCH_SCANNER_TAGS[t];
    if (name) {
      actor ??= name;
      add('darknet', 'research-scanner-tag', `carries the ${t} fingerprint of a research scanner (${name})`);
    }
  }
  for (const list of f.warningLists) {
    actor ??= list;
    add('indicator', 'research-scanner-list', `on the warning list "${list}" of known benign scanners`);
  }
  const hp = f.honeypot;
  const attacked = hp !== null && (hp.logins.attempts > 0 || hp.commands.length > 0 || f.honeypotFiles > 0);
  if (hp) {
    if (hp.logins.success > 0) add('honeypot', 'honeypot-login-success', `logged in to our honeypots ${hp.logins.success} times`);
    else if (hp.logins.attempts > 0) add('honeypot', 'honeypot-login-attempts', `tried ${hp.logins.attempts} logins on our honeypots`);
    if (hp.commands.length > 0) add('honeypot', 'honeypot-commands', `typed ${hp.commands.length} distinct commands in our honeypots`);
    if (f.honeypotFiles > 0 || hp.urls.length > 0 || hp.hashes.length > 0) {
      add('honeypot', 'honeypot-download', `brought files or URLs to our honeypots (${hp.urls.length} URLs, ${hp.hashes.length} hashes)`);
    }
    if (!attacked) add('honeypot', 'honeypot-contact', `connected to our honeypots (${hp.sessions} sessions) without logging in`);
  }
  const scanning = f.darknet !== null && f.darknet.scan > 0;
  if (f.defaultCredentials.length > 0) {
    const what = f.defaultCredentials.join(', ');
    // A device that accepts a default credential and attacks honeypots or scans the Internet itself
    // is very likely infected (NICTER's correlation of darknet scanners with exposed IoT devices).
    if (attacked || scanning) add('survey', 'infected-device', `exposes ${what} with a default credential and ${attacked ? 'attacks our honeypots' : 'scans our darknet'}: very likely an infected device`);
    else add('survey', 'exposed-default-credential', `exposes ${what} with a default credential (a victim until it attacks)`);
  }
  for (const i of f.indicators) {
    if (i.revoked) continue;
    const labels = i.labels.map((l) => l.toLowerCase());
    if (labels.includes('c2')) add('flows', 'cnc-candidate', `named as a C&C server by the shared indicator ${i.id}`);
    else if (labels.some((l) => MALICIOUS_LABELS.has(l))) add('indicator', 'shared-indicator', `named by the shared indicator ${i.id} (${i.labels.join(', ')})`);
    else if (labels.includes('scanner')) add('indicator', 'shared-indicator-scanner', `named as a scanner by the shared indicator ${i.id}`);
  }
  if (f.tags.includes('mirai')) add('darknet', 'darknet-mirai-tag', 'its darknet probes carry the Mirai fingerprint');
  const d = f.darknet;
  if (d && d.scan > 0) add('darknet', 'darknet-scan', `scanned our darknet (${d.scan} packets)`);
  if (d && d.backscatter > 0 && d.backscatter >= d.scan) add('darknet', 'dos-victim', `backscatter in our darknet: a victim of spoofed attacks (${d.backscatter} packets)`);
  if (f.flowServerDays > 0) add('flows', 'flow-server', `a server in our flows on ${f.flowServerDays} days`);
  const score = Math.round(ev.reduce((a, e) => a + e.weight, 0) * 10) / 10;
  const verdict = score >= MALICIOUS_AT ? 'malicious' : score <= BENIGN_AT ? 'benign' : 'unknown';
  return { verdict, actor, score, evidence: ev.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight)) };
}
