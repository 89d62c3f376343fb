/**
 * First-bytes classifier: what a server that speaks first says tells which module to try first
 * (LZR's idea: the first data packet identifies most protocols). Returns candidate service names,
 * most likely first; [] when the bytes say nothing we recognise.
 */
export function classifyFirstBytes(b: Buffer): string[] {
  if (b.length === 0) return [];
  const head = b.subarray(0, 64).toString('latin1');
  if (head.startsWith('SSH-')) return ['ssh'];
  // Text lines before the SSH identification are allowed (RFC 4253 §4.2).
  if (/(^|\n)SSH-\d/.test(b.subarray(0, 2048).toString('latin1'))) return ['ssh'];
  const c0 = b[0] ?? 0;
  // Telnet IAC followed by a negotiation verb (WILL/WONT/DO/DONT) or SB.
  if (c0 === 0xff && b.length >= 2 && (b[1] ?? 0) >= 250) return ['telnet'];
  if (/^220[ -]/.test(head)) {
    if (/^220[ -].*(SMTP|Postfix|Exim|Sendmail|mail)/i.test(head)) return ['smtp', 'ftp'];
    return ['ftp'];
  }
  if (/^(421|530|120)[ -]/.test(head)) return ['ftp'];
  if (head.startsWith('HTTP/')) return ['http'];
  if (head.startsWith('RTSP/')) return ['rtsp'];
  // POP3 greets "+OK", IMAP "* OK" (or "* PREAUTH").
  if (head.startsWith('+OK')) return ['pop3', 'imap'];
  if (/^\* (OK|PREAUTH)\b/.test(head)) return ['imap', 'pop3'];
  // RESP: a server does not speak first, but an error line (-ERR/-DENIED …) on connect is Redis refusing us.
  if (/^-(ERR|DENIED|NOAUTH|MISCONF|LOADING)\b/.test(head)) return ['redis'];
  // TLS alert or handshake record from a server that speaks first (rare; some ICS gateways).
  if ((c0 === 0x15 || c0 === 0x16) && b[1] === 0x03 && (b[2] ?? 9) <= 0x04) return ['tls', 'https'];
  // Printable text with a login-ish prompt: most likely a telnet service without option negotiation.
  if (/(login|username|user name|password)\s*:\s*$/i.test(head.trimEnd() + ' ') || /(login|password)\s*:/i.test(head)) return ['telnet'];
  return [];
}

/**
 * Request-first protocols, most likely on an unknown port first (Censys/LZR experience: HTTP
 * dominates, and most TLS services are HTTPS: https is tried before the bare tls module, which
 * then catches TLS that does not answer HTTP).
 */
export const REQUEST_FIRST_ORDER: readonly string[] = ['http', 'https', 'tls', 'rtsp', 'mqtt', 'redis'];
/** Protocols where the server speaks first; tried last on a silent port (some wait for a newline). */
export const SERVER_FIRST_ORDER: readonly string[] = ['ssh', 'telnet', 'ftp'];
