import { SakimoriError } from '../errors.js';
import type { ParseOptions } from './types.js';

/** CLI flags or API query parameters (the same names) as parse options, checked. */
export function parseOptionsFrom(o: { port?: string; transport?: string; includeClosed?: boolean | string; fields?: string }): ParseOptions {
  const out: ParseOptions = {};
  if (o.port !== undefined) {
    const n = Number(o.port);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new SakimoriError('BAD_REQUEST', `--port must be 0-65535, not ${o.port}`);
    out.port = n;
  }
  if (o.transport !== undefined) {
    if (o.transport !== 'tcp' && o.transport !== 'udp') throw new SakimoriError('BAD_REQUEST', `--transport must be tcp or udp, not ${o.transport}`);
    out.transport = o.transport;
  }
  if (o.includeClosed === true || o.includeClosed === 'true' || o.includeClosed === '1') out.includeClosed = true;
  if (o.fields) out.fields = o.fields.split(',').map((s) => s.trim()).filter(Boolean);
  return out;
}

