/**
 * The NOTICE-style default-credential check for HTTP Basic and Digest: run only when the scope
 * handed the module a credential list and `/` answered 401 with a Basic or Digest challenge.
 * One connection and one request per attempt (each opened through the context with the list id,
 * so the audit log shows it), at most ctx.maxCredentialAttempts attempts, stop at the first
 * success and request nothing after it. Success is a 2xx or 3xx answer. The outcome names the
 * list entry, never the password (nor the Authorization value, which carries it).
 */
import type { CredentialEntry, CredentialList, ProbeContext, ProbeTarget } from '../module.js';
import { isScopeRefusal } from '../identify/scope-errors.js';
import { basicAuthorization, chooseChallenge, digestAlgorithm, digestAuthorization, isStale, parseChallenges, type Challenge } from './auth.js';
import { buildRequest, httpExchange } from './exchange.js';

export interface CredentialCheckResult {
  readonly list: string;
  /** Entry id accepted, when one was. */
  readonly acceptedId?: string;
  readonly attempts: number;
  readonly scheme: 'basic' | 'digest';
  readonly algorithm?: string;
  readonly realm: string;
  /** Status codes of the attempts, in order (no other detail of the answers is kept). */
  readonly statuses: readonly number[];
  /** Why the check ended before the list or the attempt bound did. */
  readonly stopped?: string;
}

export interface CredentialCheckInput {
  readonly target: ProbeTarget;
  readonly ctx: ProbeContext;
  readonly module: string;
  readonly tls: boolean;
  readonly host: string;
  readonly path: string;
  readonly challenge: Challenge;
  readonly list: CredentialList;
}

function authorization(c: Challenge, e: CredentialEntry, path: string, nc: number): string {
  return c.scheme === 'basic'
    ? basicAuthorization(e.username, e.password)
    : digestAuthorization({ challenge: c, username: e.username, password: e.password, method: 'GET', uri: path, nc });
}

/** The challenge of the same scheme in a new 401 answer (Digest: a fresh nonce), if any. */
function sameScheme(header: string | undefined, scheme: string): Challenge | null {
  if (header === undefined) return null;
  const cs = parseChallenges(header).filter((c) => c.scheme === scheme);
  return chooseChallenge(cs);
}

export async function checkHttpCredentials(i: CredentialCheckInput): Promise<CredentialCheckResult> {
  const { target, ctx, list } = i;
  let challenge = i.challenge;
  const scheme = challenge.scheme === 'digest' ? 'digest' : 'basic';
  const alg = scheme === 'digest' ? digestAlgorithm(challenge)?.name : undefined;
  const statuses: number[] = [];
  const nonceUse = new Map<string, number>();
  let attempts = 0;
  let connectErrors = 0;
  let stopped: string | undefined;
  const result = (extra: { acceptedId?: string; stopped?: string }): CredentialCheckResult => ({
    list: list.id, attempts, scheme, realm: i.challenge.params['realm'] ?? '', statuses,
    ...(alg !== undefined ? { algorithm: alg } : {}),
    ...extra,
  });

  outer:
  for (const entry of list.entries) {
    let staleRetried = false;
    for (;;) {
      if (attempts >= ctx.maxCredentialAttempts) break outer;
      if (ctx.signal.aborted) { stopped = 'aborted'; break outer; }
      attempts++;
      const nonce = challenge.params['nonce'] ?? '';
      const nc = (nonceUse.get(nonce) ?? 0) + 1;
      nonceUse.set(nonce, nc);
      let sock;
      try {
        sock = await ctx.connect(target, i.module, { ...(i.tls ? { tls: true } : {}), credentialListId: list.id });
      } catch (e) {
        if (isScopeRefusal(e)) throw e;
        statuses.push(0);
        // The service went away (or locks us out): two failed connects in a row end the check.
        if (++connectErrors >= 2) { stopped = 'connection failures'; break outer; }
        break;
      }
      connectErrors = 0;
      const req = buildRequest({ path: i.path, host: i.host, headers: [['Authorization', authorization(challenge, entry, i.path, nc)]] });
      const r = await httpExchange(sock, req, { readTimeoutMs: ctx.readTimeoutMs, signal: ctx.signal, headOnly: true });
      if (r.outcome.kind !== 'response') {
        statuses.push(0);
        if (++connectErrors >= 2) { stopped = 'no answers'; break outer; }
        break;
      }
      const st = r.outcome.response.status;
      statuses.push(st);
      if (st >= 200 && st < 400) return result({ acceptedId: entry.id });
      if (st === 429) { stopped = 'rate limited (429)'; break outer; }
      if (st === 401) {
        const next = sameScheme(r.outcome.response.headers['www-authenticate'], challenge.scheme);
        if (next !== null) {
          challenge = next;
          // stale=true: the nonce expired, not necessarily the password: once more with the new one.
          if (isStale(next) && !staleRetried) { staleRetried = true; continue; }
        }
      }
      break;
    }
  }
  return result(stopped !== undefined ? { stopped } : {});
}
