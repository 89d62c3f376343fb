/**
 * Webhook channel: one JSON POST per delivery. The delivery id goes in `Idempotency-Key` so a
 * receiver can drop a repeat after a crash between sending and recording; 2xx is success, any
 * other answer or no answer within the timeout is a failure to retry.
 */
import { VERSION } from '../../version.js';

export interface WebhookResult { ok: boolean; status: number; error?: string }

export async function postWebhook(url: string, body: unknown, idempotencyKey: string, timeoutMs = 10_000): Promise<WebhookResult> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': `Sakimori/${VERSION}`, 'idempotency-key': idempotencyKey },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.ok ? { ok: true, status: res.status } : { ok: false, status: res.status, error: `HTTP ${res.status}` };
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, status: 0, error: cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e)) };
  }
}
