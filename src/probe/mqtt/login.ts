/**
 * The NOTICE default-credential check over MQTT: one CONNECT with user name and password per list
 * entry (each on a connection of its own, asked for with the list id so it is audited), at most
 * `maxAttempts`, stopping at the first CONNACK that lets us in (DISCONNECT is sent at once by
 * the exchange). A server that is unavailable, busy, banning or rate-limiting us ends the check;
 * so does silence (no waiting a timeout per entry). Results name entry ids, never passwords.
 */
import type { CredentialEntry, ProbeContext, ProbeTarget } from '../module.js';
import { mqttExchange } from './session.js';

export type MqttLoginOutcome = 'success' | 'failure' | 'closed' | 'no-answer' | 'refused' | 'not-mqtt';

export interface MqttCredentialResult {
  readonly outcome: 'success' | 'exhausted' | 'stopped';
  readonly attempts: number;
  readonly entryId?: string;
  readonly reason?: string;
  readonly log: readonly { readonly id: string; readonly outcome: MqttLoginOutcome; readonly code: number }[];
}

/** Codes after which trying more entries is pointless or unfriendly (3.1 and 3.1.1: 1–3; 5.0: busy, banned, quota, rate). */
const STOP_CODES_V4 = new Set([1, 2, 3]);
const STOP_CODES_V5 = new Set([0x84, 0x85, 0x88, 0x89, 0x8a, 0x97, 0x9c, 0x9d, 0x9f]);

export async function checkMqttCredentials(
  target: ProbeTarget, ctx: ProbeContext, listId: string, entries: readonly CredentialEntry[],
  o: { level: 3 | 4 | 5; tls: boolean; clientId?: () => string },
): Promise<MqttCredentialResult> {
  const log: { id: string; outcome: MqttLoginOutcome; code: number }[] = [];
  const done = (r: Omit<MqttCredentialResult, 'attempts' | 'log'>): MqttCredentialResult => ({ ...r, attempts: log.length, log });
  for (const e of entries) {
    if (log.length >= ctx.maxCredentialAttempts) break;
    if (ctx.signal.aborted) return done({ outcome: 'stopped', reason: 'aborted' });
    const x = await mqttExchange(target, ctx, {
      level: o.level, tls: o.tls, username: e.username, password: e.password, credentialListId: listId,
      ...(o.clientId !== undefined ? { clientId: o.clientId() } : {}),
    });
    if (x.kind === 'failed') {
      if (/^connect:/.test(x.error)) return done({ outcome: 'stopped', reason: x.error });
      log.push({ id: e.id, outcome: x.status === 'timeout' ? 'no-answer' : 'closed', code: -1 });
      // Some brokers drop a connection with bad credentials without a CONNACK: a failure. Silence ends the check.
      if (x.status === 'timeout') return done({ outcome: 'stopped', reason: 'no answer to CONNECT with credentials' });
      continue;
    }
    if (x.kind === 'not-mqtt') {
      log.push({ id: e.id, outcome: 'not-mqtt', code: -1 });
      return done({ outcome: 'stopped', reason: `not a CONNACK: ${x.error.slice(0, 200)}` });
    }
    const c = x.connack;
    if (c.accepted) {
      log.push({ id: e.id, outcome: 'success', code: c.code });
      return done({ outcome: 'success', entryId: e.id });
    }
    if (c.authRequired) {
      log.push({ id: e.id, outcome: 'failure', code: c.code });
      continue;
    }
    log.push({ id: e.id, outcome: 'refused', code: c.code });
    if ((c.level === 5 ? STOP_CODES_V5 : STOP_CODES_V4).has(c.code)) return done({ outcome: 'stopped', reason: `CONNACK ${c.code} (${c.codeName})` });
  }
  return done({ outcome: 'exhausted' });
}
