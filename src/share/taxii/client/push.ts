/**
 * `taxii push`: local objects to a remote collection, in envelopes no larger than the API root's
 * `max_content_length`, each followed to its final status. Which objects may leave is decided by
 * the caller through the sharing policy (the remote is a recipient like any other); this file
 * only carries what it is given and says what the remote refused, object by object.
 */
import { SakimoriError } from '../../../errors.js';
import { collectionUrl, taxiiRequest, type TaxiiRemote } from './remote.js';

/** An object to send: its JSON text exactly as stored, with its id for messages. */
export interface OutgoingObject { readonly id: string; readonly version: string; readonly body: string }

interface StatusResource {
  id?: unknown; status?: unknown;
  total_count?: unknown; success_count?: unknown; failure_count?: unknown; pending_count?: unknown;
  failures?: unknown;
}

export interface PushSummary {
  readonly envelopes: number;
  readonly sent: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly pending: number;
  readonly failures: { id: string; message: string }[];
}

const ENVELOPE_OVERHEAD = '{"objects":[]}'.length;

/** Groups objects into envelopes under the byte limit; an object alone over it cannot be sent. */
export function envelopes(objects: readonly OutgoingObject[], maxBytes: number): { batches: OutgoingObject[][]; tooLarge: OutgoingObject[] } {
  const batches: OutgoingObject[][] = [];
  const tooLarge: OutgoingObject[] = [];
  let current: OutgoingObject[] = [];
  let size = ENVELOPE_OVERHEAD;
  for (const o of objects) {
    const bytes = Buffer.byteLength(o.body) + 1;
    if (ENVELOPE_OVERHEAD + bytes > maxBytes) {
      tooLarge.push(o);
      continue;
    }
    if (size + bytes > maxBytes && current.length) {
      batches.push(current);
      current = [];
      size = ENVELOPE_OVERHEAD;
    }
    current.push(o);
    size += bytes;
  }
  if (current.length) batches.push(current);
  return { batches, tooLarge };
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

function failuresOf(s: StatusResource): { id: string; message: string }[] {
  if (!Array.isArray(s.failures)) return [];
  return s.failures.map((f: unknown) => {
    const o = (f ?? {}) as { id?: unknown; message?: unknown; version?: unknown };
    return { id: typeof o.id === 'string' ? o.id : '?', message: typeof o.message === 'string' ? o.message : 'refused' };
  });
}

export async function pushObjects(
  remote: TaxiiRemote,
  collection: string,
  objects: readonly OutgoingObject[],
  opts: { onEnvelope?: (done: number, total: number) => void; pollMs?: number; waitMs?: number } = {},
): Promise<PushSummary> {
  const { batches, tooLarge } = envelopes(objects, remote.maxContentLength);
  const failures: { id: string; message: string }[] = tooLarge.map((o) => ({ id: o.id, message: `larger than the server's max_content_length (${remote.maxContentLength} bytes)` }));
  let succeeded = 0, failed = tooLarge.length, pending = 0;
  for (const [i, batch] of batches.entries()) {
    const body = `{"objects":[${batch.map((o) => o.body).join(',')}]}`;
    let status = (await taxiiRequest<StatusResource>(collectionUrl(remote, collection, 'objects/'), remote, { method: 'POST', body })).body;
    const deadline = Date.now() + (opts.waitMs ?? 60_000);
    while (status.status === 'pending' && typeof status.id === 'string' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 500));
      status = (await taxiiRequest<StatusResource>(`${remote.apiRoot}status/${encodeURIComponent(status.id)}/`, remote)).body;
    }
    if (typeof status.status !== 'string') throw new SakimoriError('TAXII_REMOTE_FAILED', 'the server answered a POST without a status resource', { url: remote.apiRoot });
    succeeded += num(status.success_count);
    failed += num(status.failure_count);
    pending += num(status.pending_count);
    for (const f of failuresOf(status)) if (failures.length < 50) failures.push(f);
    opts.onEnvelope?.(i + 1, batches.length);
  }
  return { envelopes: batches.length, sent: objects.length - tooLarge.length, succeeded, failed, pending, failures };
}
