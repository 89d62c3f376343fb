/**
 * A verification as the CLI and the API run it: the built-in Mirai fingerprint tells when an
 * infected source has gone quiet, so both answer alike.
 */
import type { Fingerprinter } from '../classify/fingerprints.js';
import type { EventsStore, StateStore } from '../store/types.js';
import { verifyCases, type VerifySummary } from './verify-cases.js';

export async function verifyNow(ctx: { events: EventsStore; state: StateStore; fingerprinter: Fingerprinter }, quietDays: number): Promise<VerifySummary> {
  const mirai = ctx.fingerprinter.fingerprints.find((f) => f.name === 'mirai');
  return verifyCases(ctx, { quietDays, ...(mirai ? { mirai } : {}) });
}
