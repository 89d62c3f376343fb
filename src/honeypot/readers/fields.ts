/**
 * Small, allocation-light accessors for parsed log objects (whatever JSON.parse gave), shared by
 * the readers: a field is used only when it has the expected type, otherwise it is left out.
 */
import { parseIp } from '../../net/ip.js';

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** A string, or a number/boolean as text (logs are not consistent about ids and values). */
export function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** A port: an integer 0…65535, else undefined. */
export function port(v: unknown): number | undefined {
  const n = num(v);
  return n !== undefined && Number.isInteger(n) && n >= 0 && n <= 65535 ? n : undefined;
}

/** Compact JSON of the values that say something (not undefined, null or ''), or undefined when none does. */
export function detailOf(o: Obj): string | undefined {
  // Copied rather than deleted from: a deleted property turns the object slow for what follows.
  let kept: Obj | undefined;
  for (const k in o) {
    const v = o[k];
    if (v === undefined || v === null || v === '') continue;
    (kept ??= {})[k] = v;
  }
  return kept === undefined ? undefined : JSON.stringify(kept);
}

/** Address validation with a one-entry memory: consecutive lines of a session repeat the address. */
export class AddressCheck {
  private last = '';

  valid(a: string | undefined): a is string {
    if (a === undefined || a === '') return false;
    if (a === this.last) return true;
    if (parseIp(a) === null) return false;
    this.last = a;
    return true;
  }
}

/** The host of a URL as the client named it, lower case; '' when it names none. */
export function urlHost(url: string): string {
  // Not `new URL`: bots write "1.2.3.4/x.sh", "tftp://h", brackets and credentials in every form.
  const m = /^(?:[a-zA-Z][a-zA-Z0-9+.-]*:\/\/)?(?:[^@/?#]*@)?(\[[^\]]*\]|[^/:?#\s]+)/.exec(url.trim());
  if (!m?.[1]) return '';
  const h = m[1].toLowerCase();
  return h.startsWith('[') ? h.slice(1, -1) : h;
}

/** host:port, IPv6 hosts in brackets. */
export function hostPort(host: string, p: number | undefined): string {
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return p === undefined ? h : `${h}:${p}`;
}
