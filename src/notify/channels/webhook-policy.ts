/**
 * Where a webhook may go: a URL an organisation's admin chooses, requested from the server, so
 * it passes the outbound address policy (net/outbound.ts: no loopback, private, link-local,
 * metadata… address) unless a platform admin allowed the range in `notify.webhookAllow`.
 */
import { checkOutboundTarget, type OutboundTarget, type Resolve } from '../../net/outbound.js';

export interface WebhookPolicy {
  /** CIDRs a platform admin allowed although they are private, loopback, … (notify.webhookAllow). */
  readonly allow: readonly string[];
  readonly resolve?: Resolve;
}

/** Nothing of the server's own networks. */
export const STRICT_WEBHOOK_POLICY: WebhookPolicy = { allow: [] };

export type WebhookTarget = OutboundTarget;

export function checkWebhookTarget(url: string, policy: WebhookPolicy, signal?: AbortSignal): Promise<WebhookTarget> {
  return checkOutboundTarget(url, { ...policy, setting: 'notify.webhookAllow' }, signal);
}
