/**
 * Webhook channel: one JSON POST per delivery. The delivery id goes in `Idempotency-Key` so a
 * receiver can drop a repeat after a crash between sending and recording; 2xx is success, any
 * other answer or no answer within the timeout is a failure to retry.
 *
 * The target is checked first (webhook-policy.ts, net/outbound.ts: no loopback, private, link-local, metadata…
 * address unless allowed); a refusal is permanent. The connection goes to the addresses that were
 * checked, with the URL's name in Host and TLS SNI/certificate check, so a name that resolves
 * elsewhere a moment later (DNS rebinding) changes nothing. Redirects are not followed.
 */
import http from 'node:http';
import https from 'node:https';
import { pinnedLookup } from '../../net/outbound.js';
import { VERSION } from '../../version.js';
import { checkWebhookTarget, STRICT_WEBHOOK_POLICY, type WebhookPolicy } from './webhook-policy.js';

/**
 * What a failure was, coarsely: what may be shown to whoever owns the webhook. The detail
 * (connection refused or timed out, which address) stays in `error` for the operator, since
 * telling those apart would turn deliveries into a port scanner.
 */
export type WebhookErrorClass = 'refused by policy' | 'connection failed' | `HTTP ${1 | 2 | 3 | 4 | 5}xx`;

export interface WebhookResult { ok: boolean; status: number; error?: string; errorClass?: WebhookErrorClass; permanent?: boolean }

/** Without a policy, the strict one: nothing of the server's own networks. */
export async function postWebhook(url: string, body: unknown, idempotencyKey: string, timeoutMs = 10_000, policy: WebhookPolicy = STRICT_WEBHOOK_POLICY): Promise<WebhookResult> {
  const signal = AbortSignal.timeout(timeoutMs);
  const target = await checkWebhookTarget(url, policy, signal);
  if (!target.ok) {
    return target.permanent
      ? { ok: false, status: 0, error: `refused by policy: ${target.reason}`, errorClass: 'refused by policy', permanent: true }
      : { ok: false, status: 0, error: target.reason, errorClass: 'connection failed' };
  }
  const u = target.url;
  const payload = Buffer.from(JSON.stringify(body));
  try {
    const status = await new Promise<number>((resolve, reject) => {
      const req = (u.protocol === 'https:' ? https : http).request({
        protocol: u.protocol,
        host: u.hostname.replace(/^\[|\]$/g, ''),
        ...(u.port ? { port: Number(u.port) } : {}),
        path: `${u.pathname}${u.search}`,
        method: 'POST',
        ...(u.username || u.password ? { auth: `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}` } : {}),
        headers: {
          host: u.host, 'content-type': 'application/json', 'content-length': payload.length,
          'user-agent': `Sakimori/${VERSION}`, 'idempotency-key': idempotencyKey,
        },
        lookup: pinnedLookup(target.addresses),
        // A fresh connection each time: a pooled one could have been made to another address.
        agent: false,
        signal,
      }, (res) => {
        resolve(res.statusCode ?? 0);
        // The answer's body is not wanted; the timeout still ends an endless one.
        res.on('error', () => undefined);
        res.resume();
      });
      req.on('error', reject);
      req.end(payload);
    });
    if (status >= 200 && status < 300) return { ok: true, status };
    const cls = Math.min(5, Math.max(1, Math.floor(status / 100))) as 1 | 2 | 3 | 4 | 5;
    return { ok: false, status, error: `HTTP ${status}${cls === 3 ? ' (redirects are not followed)' : ''}`, errorClass: `HTTP ${cls}xx` };
  } catch (e) {
    const err = e as { code?: string; name?: string; message?: string };
    const why = signal.aborted ? `no answer within ${timeoutMs} ms` : err.code ?? err.message ?? String(e);
    return { ok: false, status: 0, error: why, errorClass: 'connection failed' };
  }
}
