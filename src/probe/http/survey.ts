/**
 * The HTTP and HTTPS survey of one port: `GET /` (status, headers, title, body hash, the
 * WWW-Authenticate challenge), the favicon and its Shodan hash, the TLS facts for HTTPS, and —
 * when the scope enables it and `/` asks for Basic or Digest credentials — the default-credential
 * check. Requests in this order, each on its own connection through the probe context:
 * `/`, `/favicon.ico` (plus at most one same-host redirect), then the credential attempts;
 * nothing is requested after an accepted credential. A page that is plainly an admin UI without
 * authentication is recorded as it is: nothing is guessed or tried there.
 */
import { createHash } from 'node:crypto';
import { isIPv6, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { gunzipSync, inflateSync } from 'node:zlib';
import type { ModuleResult, ProbeContext, ProbeTarget } from '../module.js';
import type { ServiceFinding } from '../../schema/service-observation.js';
import { bannerText } from '../identify/banner-text.js';
import { captureTls, tlsFindingParts, type TlsFindingParts } from '../tls/capture.js';
import { faviconHash } from '../../util/murmur3.js';
import { chooseChallenge, parseChallenges } from './auth.js';
import { checkHttpCredentials, type CredentialCheckResult } from './credential-check.js';
import { buildRequest, hostHeader, httpExchange, type ExchangeResult } from './exchange.js';
import { decodeHtml, titleOf } from './html.js';
import type { HttpResponse } from './response.js';
import { tryConnect } from '../try-connect.js';

export interface HttpSurveyOptions {
  /** Module name (http or https): the service name and what the audit log shows. */
  readonly name: string;
  readonly tls: boolean;
}

type Connected = { sock: Socket } | { error: string; status: 'closed' | 'timeout' | 'error'; tlsAlert: boolean };

export async function openConnection(target: ProbeTarget, ctx: ProbeContext, module: string, tls: boolean, alpn?: readonly string[]): Promise<Connected> {
  const c = await tryConnect(target, ctx, module, tls ? { tls: true, ...(alpn !== undefined ? { alpn } : {}) } : {});
  return 'sock' in c ? { sock: c.sock as Socket } : { error: c.error, status: c.status, tlsAlert: /alert/i.test(`${c.code} ${c.error}`) };
}

function bannerOf(r: HttpResponse): string {
  return bannerText(Buffer.from([r.statusLine, ...r.headerLines].join('\r\n'), 'latin1'));
}

function decodeContent(r: HttpResponse): Buffer {
  const enc = (r.headers['content-encoding'] ?? '').toLowerCase().trim();
  try {
    if (enc === 'gzip' || enc === 'x-gzip') return gunzipSync(r.body, { maxOutputLength: 256 * 1024 });
    if (enc === 'deflate') return inflateSync(r.body, { maxOutputLength: 256 * 1024 });
  } catch { /* cut or broken: the raw bytes then */ }
  return r.body;
}

interface Favicon {
  readonly hash?: number;
  readonly details: Record<string, unknown>;
}

/** A Location on the same host (and scheme and port) as the target, as a path; else null. */
export function sameHostPath(location: string, target: ProbeTarget, tls: boolean): string | null {
  const loc = location.trim();
  if (loc.startsWith('/') && !loc.startsWith('//')) return loc;
  let u: URL;
  try { u = new URL(loc, `${tls ? 'https' : 'http'}://${isIPv6(target.ip) ? `[${target.ip}]` : target.ip}:${target.port}/`); } catch { return null; }
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = u.port === '' ? (u.protocol === 'https:' ? 443 : 80) : Number(u.port);
  if (u.protocol !== (tls ? 'https:' : 'http:') || host !== target.ip || port !== target.port) return null;
  return `${u.pathname}${u.search}`;
}

async function fetchPath(target: ProbeTarget, ctx: ProbeContext, o: HttpSurveyOptions, path: string): Promise<ExchangeResult | { error: string }> {
  const c = await openConnection(target, ctx, o.name, o.tls, o.tls ? ['http/1.1'] : undefined);
  if (!('sock' in c)) return { error: c.error };
  return httpExchange(c.sock, buildRequest({ path, host: hostHeader(target.ip, target.port, o.tls) }), { readTimeoutMs: ctx.readTimeoutMs, signal: ctx.signal });
}

async function favicon(target: ProbeTarget, ctx: ProbeContext, o: HttpSurveyOptions): Promise<Favicon> {
  let path = '/favicon.ico';
  const details: Record<string, unknown> = { path };
  for (let hop = 0; hop < 2; hop++) {
    const r = await fetchPath(target, ctx, o, path);
    if ('error' in r) return { details: { ...details, error: r.error } };
    if (r.outcome.kind !== 'response') return { details: { ...details, error: r.outcome.error } };
    const res = r.outcome.response;
    details['status'] = res.status;
    if (res.status >= 300 && res.status < 400 && hop === 0) {
      const loc = res.headers['location'];
      const next = loc !== undefined ? sameHostPath(loc, target, o.tls) : null;
      if (next === null) return { details: { ...details, ...(loc !== undefined ? { redirect_not_followed: loc.slice(0, 200) } : {}) } };
      path = next;
      details['redirected_to'] = path.slice(0, 200);
      continue;
    }
    if (res.status !== 200 || res.body.length === 0) return { details };
    details['bytes'] = res.body.length;
    if (res.headers['content-type'] !== undefined) details['content_type'] = res.headers['content-type'].slice(0, 100);
    if (!res.complete) return { details: { ...details, error: 'favicon cut: no hash' } };
    return { hash: faviconHash(res.body), details: { ...details, md5: createHash('md5').update(res.body).digest('hex') } };
  }
  return { details };
}

export async function surveyHttp(target: ProbeTarget, ctx: ProbeContext, o: HttpSurveyOptions): Promise<ModuleResult> {
  const base: ServiceFinding = { ip: target.ip, port: target.port, transport: target.transport };
  const c = await openConnection(target, ctx, o.name, o.tls, o.tls ? ['http/1.1'] : undefined);
  if (!('sock' in c)) {
    const what = o.tls ? 'TLS handshake' : 'connect';
    return { identified: false, finding: { ...base, service: 'unknown', status: c.status, error: `${o.name}: ${what}: ${c.error}` } };
  }
  let tlsParts: TlsFindingParts | undefined;
  if (o.tls) tlsParts = tlsFindingParts(captureTls(c.sock as TLSSocket));
  const host = hostHeader(target.ip, target.port, o.tls);
  const r = await httpExchange(c.sock, buildRequest({ path: '/', host }), { readTimeoutMs: ctx.readTimeoutMs, signal: ctx.signal });
  const tlsFields = tlsParts?.fields ?? {};
  if (r.outcome.kind !== 'response') {
    return {
      identified: false,
      finding: {
        ...base, ...tlsFields, service: 'unknown',
        status: r.raw.length === 0 && r.end === 'timeout' ? 'timeout' : 'error',
        banner: bannerText(r.raw.subarray(0, 1024)),
        error: `${o.name}: not HTTP: ${r.outcome.error}`,
        ...(tlsParts !== undefined ? { tags: tlsParts.tags, details: JSON.stringify({ tls: tlsParts.details }) } : {}),
      },
    };
  }
  const res = r.outcome.response;
  const content = decodeContent(res);
  const decoded = decodeHtml(content, res.headers['content-type']);
  const title = titleOf(decoded.text);
  const wwwAuth = res.headers['www-authenticate'] ?? '';
  const challenges = wwwAuth !== '' ? parseChallenges(wwwAuth) : [];

  const fav = ctx.signal.aborted ? undefined : await favicon(target, ctx, o);

  let check: CredentialCheckResult | undefined;
  const challenge = res.status === 401 ? chooseChallenge(challenges) : null;
  if (ctx.credentials !== undefined && challenge !== null && ctx.maxCredentialAttempts > 0 && ctx.credentials.entries.length > 0 && !ctx.signal.aborted) {
    check = await checkHttpCredentials({ target, ctx, module: o.name, tls: o.tls, host, path: '/', challenge, list: ctx.credentials });
  }

  const details: Record<string, unknown> = {
    version: res.version,
    reason: res.reason.slice(0, 200),
    framing: res.framing,
    body_bytes: res.body.length,
    body_complete: res.complete,
    ...(r.end === 'cap' ? { read_bound: r.raw.length } : {}),
    ...(res.interim.length > 0 ? { interim: res.interim } : {}),
    ...(res.problems.length > 0 ? { problems: res.problems.slice(0, 20) } : {}),
    ...(title !== '' ? { title_charset: decoded.charset, title_charset_from: decoded.from } : {}),
    ...(challenges.length > 0 ? { auth_schemes: challenges.map((ch) => ch.scheme), auth_realm: (challenges[0]?.params['realm'] ?? '').slice(0, 200) } : {}),
    ...(/<input\b[^>]*type\s*=\s*["']?password/i.test(decoded.text) ? { password_form: true } : {}),
    ...(fav !== undefined ? { favicon: fav.details } : {}),
    ...(check !== undefined ? {
      credential_check: {
        scheme: check.scheme, ...(check.algorithm !== undefined ? { algorithm: check.algorithm } : {}), realm: check.realm.slice(0, 200),
        attempts: check.attempts, statuses: check.statuses, result: check.acceptedId !== undefined ? 'accepted' : 'none accepted',
        ...(check.stopped !== undefined ? { stopped: check.stopped } : {}),
      },
    } : {}),
    ...(tlsParts !== undefined ? { tls: tlsParts.details } : {}),
  };
  const finding: ServiceFinding = {
    ...base,
    ...tlsFields,
    service: o.name,
    status: 'open',
    error: res.complete ? '' : `${o.name}: incomplete response: ${res.problems.join('; ').slice(0, 300)}`,
    banner: bannerOf(res),
    http_status: res.status,
    http_server: (res.headers['server'] ?? '').slice(0, 1024),
    http_headers: { ...res.headers },
    http_title: title,
    http_body_sha256: createHash('sha256').update(res.body).digest('hex'),
    http_www_authenticate: wwwAuth.slice(0, 4096),
    ...(fav?.hash !== undefined ? { http_favicon_hash: fav.hash } : {}),
    login_prompt: res.status === 401 && wwwAuth !== '' ? 1 : 0,
    ...(check !== undefined ? {
      credential_list: check.list,
      weak_credential: check.acceptedId !== undefined ? 1 : 0,
      credential_id: check.acceptedId ?? '',
    } : {}),
    tags: tlsParts?.tags ?? [],
    details: JSON.stringify(details),
  };
  return { identified: true, finding };
}
