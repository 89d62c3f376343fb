import { isSakimoriError } from '../../errors.js';

/**
 * Scope refusals are not about the peer: they must reach the survey runner (which stops the run)
 * instead of becoming a per-target failure.
 */
export function isScopeRefusal(e: unknown): boolean {
  return isSakimoriError(e) && (e.code === 'SCOPE_DENIED' || e.code === 'SCOPE_EXPIRED');
}
