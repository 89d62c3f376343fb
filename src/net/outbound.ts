/**
 * Where the server may connect when a user names the URL (webhooks, TAXII remotes): a request
 * made from the server, inside its network, would otherwise reach the loopback interface, the
 * private network, the cloud metadata service (server-side request forgery). The host is resolved
 * (every address) and each address is checked against the ranges below, in whatever form it
 * came: the WHATWG URL parser has already turned `2130706433`, `0x7f.1` and `017700000001` into
 * `127.0.0.1`, and IPv4 inside IPv6 (mapped, NAT64, 6to4) is checked as the IPv4 address it
 * reaches. An operator may allow ranges in the configuration (each caller names its setting); a
 * metadata address needs an entry of its own. The caller connects to the addresses checked here
 * and to nothing else (`pinnedLookup`).
 */
import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { parseIpBigint, type BigintIp } from './ip.js';

/** Name → every address it resolves to (dns.lookup with `all` unless a test gives its own). */
export type Resolve = (host: string) => Promise<readonly { address: string; family: number }[]>;

export interface OutboundPolicy {
  /** CIDRs the operator allowed although they are private, loopback, … */
  readonly allow: readonly string[];
  /** The configuration key that holds `allow`, named in refusals ("notify.webhookAllow"). */
  readonly setting: string;
  readonly resolve?: Resolve;
}

export type OutboundTarget =
  /** `addresses`: every address the host resolved to, all checked; the connection may use only these. */
  | { readonly ok: true; readonly url: URL; readonly addresses: readonly { address: string; family: 4 | 6 }[] }
  /** `permanent`: the URL or policy refuses it (retrying cannot help); else resolution failed. */
  | { readonly ok: false; readonly permanent: boolean; readonly reason: string };

export interface AddressRange { family: 4 | 6; lo: bigint; hi: bigint; single: boolean }

const METADATA = 'cloud metadata';

function range(cidr: string): AddressRange | undefined {
  const m = /^([^/\s]+)\/(\d{1,3})$/.exec(cidr.trim());
  const ip = m ? parseIpBigint(m[1] as string) : undefined;
  if (!m || !ip) return undefined;
  const width = ip.family === 4 ? 32 : 128;
  const bits = Number(m[2]);
  if (bits > width) return undefined;
  const host = (1n << BigInt(width - bits)) - 1n;
  return { family: ip.family, lo: ip.value & ~host, hi: (ip.value & ~host) | host, single: bits === width };
}

function mustRange(cidr: string): AddressRange {
  const r = range(cidr);
  if (!r) throw new Error(`not a CIDR: ${cidr}`);
  return r;
}

/** First match wins: the narrower label before the wider range that holds it. */
const REFUSED: readonly { range: AddressRange; label: string }[] = ([
  ['169.254.169.254/32', METADATA], // AWS, GCP, Azure, OpenStack, Oracle…
  ['168.63.129.16/32', METADATA], // Azure WireServer
  ['100.100.100.200/32', METADATA], // Alibaba Cloud
  ['fd00:ec2::254/128', METADATA], // AWS over IPv6
  ['0.0.0.0/8', 'unspecified ("this network")'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'carrier-grade NAT (shared)'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved (IETF protocol assignments)'],
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', 'reserved (6to4 relay anycast)'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved (benchmarking)'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['255.255.255.255/32', 'broadcast'],
  ['240.0.0.0/4', 'reserved'],
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['::/8', 'reserved (IPv4-compatible/translated)'],
  ['64:ff9b:1::/48', 'private (local-use NAT64)'],
  ['100::/64', 'reserved (discard-only)'],
  ['2001::/23', 'reserved (IETF protocol assignments, Teredo)'],
  ['2001:db8::/32', 'documentation'],
  ['3fff::/20', 'documentation'],
  ['fc00::/7', 'private (unique local)'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'private (site-local)'],
  ['ff00::/8', 'multicast'],
] as const).map(([cidr, label]) => ({ range: mustRange(cidr), label }));

const inRange = (ip: BigintIp, r: AddressRange): boolean => ip.family === r.family && r.lo <= ip.value && ip.value <= r.hi;

/** The IPv4 address an IPv6 one reaches through a translation or tunnel, and which one. */
function embeddedV4(ip: BigintIp): { v4: BigintIp; form: string } | undefined {
  if (ip.family !== 6) return undefined;
  const low32 = ip.value & 0xffffffffn;
  if (ip.value >> 32n === 0xffffn) return { v4: { family: 4, value: low32 }, form: 'IPv4-mapped' };
  if (ip.value >> 32n === 0x64ff9b0000000000000000n) return { v4: { family: 4, value: low32 }, form: 'NAT64' };
  if (ip.value >> 112n === 0x2002n) return { v4: { family: 4, value: (ip.value >> 80n) & 0xffffffffn }, form: '6to4' };
  return undefined;
}

/** Parses the allowed CIDRs; throws naming the first that is not one. */
export function allowRanges(allow: readonly string[], setting = 'allow'): AddressRange[] {
  return allow.map((c) => {
    const r = range(c);
    if (!r) throw new Error(`${setting}: not a CIDR: ${c}`);
    return r;
  });
}

/** Why `address` may not be contacted ("loopback", and the IPv4 form it reaches), or undefined when it may. */
export function refusedAddress(address: string, allow: readonly AddressRange[]): { label: string; note: string } | undefined {
  const ip = parseIpBigint(address.replace(/%.*$/, ''));
  if (!ip) return { label: 'unparsable', note: '' };
  const inner = embeddedV4(ip);
  if (inner) {
    const v4 = formatV4(inner.v4.value);
    const r = refusedAddress(v4, allow);
    return r && { label: r.label, note: ` (${v4} in ${inner.form} form)` };
  }
  const hit = REFUSED.find((d) => inRange(ip, d.range));
  if (!hit) return undefined;
  // A range allowed for a private network does not open the metadata service inside it.
  const allowed = allow.some((a) => inRange(ip, a) && (hit.label !== METADATA || a.single));
  return allowed ? undefined : { label: hit.label, note: '' };
}

const formatV4 = (v: bigint): string => [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join('.');

const systemResolve: Resolve = (host) => lookup(host, { all: true, verbatim: true });

/**
 * Checks a URL: http(s) only, every address of its host outside the refused ranges (unless
 * allowed). On success, the addresses to connect to: those checked, nothing else.
 */
export async function checkOutboundTarget(url: string, policy: OutboundPolicy, signal?: AbortSignal): Promise<OutboundTarget> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { ok: false, permanent: true, reason: 'not a URL' };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { ok: false, permanent: true, reason: 'not an http or https URL' };
  let allow: AddressRange[];
  try {
    allow = allowRanges(policy.allow, policy.setting);
  } catch (e) {
    return { ok: false, permanent: true, reason: (e as Error).message };
  }
  const host = u.hostname.replace(/^\[|\]$/g, '');
  let addresses: readonly { address: string; family: number }[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    try {
      addresses = await withSignal((policy.resolve ?? systemResolve)(host), signal);
    } catch (e) {
      const code = (e as { code?: string }).code;
      return { ok: false, permanent: false, reason: `${host} does not resolve${code ? ` (${code})` : ''}` };
    }
    if (addresses.length === 0) return { ok: false, permanent: false, reason: `${host} does not resolve` };
  }
  for (const a of addresses) {
    const why = refusedAddress(a.address, allow);
    if (why !== undefined) {
      const article = /^[aeiou]/.test(why.label) ? 'an' : 'a';
      // Which address a name has is not repeated: the answer must not map someone's internal DNS.
      const reason = a.address === host ? `${host} is ${article} ${why.label} address${why.note}` : `${host} resolves to ${article} ${why.label} address`;
      return { ok: false, permanent: true, reason: `${reason}; a platform admin can allow a range with ${policy.setting}` };
    }
  }
  return { ok: true, url: u, addresses: addresses.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 })) };
}

function withSignal<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Answers a connection's lookup with the checked addresses only (all of them for happy eyeballs), so a name that resolves elsewhere a moment later (DNS rebinding) changes nothing. */
export function pinnedLookup(addresses: readonly { address: string; family: 4 | 6 }[]): LookupFunction {
  return (_host, opts, cb) => {
    const [first] = addresses;
    if (opts.all) cb(null, addresses.map((a) => ({ ...a })));
    else if (first) cb(null, first.address, first.family);
    else cb(Object.assign(new Error('no address'), { code: 'ENOTFOUND' }), '', 4);
  };
}
