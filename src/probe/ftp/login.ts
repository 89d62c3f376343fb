/**
 * FTP logins for the survey: the anonymous check (USER anonymous, PASS an e-mail-like string, as
 * RFC 1635 asks) and the NOTICE default-credential check (USER/PASS per list entry; 230 is a
 * success, 530 a failure, 421 or a closed connection ends the connection). Every connection is
 * asked for through the caller (the probe gate); after a success only QUIT is sent. Results name
 * entry ids, never passwords; server replies after PASS are not kept.
 */
import type { CredentialEntry } from '../module.js';
import type { FtpConnection } from './client.js';
import type { FtpReply } from './reply.js';

/** The anonymous password: e-mail-like, names the survey, in a reserved domain (RFC 2606). */
export const ANONYMOUS_PASSWORD = 'survey@sakimori.invalid';

export type LoginOutcome = 'success' | 'failure' | 'lockout' | 'no-answer' | 'closed';

export interface LoginResult {
  readonly outcome: LoginOutcome;
  /** Reply code that decided (0 when none came). */
  readonly code: number;
  /** The server asked for a password (331) before letting in. */
  readonly passwordAsked: boolean;
}

const LOCKOUT_RE = /too many|locked|lock(?:ed)?\s?out|try again later|temporarily|blocked|exceeded/i;

function fromReply(r: FtpReply, passwordAsked: boolean): LoginResult {
  if (r.code === 230 || r.code === 202) return { outcome: 'success', code: r.code, passwordAsked };
  if (r.code === 421 || LOCKOUT_RE.test(r.lines.join(' '))) {
    return { outcome: LOCKOUT_RE.test(r.lines.join(' ')) ? 'lockout' : 'closed', code: r.code, passwordAsked };
  }
  return { outcome: 'failure', code: r.code, passwordAsked };
}

function fromError(e: unknown): LoginResult {
  const msg = e instanceof Error ? e.message : String(e);
  return { outcome: /closed|ECONNRESET|EPIPE/i.test(msg) ? 'closed' : 'no-answer', code: 0, passwordAsked: false };
}

/** USER then, when asked (331), PASS. 332 (an account is needed) counts as a failure. */
export async function ftpLogin(c: FtpConnection, username: string, password: string): Promise<LoginResult> {
  let r: FtpReply;
  try {
    r = await c.command('USER', username);
  } catch (e) { return fromError(e); }
  if (r.code !== 331) return fromReply(r, false);
  try {
    r = await c.command('PASS', password);
  } catch (e) { return { ...fromError(e), passwordAsked: true }; }
  return fromReply(r, true);
}

export interface FtpCredentialResult {
  readonly outcome: 'success' | 'exhausted' | 'lockout' | 'stopped';
  readonly attempts: number;
  readonly connections: number;
  readonly entryId?: string;
  readonly reason?: string;
  readonly log: readonly { readonly id: string; readonly outcome: LoginOutcome; readonly code: number }[];
}

/** A fresh connection whose greeting was 220, or why none could be had. */
export type FtpReconnect = () => Promise<FtpConnection | { error: string }>;

export async function checkFtpCredentials(
  entries: readonly CredentialEntry[], maxAttempts: number, reconnect: FtpReconnect, signal: AbortSignal,
): Promise<FtpCredentialResult> {
  const log: { id: string; outcome: LoginOutcome; code: number }[] = [];
  let conn: FtpConnection | undefined;
  let connections = 0;
  const done = async (r: Omit<FtpCredentialResult, 'attempts' | 'connections' | 'log'>): Promise<FtpCredentialResult> => {
    if (conn !== undefined) await conn.quit();
    return { ...r, attempts: log.length, connections, log };
  };
  for (const e of entries) {
    if (log.length >= maxAttempts) break;
    if (signal.aborted) return done({ outcome: 'stopped', reason: 'aborted' });
    let r: LoginResult | undefined;
    for (let tries = 0; r === undefined; tries++) {
      const reused = conn !== undefined;
      if (conn === undefined) {
        const c = await reconnect();
        if ('error' in c) return done({ outcome: 'stopped', reason: c.error });
        connections++;
        conn = c;
      }
      const got = await ftpLogin(conn, e.username, e.password);
      // A reused connection that the server closed before asking for the password (vsftpd after
      // max_login_fails): not an attempt; the entry is tried again on a fresh connection, once.
      if (reused && tries === 0 && !got.passwordAsked && (got.outcome === 'closed' || got.outcome === 'no-answer')) {
        conn.destroy();
        conn = undefined;
        continue;
      }
      r = got;
    }
    if (conn === undefined) break;
    log.push({ id: e.id, outcome: r.outcome, code: r.code });
    // Right after a login only QUIT goes out (done() sends it).
    if (r.outcome === 'success') return done({ outcome: 'success', entryId: e.id });
    if (r.outcome === 'lockout') return done({ outcome: 'lockout', reason: `the server reported a lockout (${r.code})` });
    if (r.outcome !== 'failure') {
      conn.destroy();
      conn = undefined;
    }
  }
  return done({ outcome: 'exhausted' });
}
