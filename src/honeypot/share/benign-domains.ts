/**
 * Domains never published as indicators (the warning list of names; the address warning lists
 * live in share/indicators/warning-list.ts): services bots name without being theirs — the
 * connectivity and address checks they run (`wget google.com`, `curl ifconfig.me`), resolvers,
 * OS update servers, and hosting platforms whose name is everybody's even when one URL on them is
 * a dropper. A name matches itself and every name under it. An operator adds names per publish
 * (`--benign-domains FILE`: one per line, `#` comments, or a MISP warninglist of hostnames).
 */
export const BUILT_IN_BENIGN_DOMAINS: readonly string[] = [
  'google.com', 'gstatic.com', 'dns.google', 'cloudflare.com', 'one.one.one.one', 'opendns.com', 'quad9.net',
  'microsoft.com', 'windowsupdate.com', 'apple.com', 'ubuntu.com', 'debian.org', 'busybox.net',
  'ipinfo.io', 'ip-api.com', 'icanhazip.com', 'ifconfig.me', 'ifconfig.co', 'ipify.org', 'checkip.amazonaws.com',
  'github.com', 'githubusercontent.com', 'pastebin.com', 'amazonaws.com', 'cloudfront.net', 'discord.com', 'discordapp.com',
];

/** Names of no public host: never an indicator. */
const RESERVED_SUFFIXES = ['localhost', 'local', 'internal', 'invalid', 'home.arpa', 'in-addr.arpa', 'ip6.arpa'];

export class DomainList {
  private readonly names: Set<string>;

  constructor(names: Iterable<string>) {
    this.names = new Set([...names].map((n) => n.trim().toLowerCase().replace(/\.$/, '')).filter((n) => n !== ''));
  }

  /** Whether `host` or a name it is under is listed. */
  has(host: string): boolean {
    let h = host.toLowerCase().replace(/\.$/, '');
    for (;;) {
      if (this.names.has(h)) return true;
      const dot = h.indexOf('.');
      if (dot < 0) return false;
      h = h.slice(dot + 1);
    }
  }
}

export function reservedDomain(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (!h.includes('.')) return true;
  return RESERVED_SUFFIXES.some((s) => h === s || h.endsWith(`.${s}`));
}

export interface DomainListIssue { readonly line: number; readonly message: string }

const NAME = /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{1,63}$/;

/** Whether text is a DNS name as a domain-name indicator may carry it (lower case, at least two labels). */
export function isDomainName(text: string): boolean {
  return NAME.test(text);
}

/**
 * Reads an operator's list: one name per line (`#` starts a comment), or a MISP warninglist
 * (JSON with a `list` of names, type hostname or string). A bad entry is reported with its line
 * or index; the others are kept.
 */
export function parseDomainList(text: string): { names: string[]; issues: DomainListIssue[] } {
  const body = text.replace(/^\uFEFF/, '');
  const names: string[] = [];
  const issues: DomainListIssue[] = [];
  const take = (raw: string, line: number): void => {
    const n = raw.trim().toLowerCase().replace(/^\*\./, '').replace(/\.$/, '');
    if (n === '') return;
    if (isDomainName(n)) names.push(n);
    else if (issues.length < 100) issues.push({ line, message: `not a domain name: "${raw.trim().slice(0, 100)}"` });
  };
  if (/^\s*\{/.test(body)) {
    let doc: unknown;
    try {
      doc = JSON.parse(body);
    } catch (e) {
      return { names, issues: [{ line: 1, message: `not JSON: ${(e as Error).message}` }] };
    }
    const list = typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>)['list'] : undefined;
    if (!Array.isArray(list)) return { names, issues: [{ line: 1, message: 'a MISP warninglist needs a "list" array' }] };
    list.forEach((item, i) => {
      if (typeof item === 'string') take(item, i + 1);
      else if (issues.length < 100) issues.push({ line: i + 1, message: `list[${i}]: not a string` });
    });
    return { names, issues };
  }
  body.split(/\r?\n/).forEach((l, i) => take(l.replace(/#.*$/, ''), i + 1));
  return { names, issues };
}
