/**
 * URLs named inside an exploit request (query, body, headers): `wget http://…`, `curl …`,
 * `tftp -g -r FILE HOST`, `wget -g HOST -l L -r FILE`, and any http(s)/ftp/tftp URL. The text is
 * URL-decoded first (exploits arrive as `cd%20/tmp;wget%20http%3A%2F%2F…`). Found, never fetched.
 */
import { namedUrl, tftpUrl, type NamedUrl } from './url-of.js';

const SCHEMED = /\b(?:https?|ftp|tftp):\/\/[^\s'"<>;|&`$(){}\\]+/gi;
const WGET_BARE = /\b(?:wget|curl)\s+(?:-[A-Za-z-]+(?:\s+[^\s;|&-][^\s;|&]*)?\s+)*((?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\/[^\s'"<>;|&`$(){}\\]*|[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?\/[^\s'"<>;|&`$(){}\\]*)/gi;
const TFTP_R = /\btftp\b[^;|&\n]*?-r\s+([^\s;|&'"<>`$(){}\\]+)[^;|&\n]*?\s((?:\d{1,3}\.){3}\d{1,3}|[a-z0-9-]+(?:\.[a-z0-9-]+)+)(?:\s+(\d+))?/gi;
const WGET_G = /\bwget\b[^;|&\n]*?-g\s+([^\s;|&'"<>`$(){}\\]+)[^;|&\n]*?-r\s+([^\s;|&'"<>`$(){}\\]+)/gi;

/** Decodes %XX and `+` as a form would, leaving text that does not decode as it is. */
export function urlDecode(text: string): string {
  const plus = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus.replace(/%([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  }
}

export function urlsIn(text: string, max = 16): NamedUrl[] {
  const decoded = urlDecode(text);
  const found = new Map<string, NamedUrl>();
  const add = (u: NamedUrl | undefined): void => { if (u && found.size < max && !found.has(u.url)) found.set(u.url, u); };
  for (const m of decoded.matchAll(WGET_G)) add(tftpUrl(m[1] as string, m[2] as string));
  for (const m of decoded.matchAll(TFTP_R)) add(tftpUrl(m[2] as string, m[1] as string, m[3]));
  for (const m of decoded.matchAll(SCHEMED)) add(namedUrl(m[0]));
  for (const m of decoded.matchAll(WGET_BARE)) add(namedUrl(m[1] as string));
  return [...found.values()];
}
