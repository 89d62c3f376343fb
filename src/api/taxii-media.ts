/**
 * TAXII 2.1 media types and error messages. The server speaks `application/taxii+json;version=2.1`
 * (a request without a version means the newest, 2.1): an Accept it cannot satisfy is a 406, a
 * POST body of another type a 415, and every error is a TAXII error message
 * (title, description, http_status) in that media type.
 */
export const TAXII_MEDIA = 'application/taxii+json;version=2.1';
export const STIX_MEDIA = 'application/stix+json;version=2.1';
/** Largest request body the server takes, advertised as the API root's max_content_length. */
export const MAX_CONTENT_LENGTH = 10 * 1024 * 1024;
/** Objects per page at most (a larger `limit` is cut to it), and the page size when none is asked. */
export const MAX_PAGE = 10_000;
export const DEFAULT_PAGE = 1_000;

interface MediaRange { type: string; params: Map<string, string> }

function parseRanges(header: string): MediaRange[] {
  return header.split(',').map((part) => {
    const [type = '', ...rest] = part.split(';').map((s) => s.trim());
    const params = new Map<string, string>();
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq > 0) params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
    }
    return { type: type.toLowerCase(), params };
  }).filter((r) => r.type !== '');
}

const isTaxii21 = (r: MediaRange): boolean => r.type === 'application/taxii+json' && (r.params.get('version') ?? '2.1') === '2.1';

/** Whether an answer in TAXII 2.1 satisfies this Accept header (none: anything goes). */
export function acceptsTaxii(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return parseRanges(accept).some((r) => r.params.get('q') !== '0' && !/^0(\.0*)?$/.test(r.params.get('q') ?? '1') && (r.type === '*/*' || r.type === 'application/*' || isTaxii21(r)));
}

/** Whether a request body of this Content-Type is a TAXII 2.1 envelope. */
export function isTaxiiBody(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const [r] = parseRanges(contentType);
  return r !== undefined && isTaxii21(r);
}

export interface TaxiiErrorMessage {
  title: string;
  description?: string;
  error_code?: string;
  http_status: string;
  details?: Record<string, string | number>;
}

export function taxiiError(status: number, title: string, description?: string, code?: string, details?: Readonly<Record<string, string | number>>): TaxiiErrorMessage {
  return {
    title, http_status: String(status),
    ...(description ? { description } : {}), ...(code ? { error_code: code } : {}),
    ...(details && Object.keys(details).length ? { details: { ...details } } : {}),
  };
}
