/**
 * The Redis module (6379): one command, `INFO server`, sent as a RESP array, and one reply read.
 * A bulk reply means the server answered without authentication: `no_auth=1`, tag
 * `redis-unauthenticated`, product and version, and a few non-sensitive INFO fields in `details`
 * (redis_version, os, redis_mode, uptime_in_days; Valkey's server_name/valkey_version). `-NOAUTH`
 * (or an `-ERR` naming AUTH, or older servers' "operation not permitted") means a password is
 * required: `login_prompt=1`. `-DENIED` is protected mode. No other command is ever sent — no
 * AUTH, CONFIG, KEYS or QUIT; the connection is just closed.
 */
import type { L7Module, ModuleResult, ProbeContext, ProbeTarget } from '../module.js';
import type { ServiceFinding } from '../../schema/service-observation.js';
import { bannerText } from '../identify/banner-text.js';
import { ByteStream } from '../ssh/byte-stream.js';
import { decodeReply, encodeCommand, parseInfo, type RespResult } from '../redis/resp.js';
import { tryConnect } from '../try-connect.js';

export const REDIS_DEFAULT_PORTS: readonly number[] = [6379];
export const MAX_REDIS_BYTES = 64 * 1024;
/** The only command this module sends. */
export const INFO_SERVER = encodeCommand(['INFO', 'server']);
/** INFO fields kept (nothing about clients, memory contents, paths, config or keys). */
export const KEPT_INFO_FIELDS: readonly string[] = ['redis_version', 'os', 'redis_mode', 'uptime_in_days', 'server_name', 'valkey_version'];

const AUTH_ERROR = /^(NOAUTH\b|ERR\b.*\bAUTH\b|ERR operation not permitted)/i;


function infoDetails(text: string): Record<string, string> {
  const info = parseInfo(text);
  const d: Record<string, string> = {};
  for (const k of KEPT_INFO_FIELDS) {
    const v = info.get(k);
    if (v !== undefined) d[k] = v.slice(0, 200);
  }
  return d;
}

/** Product and version from the kept fields: Valkey says so in server_name; Redis otherwise. */
function productOf(d: Record<string, string>): { product: string; version: string } {
  if (d['server_name'] === 'valkey' && d['valkey_version'] !== undefined) return { product: 'Valkey', version: d['valkey_version'] };
  return { product: 'Redis', version: d['redis_version'] ?? '' };
}

function unauthenticated(base: ServiceFinding, text: string, extra: { error?: string; cut?: boolean } = {}): ModuleResult {
  const d = infoDetails(text);
  const { product, version } = productOf(d);
  return {
    identified: true,
    finding: {
      ...base, service: 'redis', status: extra.error !== undefined ? 'error' : 'open', error: extra.error ?? '',
      banner: bannerText(Buffer.from(`redis_version:${d['redis_version'] ?? ''}`, 'latin1')),
      no_auth: 1, login_prompt: 0, tags: ['redis-unauthenticated'], product, version,
      ...(product === 'Redis' ? { vendor: 'Redis' } : {}),
      details: JSON.stringify({ reply: 'bulk', ...d, ...(extra.cut === true ? { cut_short: true } : {}) }),
    },
  };
}

export async function probeRedis(target: ProbeTarget, ctx: ProbeContext): Promise<ModuleResult> {
  const base: ServiceFinding = { ip: target.ip, port: target.port, transport: target.transport };
  const c = await tryConnect(target, ctx, 'redis');
  if (!('sock' in c)) return { identified: false, finding: { ...base, service: 'unknown', status: c.status, error: `redis: connect: ${c.error}` } };
  const sock = c.sock;
  const stream = new ByteStream(sock, MAX_REDIS_BYTES, ctx.signal);
  let r: RespResult;
  let seen: Buffer = Buffer.alloc(0);
  try {
    sock.write(INFO_SERVER);
    r = await stream.read<RespResult>((buf) => {
      seen = buf;
      const x = decodeReply(buf);
      return x.kind === 'incomplete' ? null : { value: x, used: x.kind === 'value' ? x.used : 0 };
    }, ctx.readTimeoutMs, 'INFO reply');
  } catch (e) {
    const raw = Buffer.from(stream.pending);
    sock.destroy();
    const msg = e instanceof Error ? e.message : String(e);
    if (stream.received === 0) {
      return { identified: false, finding: { ...base, service: 'unknown', status: /no answer within/.test(msg) ? 'timeout' : 'error', error: `redis: ${msg}` } };
    }
    // A bulk INFO reply cut short: still Redis without a password, with what arrived.
    const head = /^\$(\d{1,6})\r\n/.exec(raw.toString('latin1', 0, 16));
    if (head !== null && raw.includes('redis_version:')) {
      const body = raw.subarray(head[0].length).toString('latin1');
      return unauthenticated(base, body.slice(0, body.lastIndexOf('\n') + 1), { error: `redis: INFO reply cut short: ${msg}`, cut: true });
    }
    return { identified: false, finding: { ...base, service: 'unknown', status: 'error', error: `redis: ${msg}`, ...(raw.length > 0 ? { banner: bannerText(raw) } : {}) } };
  }
  const raw = Buffer.from(seen.subarray(0, 4096));
  sock.destroy();
  if (r.kind !== 'value') {
    return { identified: false, finding: { ...base, service: 'unknown', status: 'error', error: `redis: not RESP: ${r.kind === 'malformed' ? r.reason : 'incomplete'}`, banner: bannerText(raw) } };
  }
  const v = r.value;
  if (v.type === 'bulk' && v.value !== null) return unauthenticated(base, v.value.toString('latin1'));
  if (v.type === 'error') {
    const text = v.value.slice(0, 500);
    const auth = AUTH_ERROR.test(text);
    const denied = /^DENIED\b/.test(text);
    return {
      identified: true,
      finding: {
        ...base, service: 'redis', status: 'open', error: '', banner: bannerText(Buffer.from(`-${text}`, 'latin1')),
        login_prompt: auth ? 1 : 0, no_auth: 0, ...(denied ? { tags: ['redis-protected-mode'] } : {}),
        details: JSON.stringify({ reply: 'error', error_reply: text, ...(auth ? { auth_required: true } : {}), ...(denied ? { protected_mode: true } : {}) }),
      },
    };
  }
  if (v.type === 'simple') {
    // RESP, but not what Redis says to INFO (a proxy or an imitation): identified, nothing concluded.
    return {
      identified: true,
      finding: { ...base, service: 'redis', status: 'open', error: '', banner: bannerText(Buffer.from(`+${v.value}`, 'latin1')), details: JSON.stringify({ reply: 'simple', text: v.value.slice(0, 200) }) },
    };
  }
  // An array or an integer to INFO: an echo or another protocol that happens to parse.
  return { identified: false, finding: { ...base, service: 'unknown', status: 'error', error: `redis: unexpected ${v.type} reply to INFO`, banner: bannerText(raw) } };
}

export const redisModule: L7Module = {
  name: 'redis',
  defaultPorts: REDIS_DEFAULT_PORTS,
  probe: probeRedis,
};

export default redisModule;
