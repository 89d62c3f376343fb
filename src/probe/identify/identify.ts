/**
 * LZR-style identification of the service on a port: try the protocol the port suggests first,
 * then peek at what the server says on its own (first-bytes classifier), and for a silent server
 * the request-first protocols in order of likelihood. What a server answered to a module that did
 * not recognise it is classified too (a Redis answers an HTTP request with `-ERR`, a TLS server
 * with an alert): the protocols it points to are tried next. Stops at the first module that says
 * identified=true; at most `maxAttempts` module attempts. Never throws for what the peer does.
 */
import type { L7Module, ModuleResult, ProbeContext, ProbeTarget } from '../module.js';
import type { ServiceFinding } from '../../schema/service-observation.js';
import { bannerBytes, bannerText } from './banner-text.js';
import { isScopeRefusal } from './scope-errors.js';
import { REQUEST_FIRST_ORDER, SERVER_FIRST_ORDER, classifyFirstBytes } from './first-bytes.js';
import { tryConnect } from '../try-connect.js';

export interface IdentifyOptions {
  /**
   * Module attempts at most (the banner peek is not counted). Default 6: enough for every
   * request-first protocol on a port that says nothing and closes on what it does not speak.
   */
  readonly maxAttempts?: number;
  /** How long to wait for a server to speak first. Default min(readTimeoutMs, 2000). */
  readonly bannerWaitMs?: number;
  /** Bytes kept from the peek. Default 4096. */
  readonly maxBannerBytes?: number;
}

export interface IdentifyResult extends ModuleResult {
  /** Modules tried, in order, with the error each reported when it did not identify. */
  readonly attempts: readonly { module: string; identified: boolean; error: string }[];
  /** What the server said by itself (undefined when the peek was not needed or failed). */
  readonly firstBytes?: Buffer;
}

export const DEFAULT_MAX_ATTEMPTS = 6;

export interface Peek {
  readonly bytes: Buffer;
  readonly error?: string;
  readonly status?: 'closed' | 'timeout' | 'error';
}

/** Connects and waits briefly for the server to speak first; sends nothing. */
export async function peekFirstBytes(target: ProbeTarget, ctx: ProbeContext, waitMs: number, maxBytes: number): Promise<Peek> {
  const c = await tryConnect(target, ctx, 'identify');
  if (!('sock' in c)) return { bytes: Buffer.alloc(0), error: `connect: ${c.error}`, status: c.status };
  const sock = c.sock;
  return new Promise<Peek>((resolve) => {
    const chunks: Buffer[] = [];
    let n = 0;
    let settle: ReturnType<typeof setTimeout> | undefined;
    const finish = (): void => {
      clearTimeout(timer);
      if (settle !== undefined) clearTimeout(settle);
      ctx.signal.removeEventListener('abort', finish);
      sock.removeAllListeners('data');
      sock.destroy();
      resolve({ bytes: Buffer.concat(chunks).subarray(0, maxBytes) });
    };
    const timer = setTimeout(finish, waitMs);
    ctx.signal.addEventListener('abort', finish, { once: true });
    sock.on('data', (d: Buffer) => {
      chunks.push(d);
      n += d.length;
      if (n >= maxBytes) { finish(); return; }
      // A banner usually comes in one or two segments: wait a little for the rest, not the full wait.
      if (settle === undefined) settle = setTimeout(finish, Math.min(150, waitMs));
    });
    sock.on('error', finish);
    sock.on('close', finish);
  });
}

/** Candidate order: port defaults, then the classifier's picks, then by likelihood. */
export function orderModules(port: number, modules: readonly L7Module[], firstBytes: Buffer | undefined): L7Module[] {
  const byName = new Map(modules.map((m) => [m.name, m]));
  const out: L7Module[] = [];
  const add = (m: L7Module | undefined): void => { if (m !== undefined && !out.includes(m)) out.push(m); };
  const spoke = firstBytes !== undefined && firstBytes.length > 0;
  if (spoke) for (const name of classifyFirstBytes(firstBytes)) add(byName.get(name));
  for (const m of modules) if (m.defaultPorts.includes(port)) add(m);
  if (spoke) {
    // It spoke first but we did not recognise it: server-first protocols are the better bet.
    for (const name of SERVER_FIRST_ORDER) add(byName.get(name));
    for (const name of REQUEST_FIRST_ORDER) add(byName.get(name));
  } else {
    for (const name of REQUEST_FIRST_ORDER) add(byName.get(name));
    for (const name of SERVER_FIRST_ORDER) add(byName.get(name));
  }
  for (const m of modules) add(m);
  return out;
}

/** What a server answered a module's request points to its protocol: those modules go first. */
function promote(queue: L7Module[], reply: Buffer | undefined): void {
  if (reply === undefined || reply.length === 0) return;
  const hinted = classifyFirstBytes(reply).map((n) => queue.find((q) => q.name === n)).filter((q): q is L7Module => q !== undefined);
  for (const h of hinted.reverse()) {
    queue.splice(queue.indexOf(h), 1);
    queue.unshift(h);
  }
}

async function attempt(m: L7Module, target: ProbeTarget, ctx: ProbeContext): Promise<ModuleResult> {
  try {
    return await m.probe(target, ctx);
  } catch (e) {
    if (isScopeRefusal(e)) throw e;
    // The contract says modules never throw for the peer; a throw is still kept to this target.
    const msg = e instanceof Error ? e.message : String(e);
    return { identified: false, finding: { ip: target.ip, port: target.port, transport: target.transport, status: 'error', error: `${m.name}: ${msg}` } };
  }
}

export async function identifyService(
  target: ProbeTarget, ctx: ProbeContext, modules: readonly L7Module[], opts: IdentifyOptions = {},
): Promise<IdentifyResult> {
  const maxAttempts = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const waitMs = opts.bannerWaitMs ?? Math.min(ctx.readTimeoutMs, 2000);
  const maxBannerBytes = opts.maxBannerBytes ?? 4096;
  const attempts: { module: string; identified: boolean; error: string }[] = [];
  const tried = new Set<L7Module>();
  const base: ServiceFinding = { ip: target.ip, port: target.port, transport: target.transport };

  let lastReply: Buffer | undefined;
  const run = async (m: L7Module): Promise<ModuleResult | null> => {
    tried.add(m);
    const r = await attempt(m, target, ctx);
    lastReply = r.identified || !r.finding.banner ? undefined : bannerBytes(r.finding.banner);
    attempts.push({ module: m.name, identified: r.identified, error: r.finding.error ?? '' });
    // A module that recognised its protocol names the service even if it left the column empty.
    return r.identified ? { ...r, finding: { ...r.finding, service: r.finding.service || m.name } } : null;
  };

  // The port's own protocol first, without a peek: the common case costs one connection.
  const expected = modules.find((m) => m.defaultPorts.includes(target.port));
  if (expected !== undefined && maxAttempts > 0) {
    const r = await run(expected);
    if (r !== null) return { ...r, attempts };
  }
  if (ctx.signal.aborted) return { identified: false, finding: { ...base, status: 'error', service: 'unknown', error: 'aborted' }, attempts };

  const peek = await peekFirstBytes(target, ctx, waitMs, maxBannerBytes);
  if (peek.status !== undefined) {
    return { identified: false, finding: { ...base, status: peek.status, service: 'unknown', error: peek.error ?? '' }, attempts };
  }
  const queue = orderModules(target.port, modules, peek.bytes);
  promote(queue, lastReply);
  while (queue.length > 0) {
    if (attempts.length >= maxAttempts || ctx.signal.aborted) break;
    const m = queue.shift() as L7Module;
    if (tried.has(m)) continue;
    const r = await run(m);
    if (r !== null) return { ...r, attempts, firstBytes: peek.bytes };
    promote(queue, lastReply);
  }
  const summary = attempts.map((a) => a.module).join(', ');
  return {
    identified: false,
    attempts,
    firstBytes: peek.bytes,
    finding: {
      ...base,
      status: 'open',
      service: 'unknown',
      banner: bannerText(peek.bytes),
      error: attempts.length > 0 ? `not identified (tried ${summary})` : 'not identified (no module to try)',
      details: JSON.stringify({ tried: attempts.map((a) => ({ module: a.module, error: a.error.slice(0, 200) })), first_bytes: peek.bytes.length }),
    },
  };
}
