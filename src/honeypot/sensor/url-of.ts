/** URLs named by a client, normalised for the event's `url` and `url_host` (recorded, never fetched). */

const MAX_URL = 2048;

export interface NamedUrl { readonly url: string; readonly host: string }

/** `http://h/x`, `h/x` (wget adds http://), `ftp://…`, `tftp://…`: the URL and its host in lower case. */
export function namedUrl(text: string, defaultScheme = 'http'): NamedUrl | undefined {
  const t = text.trim().slice(0, MAX_URL);
  if (!t) return undefined;
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(t) ? t : `${defaultScheme}://${t}`;
  const host = hostOf(url);
  return host ? { url, host } : undefined;
}

export function hostOf(url: string): string | undefined {
  try {
    const h = new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, '');
    return h || undefined;
  } catch {
    // URL rejects some hosts bots use (underscores, odd ports): take the authority by hand.
    const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/?#]+)/i.exec(url);
    return m?.[1] ? m[1].toLowerCase().replace(/^\[|\]$/g, '') : undefined;
  }
}

export function tftpUrl(host: string, file: string, port?: string): NamedUrl | undefined {
  const f = file.replace(/^\/+/, '');
  return namedUrl(`tftp://${host}${port && port !== '69' ? `:${port}` : ''}/${f}`);
}

export function ftpUrl(host: string, file: string, port?: string): NamedUrl | undefined {
  const f = file.replace(/^\/+/, '');
  return namedUrl(`ftp://${host}${port && port !== '21' ? `:${port}` : ''}/${f}`);
}
