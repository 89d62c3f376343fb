/**
 * The NOTICE default-credential check over telnet: for each list entry (at most `maxAttempts`),
 * the user name at the login prompt, the password at the password prompt, then the verdict from
 * what the server shows: a shell prompt (or a BusyBox banner) is a success, a new login or
 * password prompt or a failure message is a failure, a lockout message stops the check. One
 * connection is reused while the server keeps asking; otherwise a new one is opened (through the
 * caller, so every connection passes the probe gate). At the first success the connection is
 * closed at once: nothing is ever sent after a login. Passwords are only ever written to the
 * socket; results name the entry id.
 */
import type { CredentialEntry } from '../module.js';
import type { TelnetConnection, WaitLimits, WaitResult } from './connection.js';
import { hasFailureText, hasLockoutText, hasShellBanner, promptAtEnd, screenText, type PromptKind } from './prompts.js';

export type AttemptOutcome = 'success' | 'failure' | 'lockout' | 'no-answer' | 'closed';

export interface CredentialCheckResult {
  /** success: an entry was accepted; exhausted: every entry allowed was refused; lockout/stopped: ended early. */
  readonly outcome: 'success' | 'exhausted' | 'lockout' | 'stopped';
  readonly attempts: number;
  readonly connections: number;
  /** The accepted entry's id (never its password). */
  readonly entryId?: string;
  /** The server asked for a password for the accepted entry. */
  readonly passwordAsked?: boolean;
  /** Why the check stopped early (no password, user name or server text in it). */
  readonly reason?: string;
  /** Outcome per attempt, in order (entry ids only). */
  readonly log: readonly { readonly id: string; readonly outcome: AttemptOutcome }[];
}

/** A fresh connection showing a prompt, or why none could be had. */
export type Reconnect = () => Promise<{ conn: TelnetConnection; prompt: PromptKind | undefined } | { error: string }>;

export interface CredentialCheckOptions {
  readonly entries: readonly CredentialEntry[];
  readonly maxAttempts: number;
  readonly limits: WaitLimits;
  readonly signal: AbortSignal;
  /** Wait after a shell prompt for more text before calling it a success. */
  readonly settleMs?: number;
}

type Step = { kind: 'prompt'; prompt: PromptKind } | { kind: 'lockout' } | { kind: 'banner' };

function decide(text: Buffer): Step | undefined {
  const s = screenText(text);
  const p = promptAtEnd(s);
  if (p !== undefined) {
    if (p !== 'shell' && hasLockoutText(s)) return { kind: 'lockout' };
    return { kind: 'prompt', prompt: p };
  }
  if (hasShellBanner(s)) return { kind: 'banner' };
  return undefined;
}

/** After a shell prompt: a little more time for text that would change the verdict. */
async function settledShell(c: TelnetConnection, ms: number): Promise<boolean> {
  if (ms <= 0) return true;
  const r = await c.waitFor(() => undefined, { firstMs: ms, idleMs: ms, capMs: ms * 3 });
  const s = screenText(r.text);
  const p = promptAtEnd(s);
  return p === 'shell' || (p === undefined && hasShellBanner(s)) || (p === undefined && !hasFailureText(s));
}

/**
 * The screen after a line we sent. An echoed line end is no answer yet: BusyBox login ends the
 * password line at once, then sleeps 3 s before "Login incorrect" (and a slow device may take as
 * long to show its shell). So when only white space came before the idle wait ran out, the next
 * bytes get a full first-byte wait once more.
 */
async function afterLine(c: TelnetConnection, lim: WaitLimits): Promise<WaitResult<Step>> {
  const r = await c.waitFor(decide, lim);
  if (r.value !== undefined || r.end !== 'idle' || screenText(r.text).trim() !== '') return r;
  return c.waitFor(decide, { firstMs: lim.firstMs, idleMs: lim.idleMs, capMs: lim.firstMs + lim.idleMs });
}

interface AttemptResult {
  readonly outcome: AttemptOutcome;
  /** The prompt now shown when the connection can be reused. */
  readonly next?: PromptKind;
  readonly passwordAsked: boolean;
}

async function attempt(c: TelnetConnection, prompt: 'login' | 'password', e: CredentialEntry, o: CredentialCheckOptions): Promise<AttemptResult> {
  const settle = o.settleMs ?? 300;
  let passwordAsked = prompt === 'password';
  if (prompt === 'login') {
    c.mark();
    c.sendLine(e.username);
    const r = await afterLine(c, o.limits);
    const v = r.value;
    if (v === undefined) return { outcome: ending(r.end, r.text), passwordAsked };
    if (v.kind === 'lockout') return { outcome: 'lockout', passwordAsked };
    if (v.kind === 'banner' || (v.kind === 'prompt' && v.prompt === 'shell')) {
      // In without a password being asked.
      return await settledShell(c, settle) ? { outcome: 'success', passwordAsked } : { outcome: 'failure', passwordAsked };
    }
    if (v.prompt === 'login') return { outcome: 'failure', next: 'login', passwordAsked };
    passwordAsked = true;
  }
  c.mark();
  c.sendLine(e.password);
  const r = await afterLine(c, o.limits);
  const v = r.value;
  if (v === undefined) return { outcome: ending(r.end, r.text), passwordAsked };
  if (v.kind === 'lockout') return { outcome: 'lockout', passwordAsked };
  if (v.kind === 'banner' || v.prompt === 'shell') {
    return await settledShell(c, settle) ? { outcome: 'success', passwordAsked } : { outcome: 'failure', passwordAsked };
  }
  // A new login prompt is reusable. A password prompt again is reusable only on a password-only
  // service; after a user name it is left (we would not know which user it asks for).
  if (v.prompt === 'login') return { outcome: 'failure', next: 'login', passwordAsked };
  return { outcome: 'failure', ...(prompt === 'password' ? { next: 'password' as const } : {}), passwordAsked };
}

function ending(end: string, text: Buffer): AttemptOutcome {
  const s = screenText(text);
  if (hasLockoutText(s)) return 'lockout';
  if (hasFailureText(s)) return 'failure';
  return end === 'closed' ? 'closed' : 'no-answer';
}

/**
 * Runs the check starting on `first`, which shows `prompt`. The caller closes nothing: every
 * connection this opens or is given is destroyed before it returns.
 */
export async function checkTelnetCredentials(first: TelnetConnection, prompt: 'login' | 'password', reconnect: Reconnect, o: CredentialCheckOptions): Promise<CredentialCheckResult> {
  const log: { id: string; outcome: AttemptOutcome }[] = [];
  let conn: TelnetConnection | undefined = first;
  let shown: PromptKind | undefined = prompt;
  let connections = 1;
  const passwordOnly = prompt === 'password';
  const triedPasswords = new Set<string>();
  const done = (r: Omit<CredentialCheckResult, 'attempts' | 'connections' | 'log'>): CredentialCheckResult => {
    conn?.destroy();
    return { ...r, attempts: log.length, connections, log };
  };
  for (const e of o.entries) {
    if (log.length >= o.maxAttempts) break;
    if (o.signal.aborted) return done({ outcome: 'stopped', reason: 'aborted' });
    // A password-only service: the user name does not matter, each password once.
    if (passwordOnly && triedPasswords.has(e.password)) continue;
    if (conn === undefined || (shown !== 'login' && shown !== 'password') || conn.closed !== undefined) {
      conn?.destroy();
      conn = undefined;
      const r = await reconnect();
      if ('error' in r) return done({ outcome: 'stopped', reason: r.error });
      connections++;
      conn = r.conn;
      shown = r.prompt;
      if (shown !== 'login' && shown !== 'password') return done({ outcome: 'stopped', reason: `no login prompt on connection ${connections}` });
    }
    if (passwordOnly) triedPasswords.add(e.password);
    const a = await attempt(conn, shown, e, o);
    log.push({ id: e.id, outcome: a.outcome });
    if (a.outcome === 'success') return done({ outcome: 'success', entryId: e.id, passwordAsked: a.passwordAsked });
    if (a.outcome === 'lockout') return done({ outcome: 'lockout', reason: 'the server reported a lockout' });
    shown = a.next;
  }
  return done({ outcome: 'exhausted' });
}
