/**
 * HTTP authentication for the default-credential check: WWW-Authenticate challenges parsed
 * (several per header, several headers joined), Basic (RFC 7617) and Digest (RFC 7616, RFC 2617:
 * MD5, SHA-256, SHA-512-256 and their -sess forms, qop=auth / auth-int or none, nc, cnonce,
 * opaque, userhash). Pure functions: the caller owns the requests. The Authorization value holds
 * the password (Basic) or a hash of it (Digest): it is written to the socket and nowhere else.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface Challenge {
  /** Lower-case scheme ("basic", "digest", "bearer", …). */
  readonly scheme: string;
  /** Lower-case parameter names; quoted values unescaped. */
  readonly params: Readonly<Record<string, string>>;
  readonly token68?: string;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Splits on commas outside quoted strings. */
function splitList(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] ?? '';
    if (quoted) {
      cur += c;
      if (c === '\\' && i + 1 < s.length) { cur += s[i + 1] ?? ''; i++; } else if (c === '"') quoted = false;
    } else if (c === '"') { quoted = true; cur += c; } else if (c === ',') { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter((x) => x.length > 0);
}

function unquote(v: string): string {
  const t = v.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) return t.slice(1, -1).replace(/\\(.)/g, '$1');
  return t;
}

/** `name=value` (value a token or quoted string), or null. */
function param(item: string): [string, string] | null {
  const eq = item.indexOf('=');
  if (eq <= 0) return null;
  const name = item.slice(0, eq).trim();
  const value = item.slice(eq + 1).trim();
  if (!TOKEN.test(name) || value.length === 0 || value.startsWith('=')) return null;
  return [name.toLowerCase(), unquote(value)];
}

/** Every challenge in a WWW-Authenticate value (repeated headers already joined with ", "). */
export function parseChallenges(header: string): Challenge[] {
  const out: { scheme: string; params: Record<string, string>; token68?: string }[] = [];
  for (const item of splitList(header)) {
    const p = param(item);
    if (p !== null && out.length > 0) {
      const last = out[out.length - 1];
      if (last !== undefined) last.params[p[0]] = p[1];
      continue;
    }
    const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?:\s+([\s\S]*))?$/.exec(item);
    if (m === null) continue;
    const c: { scheme: string; params: Record<string, string>; token68?: string } = { scheme: (m[1] ?? '').toLowerCase(), params: Object.create(null) as Record<string, string> };
    const rest = (m[2] ?? '').trim();
    if (rest.length > 0) {
      const rp = param(rest);
      if (rp !== null) c.params[rp[0]] = rp[1];
      else if (/^[A-Za-z0-9._~+/-]+=*$/.test(rest)) c.token68 = rest;
    }
    out.push(c);
  }
  return out;
}

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

const DIGEST_HASHES: Readonly<Record<string, string>> = { md5: 'md5', 'sha-256': 'sha256', 'sha-512-256': 'sha512-256' };

export interface DigestAlgorithm {
  /** As written in the challenge ("MD5", "SHA-256-sess", …). */
  readonly name: string;
  readonly hash: string;
  readonly sess: boolean;
}

/** The algorithm of a Digest challenge, or null when we cannot compute it. Absent means MD5. */
export function digestAlgorithm(c: Challenge): DigestAlgorithm | null {
  const name = c.params['algorithm'] ?? 'MD5';
  const lower = name.toLowerCase();
  const sess = lower.endsWith('-sess');
  const hash = DIGEST_HASHES[sess ? lower.slice(0, -5) : lower];
  return hash === undefined ? null : { name, hash, sess };
}

const STRENGTH: Readonly<Record<string, number>> = { md5: 1, sha256: 2, 'sha512-256': 3 };

/**
 * The challenge we answer: the strongest Digest we can compute (the password then never crosses
 * the wire), else Basic; null when neither is offered.
 */
export function chooseChallenge(cs: readonly Challenge[]): Challenge | null {
  let best: Challenge | null = null;
  let bestRank = 0;
  for (const c of cs) {
    if (c.scheme === 'digest') {
      const a = digestAlgorithm(c);
      if (a !== null && c.params['nonce'] !== undefined && (STRENGTH[a.hash] ?? 0) + 10 > bestRank) { best = c; bestRank = (STRENGTH[a.hash] ?? 0) + 10; }
    } else if (c.scheme === 'basic' && bestRank < 1) { best = c; bestRank = 1; }
  }
  return best;
}

export interface DigestInput {
  readonly challenge: Challenge;
  readonly username: string;
  readonly password: string;
  readonly method: string;
  readonly uri: string;
  /** Nonce count for this nonce (1 for the first request with it). */
  readonly nc: number;
  /** Client nonce; random when omitted. */
  readonly cnonce?: string;
  /** Request body, for qop=auth-int (GET: empty). */
  readonly body?: Buffer;
}

function h(alg: string, s: string | Buffer): string {
  return createHash(alg).update(s).digest('hex');
}

function quote(s: string): string {
  return `"${s.replace(/(["\\])/g, '\\$1')}"`;
}

/** The qop we use: "auth" when offered, else "auth-int", else none (RFC 2069 compatibility). */
export function digestQop(c: Challenge): 'auth' | 'auth-int' | undefined {
  const q = c.params['qop'];
  if (q === undefined) return undefined;
  const opts = q.split(',').map((s) => s.trim().toLowerCase());
  if (opts.includes('auth')) return 'auth';
  if (opts.includes('auth-int')) return 'auth-int';
  return undefined;
}

/** The response hash of RFC 7616 §3.4.1 (and RFC 2617 §3.2.2.1). */
export function digestResponse(i: DigestInput & { cnonce: string }): { response: string; qop: 'auth' | 'auth-int' | undefined; nc: string; username: string } {
  const c = i.challenge;
  const a = digestAlgorithm(c);
  if (a === null) throw new Error(`digest algorithm "${c.params['algorithm'] ?? ''}" not supported`);
  const realm = c.params['realm'] ?? '';
  const nonce = c.params['nonce'] ?? '';
  const qop = digestQop(c);
  const nc = i.nc.toString(16).padStart(8, '0');
  let ha1 = h(a.hash, `${i.username}:${realm}:${i.password}`);
  if (a.sess) ha1 = h(a.hash, `${ha1}:${nonce}:${i.cnonce}`);
  const ha2 = qop === 'auth-int' ? h(a.hash, `${i.method}:${i.uri}:${h(a.hash, i.body ?? Buffer.alloc(0))}`) : h(a.hash, `${i.method}:${i.uri}`);
  const response = qop === undefined ? h(a.hash, `${ha1}:${nonce}:${ha2}`) : h(a.hash, `${ha1}:${nonce}:${nc}:${i.cnonce}:${qop}:${ha2}`);
  const userhash = (c.params['userhash'] ?? '').toLowerCase() === 'true';
  return { response, qop, nc, username: userhash ? h(a.hash, `${i.username}:${realm}`) : i.username };
}

/** The Authorization header value for a Digest challenge. */
export function digestAuthorization(i: DigestInput): string {
  const c = i.challenge;
  const cnonce = i.cnonce ?? randomBytes(16).toString('hex');
  const r = digestResponse({ ...i, cnonce });
  const parts = [
    `username=${quote(r.username)}`,
    `realm=${quote(c.params['realm'] ?? '')}`,
    `nonce=${quote(c.params['nonce'] ?? '')}`,
    `uri=${quote(i.uri)}`,
    ...(c.params['algorithm'] !== undefined ? [`algorithm=${c.params['algorithm']}`] : []),
    `response=${quote(r.response)}`,
    ...(r.qop !== undefined ? [`qop=${r.qop}`, `nc=${r.nc}`, `cnonce=${quote(cnonce)}`] : []),
    ...(c.params['opaque'] !== undefined ? [`opaque=${quote(c.params['opaque'])}`] : []),
    ...((c.params['userhash'] ?? '').toLowerCase() === 'true' ? ['userhash=true'] : []),
  ];
  return `Digest ${parts.join(', ')}`;
}

/** A challenge saying the nonce was stale (the credentials themselves may have been right). */
export function isStale(c: Challenge): boolean {
  return c.scheme === 'digest' && (c.params['stale'] ?? '').toLowerCase() === 'true';
}
