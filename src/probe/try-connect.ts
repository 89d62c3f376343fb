/**
 * The one way a module opens its connection: through the probe context (scope guard, rates,
 * audit), with a scope refusal passed on to the caller (the runner stops the survey) and any other
 * failure returned with the status a finding records for it.
 */
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { ConnectOptions, ProbeContext, ProbeTarget } from './module.js';
import { isScopeRefusal } from './identify/scope-errors.js';

export type ConnectStatus = 'closed' | 'timeout' | 'error';

export interface ConnectFailure {
  /** The error's message, as the caller words its own `error` text around it. */
  readonly error: string;
  readonly status: ConnectStatus;
  /** The error's code (ECONNREFUSED, ETIMEDOUT, ERR_SSL_…), '' when it has none. */
  readonly code: string;
}

/** A failed connect's message (and code) as a finding's status: refused → closed, timed out → timeout. */
export function connectStatus(msg: string, code = ''): ConnectStatus {
  return /ECONNREFUSED/.test(`${code} ${msg}`) ? 'closed' : /time(d)? ?out/i.test(msg) || code === 'ETIMEDOUT' ? 'timeout' : 'error';
}

export async function tryConnect(target: ProbeTarget, ctx: ProbeContext, module: string, opts: ConnectOptions = {}): Promise<{ sock: Socket | TLSSocket } | ConnectFailure> {
  try {
    return { sock: await ctx.connect(target, module, opts) };
  } catch (e) {
    if (isScopeRefusal(e)) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    const c = (e as { code?: unknown }).code;
    const code = typeof c === 'string' ? c : '';
    return { error: msg, status: connectStatus(msg, code), code };
  }
}
