/**
 * The MQTT module (1883, and 8883 over TLS): an MQTT 3.1.1 CONNECT without credentials (clean
 * session, random client id `sakimori-xxxx`, keep alive 30) and the CONNACK it gets. Accepted →
 * `no_auth=1` and tag `mqtt-anonymous`; bad user name or password / not authorized →
 * `login_prompt=1`. When the server refuses protocol level 4 the same is tried with MQTT 5.0, and
 * when it refuses that too, or closed at once without a CONNACK, with MQTT 3.1 ("MQIsdp", level 3).
 * When the scope enables credential checks and anonymous access was refused for want of
 * credentials, the NOTICE check tries the list (see ../mqtt/login.ts). After any accepted CONNECT
 * only DISCONNECT is sent — never SUBSCRIBE or PUBLISH. Passwords are never recorded.
 */
import type { L7Module, ModuleResult, ProbeContext, ProbeTarget } from '../module.js';
import type { ServiceFinding } from '../../schema/service-observation.js';
import { bannerText } from '../identify/banner-text.js';
import { sendableEntries } from '../credentials/sendable.js';
import { checkDetails, checkFindingFields } from '../credentials/check-result.js';
import type { Connack } from '../mqtt/codec.js';
import { checkMqttCredentials, type MqttCredentialResult } from '../mqtt/login.js';
import { mqttExchange, randomClientId, strictClientId, type Exchange, type TlsInfo } from '../mqtt/session.js';

export const MQTT_DEFAULT_PORTS: readonly number[] = [1883, 8883];
/** Ports where MQTT is spoken over TLS. */
export const MQTT_TLS_PORTS: readonly number[] = [8883];

/** The banner text of a CONNACK (the form the demo data and imports use). */
export function connackBanner(c: Connack): string {
  return c.level !== 5
    ? `MQTT CONNACK return code ${c.code} (${c.codeName})`
    : `MQTT 5 CONNACK reason code ${c.code} (${c.codeName})`;
}

function credentialDetails(r: MqttCredentialResult): Record<string, unknown> {
  return checkDetails(r, r.log.map((l) => `${l.id}:${l.outcome}${l.code >= 0 ? `:${l.code}` : ''}`));
}

function tlsFields(t: TlsInfo | undefined): Partial<ServiceFinding> {
  return t !== undefined ? { tls_version: t.version, tls_cipher: t.cipher } : {};
}

/** `tls` overrides the port's choice (MQTT over TLS on a port other than 8883, and tests). */
export async function probeMqtt(target: ProbeTarget, ctx: ProbeContext, opts: { tls?: boolean } = {}): Promise<ModuleResult> {
  const base: ServiceFinding = { ip: target.ip, port: target.port, transport: target.transport };
  const tls = opts.tls ?? MQTT_TLS_PORTS.includes(target.port);
  const tried: { level: 3 | 4 | 5; client_id: 'random' | 'strict'; code?: number; error?: string }[] = [];
  let clientId: () => string = randomClientId;

  const attempt = async (level: 3 | 4 | 5): Promise<Exchange> => {
    const x = await mqttExchange(target, ctx, { level, tls, clientId: clientId() });
    tried.push({ level, client_id: clientId === randomClientId ? 'random' : 'strict', ...(x.kind === 'connack' ? { code: x.connack.code } : { error: x.error.slice(0, 200) }) });
    return x;
  };

  let x = await attempt(4);
  // 3.1.1 servers need only accept [0-9a-zA-Z] client ids: try once more without the hyphen.
  if (x.kind === 'connack' && x.connack.level === 4 && x.connack.code === 2 && !ctx.signal.aborted) {
    clientId = strictClientId;
    x = await attempt(4);
  }
  // MQTT 3.1-only brokers answer "MQTT" level 4 with code 1 (or, like mosquitto before 1.3, close
  // without a CONNACK), and level 5 likewise: they are only asked with 3.1 ("MQIsdp", level 3).
  const closedAtOnce = x.kind === 'failed' && /closed by peer/.test(x.error) && !/^connect:/.test(x.error);
  if (x.kind === 'connack' && x.connack.versionRefused && !ctx.signal.aborted) {
    const x5 = await attempt(5);
    if (x5.kind === 'connack') x = x5;
  }
  if (((x.kind === 'connack' && x.connack.versionRefused) || closedAtOnce) && !ctx.signal.aborted) {
    const x3 = await attempt(3);
    if (x3.kind === 'connack') x = x3;
  }
  if (x.kind === 'failed') {
    return { identified: false, finding: { ...base, service: 'unknown', status: x.status, error: `mqtt: ${x.error}`, ...tlsFields(x.tls) } };
  }
  if (x.kind === 'not-mqtt') {
    return {
      identified: false,
      finding: { ...base, service: 'unknown', status: 'error', error: `mqtt: ${x.error}`, ...(x.raw.length > 0 ? { banner: bannerText(x.raw) } : {}), ...tlsFields(x.tls) },
    };
  }

  const c = x.connack;
  const tags: string[] = [];
  if (tls) tags.push('tls');
  const details: Record<string, unknown> = {
    protocol_level: c.level,
    protocol: c.level === 3 ? 'MQTT 3.1' : c.level === 4 ? 'MQTT 3.1.1' : 'MQTT 5.0',
    [c.level === 5 ? 'reason_code' : 'return_code']: c.code,
    code_name: c.codeName,
    session_present: c.sessionPresent,
    connects: tried,
    ...(c.properties !== undefined ? { properties: c.properties } : {}),
    ...(x.tls !== undefined ? { tls: x.tls } : {}),
  };
  const finding: ServiceFinding = {
    ...base, service: 'mqtt', status: 'open', error: '', banner: connackBanner(c),
    no_auth: c.accepted ? 1 : 0, login_prompt: c.authRequired ? 1 : 0, ...tlsFields(x.tls),
  };
  if (c.accepted) tags.push('mqtt-anonymous');

  const list = ctx.credentials;
  if (list !== undefined && ctx.maxCredentialAttempts > 0 && c.authRequired && !ctx.signal.aborted) {
    const entries = sendableEntries(list.entries);
    if (entries.length > 0) {
      const r = await checkMqttCredentials(target, ctx, list.id, entries, { level: c.level, tls, clientId });
      details['credential_check'] = credentialDetails(r);
      Object.assign(finding, checkFindingFields(list.id, r));
      if (finding.weak_credential === 1) tags.push('default-credential');
    }
  }
  return { identified: true, finding: { ...finding, ...(tags.length > 0 ? { tags } : {}), details: JSON.stringify(details) } };
}

export const mqttModule: L7Module = {
  name: 'mqtt',
  defaultPorts: MQTT_DEFAULT_PORTS,
  probe: (target, ctx) => probeMqtt(target, ctx),
};

export default mqttModule;
