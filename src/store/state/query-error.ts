import { SakimoriError, isSakimoriError, messageOf } from '../../errors.js';

/**
 * Wraps a driver error as STORE_QUERY_FAILED, keeping PostgreSQL's SQLSTATE (`where.sqlstate`,
 * e.g. 23505 for a unique violation) so callers can tell conflicts from failures.
 */
export function stateQueryError(store: 'pglite' | 'postgres', sql: string, e: unknown): SakimoriError {
  if (isSakimoriError(e)) return e;
  const where: Record<string, string | number> = { store, sql: sql.trim().replace(/\s+/g, ' ').slice(0, 200) };
  const code = typeof e === 'object' && e !== null && 'code' in e ? (e as { code: unknown }).code : undefined;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) where.sqlstate = code;
  return new SakimoriError('STORE_QUERY_FAILED', messageOf(e).slice(0, 2000), where);
}
