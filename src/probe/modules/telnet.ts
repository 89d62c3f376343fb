/**
 * The telnet module: answers option negotiation as a cautious client (see ../telnet/options.ts),
 * reads what the server shows before a login (at most 64 KiB, every wait bounded), and tells a
 * login or password prompt (`login_prompt`) from a shell given without any login (`no_auth`).
 * When the scope enables credential checks it runs the NOTICE check (../telnet/login.ts): list
 * entries up to the attempt limit, stop at the first success, close at once after a login —
 * nothing is executed — and record only the list id and the entry id, never a password.
 */
import type { Socket } from 'node:net';
import type { L7Module, ModuleResult, ProbeContext, ProbeTarget } from '../module.js';
import type { ServiceFinding } from '../../schema/service-observation.js';
import { bannerText } from '../identify/banner-text.js';
import { TelnetConnection, type WaitLimits } from '../telnet/connection.js';
import { checkTelnetCredentials, type CredentialCheckResult } from '../telnet/login.js';
import { sendableEntries } from '../credentials/sendable.js';
import { hasShellBanner, lastLine, otherProtocol, promptAtEnd, screenText, type PromptKind } from '../telnet/prompts.js';
import { checkDetails, checkFindingFields } from '../credentials/check-result.js';
import { tryConnect } from '../try-connect.js';

export const TELNET_DEFAULT_PORTS: readonly number[] = [23, 2323, 23231, 9527];
/** Bytes accepted per connection. */
export const MAX_TELNET_BYTES = 64 * 1024;

export function telnetLimits(readTimeoutMs: number): WaitLimits {
  return { firstMs: readTimeoutMs, idleMs: Math.min(readTimeoutMs, 2000), capMs: readTimeoutMs * 3 };
}

interface PreLogin {
  readonly text: Buffer;
  readonly prompt: PromptKind | undefined;
  readonly nudged: boolean;
  readonly end: string;
}

/**
 * Waits for the server's first screen. When it stays silent or shows text without a prompt, one
 * empty line is sent (some devices wait for Enter) and the wait repeats once, shorter.
 */
async function readPreLogin(c: TelnetConnection, ctx: ProbeContext, nudge: boolean): Promise<PreLogin> {
  const lim = telnetLimits(ctx.readTimeoutMs);
  const decide = (t: Buffer): PromptKind | undefined => promptAtEnd(screenText(t));
  let r = await c.waitFor(decide, lim);
  let nudged = false;
  if (nudge && r.value === undefined && (r.end === 'timeout' || r.end === 'idle') && !otherProtocol(screenText(r.text))) {
    nudged = true;
    c.sendLine('');
    const short = Math.min(ctx.readTimeoutMs, 2000);
    r = await c.waitFor(decide, { firstMs: short, idleMs: Math.min(short, lim.idleMs), capMs: short * 2 });
  }
  let prompt = r.value;
  if (prompt === 'shell') {
    // A prompt-looking line may be the middle of a banner: give the rest a moment.
    const more = await c.waitFor(() => undefined, { firstMs: 300, idleMs: 300, capMs: 1000 });
    prompt = promptAtEnd(screenText(more.text));
  }
  return { text: c.text(), prompt, nudged, end: r.end };
}

async function open(target: ProbeTarget, ctx: ProbeContext, credentialListId: string | undefined): Promise<Socket | { error: string; status: 'closed' | 'timeout' | 'error' }> {
  const c = await tryConnect(target, ctx, 'telnet', credentialListId !== undefined ? { credentialListId } : {});
  return 'sock' in c ? c.sock : { error: `connect: ${c.error}`, status: c.status };
}

function credentialDetails(r: CredentialCheckResult): Record<string, unknown> {
  return checkDetails(r, r.log.map((l) => `${l.id}:${l.outcome}`), { password_asked: r.passwordAsked ?? true });
}

export async function probeTelnet(target: ProbeTarget, ctx: ProbeContext): Promise<ModuleResult> {
  const base: ServiceFinding = { ip: target.ip, port: target.port, transport: target.transport };
  const list = ctx.credentials;
  const entries = list !== undefined ? sendableEntries(list.entries) : [];
  const tryCredentials = list !== undefined && entries.length > 0 && ctx.maxCredentialAttempts > 0;
  const listId = tryCredentials ? list.id : undefined;

  const sock = await open(target, ctx, listId);
  if (!('write' in sock)) {
    return { identified: false, finding: { ...base, service: 'unknown', status: sock.status, error: `telnet: ${sock.error}` } };
  }
  const first = new TelnetConnection(sock, MAX_TELNET_BYTES, ctx.signal);
  try {
    const pre = await readPreLogin(first, ctx, true);
    const screen = screenText(pre.text);
    const seen = first.negotiator.seen;
    const shellBanner = pre.prompt === undefined && hasShellBanner(screen);
    const identified = !otherProtocol(screen) && (first.sawIac || pre.prompt !== undefined || shellBanner);
    const banner = bannerText(pre.text);
    if (!identified) {
      const silent = first.bytesReceived === 0;
      return {
        identified: false,
        finding: {
          ...base, service: 'unknown', banner,
          status: silent && pre.end === 'timeout' ? 'timeout' : 'error',
          error: `telnet: ${silent ? (pre.end === 'timeout' ? `no answer within ${ctx.readTimeoutMs} ms` : first.closed ?? pre.end) : otherProtocol(screen) ? 'another protocol answered' : 'no telnet negotiation and no prompt'}`,
        },
      };
    }
    const loginPrompt = pre.prompt === 'login' || pre.prompt === 'password';
    const noAuth = pre.prompt === 'shell' || shellBanner;
    const details: Record<string, unknown> = {
      options: { will: seen.will, wont: seen.wont, do: seen.do, dont: seen.dont, sb: seen.sb, ...(seen.commands.length > 0 ? { commands: seen.commands } : {}) },
      replies: seen.replies,
      server_echo: first.negotiator.serverEchoes,
      prompt: pre.prompt ?? 'none',
      prompt_line: lastLine(screen),
      ...(pre.nudged ? { nudged: true } : {}),
    };
    const finding: ServiceFinding = {
      ...base, service: 'telnet', status: 'open', error: '', banner,
      login_prompt: loginPrompt ? 1 : 0, no_auth: noAuth ? 1 : 0,
      ...(noAuth ? { tags: ['telnet-no-auth'] } : {}),
    };
    if (noAuth || !loginPrompt || !tryCredentials || (pre.prompt !== 'login' && pre.prompt !== 'password')) {
      // A shell without a login: nothing is sent, the connection is closed (below).
      if (pre.end === 'closed' && !loginPrompt && !noAuth) details['closed'] = first.closed ?? 'closed';
      return { identified: true, finding: { ...finding, details: JSON.stringify(details) } };
    }

    const reconnect = async (): Promise<{ conn: TelnetConnection; prompt: PromptKind | undefined } | { error: string }> => {
      const s = await open(target, ctx, listId);
      if (!('write' in s)) return { error: s.error };
      const conn = new TelnetConnection(s, MAX_TELNET_BYTES, ctx.signal);
      const p = await readPreLogin(conn, ctx, false);
      return { conn, prompt: p.prompt };
    };
    const r = await checkTelnetCredentials(first, pre.prompt, reconnect, {
      entries, maxAttempts: ctx.maxCredentialAttempts, limits: telnetLimits(ctx.readTimeoutMs), signal: ctx.signal,
    });
    details['credential_check'] = credentialDetails(r);
    return {
      identified: true,
      finding: {
        ...finding,
        ...checkFindingFields(list.id, r),
        ...(r.outcome === 'success' && r.entryId !== undefined ? { tags: ['default-credential'] } : {}),
        details: JSON.stringify(details),
      },
    };
  } finally {
    // After a success or a shell without login nothing more is sent: the socket just closes.
    first.destroy();
  }
}

export const telnetModule: L7Module = {
  name: 'telnet',
  defaultPorts: TELNET_DEFAULT_PORTS,
  probe: probeTelnet,
};

export default telnetModule;
