/**
 * Security headers on every answer: a Content-Security-Policy without inline script (the console
 * is one bundled script from this origin), no framing (clickjacking), no MIME sniffing, no
 * referrer beyond this origin. Inline styles stay allowed: the charts set style attributes.
 * The API docs page brings its own CSP with hashes of its inline parts; it gets no framing too.
 */
import type { FastifyInstance } from 'fastify';

export const CONSOLE_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
  "connect-src 'self'", "font-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

/** The docs page's own policy (hash-based), made to forbid framing and to work over plain HTTP. */
export function docsCsp(header: string): string {
  return header.replace("frame-ancestors 'self'", "frame-ancestors 'none'").replace(/\s*upgrade-insecure-requests;?/, '');
}

export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_req, reply, payload) => {
    if (!reply.hasHeader('content-security-policy')) void reply.header('content-security-policy', CONSOLE_CSP);
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('referrer-policy', 'same-origin');
    void reply.header('x-frame-options', 'DENY');
    return payload;
  });
}
