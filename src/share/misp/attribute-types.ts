/**
 * MISP attribute types we understand, each as the SCOs it names and the STIX pattern that
 * detects it (MISP core format, section "attribute types"; STIX 2.1 section 9 patterns). A type
 * not listed here is reported by the importer, never silently dropped.
 */
import { parseIp } from '../../net/ip.js';
import { splitCidr } from '../../net/cidr.js';
import { scoIdOf } from './sco-ids.js';

/** A cyber-observable as it goes into observed-data (id included). */
export interface Sco { readonly type: string; readonly id: string; readonly spec_version: '2.1'; readonly [k: string]: string | number | readonly string[] | { readonly [k: string]: string } }

export interface Observable { readonly scos: readonly Sco[]; readonly pattern: string }

const HASHES = { md5: ['MD5', 32], sha1: ['SHA-1', 40], sha256: ['SHA-256', 64], sha512: ['SHA-512', 128] } as const;
type HashType = keyof typeof HASHES;

const NETWORK = ['ip-src', 'ip-dst', 'domain', 'hostname', 'url', 'uri', 'link', 'ip-src|port', 'ip-dst|port', 'domain|ip', 'hostname|port', 'email-src', 'email-dst', 'email'] as const;
const FILES = ['md5', 'sha1', 'sha256', 'sha512', 'filename', 'filename|md5', 'filename|sha1', 'filename|sha256', 'filename|sha512'] as const;
export const MISP_TYPES: readonly string[] = [...NETWORK, ...FILES];

/** STIX pattern string literal: backslash and quote escaped (section 9.4). */
export const lit = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The category MISP files a type under, for export. */
export function categoryOf(type: string): string {
  return (FILES as readonly string[]).includes(type) ? 'Payload delivery' : 'Network activity';
}

const sco = (type: string, props: Record<string, string | number | readonly string[] | Record<string, string>>, idProps: Record<string, string | number | readonly string[] | Record<string, string>>): Sco =>
  ({ type, spec_version: '2.1', id: scoIdOf(type, idProps), ...props });

function ipSco(text: string): Sco | string {
  const t = text.trim();
  const c = splitCidr(t);
  const family = c ? c.family : parseIp(t)?.family;
  if (!family) return `not an IP address or CIDR: ${JSON.stringify(t.slice(0, 80))}`;
  const type = family === 4 ? 'ipv4-addr' : 'ipv6-addr';
  return sco(type, { value: t }, { value: t });
}

function hostSco(text: string): Sco | string {
  const t = text.trim().toLowerCase().replace(/\.$/, '');
  if (!/^(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)*[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?$/.test(t)) return `not a domain name: ${JSON.stringify(text.slice(0, 80))}`;
  return sco('domain-name', { value: t }, { value: t });
}

function port(text: string): number | string {
  return /^\d{1,5}$/.test(text) && Number(text) <= 65535 ? Number(text) : `not a port: ${JSON.stringify(text.slice(0, 20))}`;
}

function fileSco(name: string | undefined, hash: { type: HashType; value: string } | undefined): Sco | string {
  const props: Record<string, string | Record<string, string>> = {};
  if (name !== undefined) {
    if (name === '') return 'empty file name';
    props['name'] = name;
  }
  if (hash) {
    const [key, len] = HASHES[hash.type];
    const v = hash.value.trim().toLowerCase();
    if (!new RegExp(`^[0-9a-f]{${len}}$`).test(v)) return `not a ${key} hash (${len} hex digits): ${JSON.stringify(hash.value.slice(0, 140))}`;
    props['hashes'] = { [key]: v };
  }
  return sco('file', props, props);
}

/** `value` split at the composite type's one `|` (MISP's separator for two-part values). */
function parts(value: string): [string, string] | string {
  const i = value.indexOf('|');
  return i < 0 ? 'a composite type needs two values separated by "|"' : [value.slice(0, i), value.slice(i + 1)];
}

/**
 * The SCOs and pattern of one attribute; a string is what is wrong with the value; undefined
 * when the type is not one we understand.
 */
export function observableOf(type: string, value: string): Observable | string | undefined {
  switch (type) {
    case 'ip-src': case 'ip-dst': {
      const s = ipSco(value);
      return typeof s === 'string' ? s : { scos: [s], pattern: `[${s.type}:value = ${lit(s['value'] as string)}]` };
    }
    case 'domain': case 'hostname': {
      const s = hostSco(value);
      return typeof s === 'string' ? s : { scos: [s], pattern: `[domain-name:value = ${lit(s['value'] as string)}]` };
    }
    case 'url': case 'uri': case 'link': {
      const t = value.trim();
      if (!t) return 'empty URL';
      return { scos: [sco('url', { value: t }, { value: t })], pattern: `[url:value = ${lit(t)}]` };
    }
    case 'email-src': case 'email-dst': case 'email': {
      const t = value.trim();
      if (!/^[^@\s]+@[^@\s]+$/.test(t)) return `not an e-mail address: ${JSON.stringify(t.slice(0, 80))}`;
      return { scos: [sco('email-addr', { value: t }, { value: t })], pattern: `[email-addr:value = ${lit(t)}]` };
    }
    case 'ip-src|port': case 'ip-dst|port': {
      const p = parts(value);
      if (typeof p === 'string') return p;
      const ip = ipSco(p[0]);
      const n = port(p[1].trim());
      if (typeof ip === 'string') return ip;
      if (typeof n === 'string') return n;
      const side = type === 'ip-src|port' ? 'src' : 'dst';
      const nt = { [`${side}_ref`]: ip.id, [`${side}_port`]: n, protocols: [ip.type === 'ipv4-addr' ? 'ipv4' : 'ipv6'] };
      return {
        scos: [ip, sco('network-traffic', nt, nt)],
        pattern: `[network-traffic:${side}_ref.value = ${lit(ip['value'] as string)} AND network-traffic:${side}_port = ${n}]`,
      };
    }
    case 'hostname|port': {
      const p = parts(value);
      if (typeof p === 'string') return p;
      const host = hostSco(p[0]);
      const n = port(p[1].trim());
      if (typeof host === 'string') return host;
      if (typeof n === 'string') return n;
      const nt = { dst_ref: host.id, dst_port: n, protocols: ['tcp'] };
      return { scos: [host, sco('network-traffic', nt, nt)], pattern: `[network-traffic:dst_ref.value = ${lit(host['value'] as string)} AND network-traffic:dst_port = ${n}]` };
    }
    case 'domain|ip': {
      const p = parts(value);
      if (typeof p === 'string') return p;
      const ip = ipSco(p[1]);
      if (typeof ip === 'string') return ip;
      const host = hostSco(p[0]);
      if (typeof host === 'string') return host;
      const withIp: Sco = { ...host, resolves_to_refs: [ip.id] };
      return { scos: [withIp, ip], pattern: `[domain-name:value = ${lit(host['value'] as string)} AND domain-name:resolves_to_refs[*].value = ${lit(ip['value'] as string)}]` };
    }
    case 'md5': case 'sha1': case 'sha256': case 'sha512': {
      const f = fileSco(undefined, { type, value });
      return typeof f === 'string' ? f : { scos: [f], pattern: `[file:hashes.${lit(HASHES[type][0])} = ${lit((f['hashes'] as Record<string, string>)[HASHES[type][0]] as string)}]` };
    }
    case 'filename': {
      const f = fileSco(value, undefined);
      return typeof f === 'string' ? f : { scos: [f], pattern: `[file:name = ${lit(value)}]` };
    }
    case 'filename|md5': case 'filename|sha1': case 'filename|sha256': case 'filename|sha512': {
      const p = parts(value);
      if (typeof p === 'string') return p;
      const h = type.slice('filename|'.length) as HashType;
      const f = fileSco(p[0], { type: h, value: p[1] });
      if (typeof f === 'string') return f;
      const digest = (f['hashes'] as Record<string, string>)[HASHES[h][0]] as string;
      return { scos: [f], pattern: `[file:name = ${lit(p[0])} AND file:hashes.${lit(HASHES[h][0])} = ${lit(digest)}]` };
    }
    default:
      return undefined;
  }
}

/** Export: the MISP type and value of a simple SCO, or undefined. */
export function attributeOfSco(o: { readonly [k: string]: unknown }): { type: string; value: string } | undefined {
  const v = typeof o['value'] === 'string' ? o['value'] : undefined;
  switch (o['type']) {
    case 'ipv4-addr': case 'ipv6-addr': return v ? { type: 'ip-dst', value: v } : undefined;
    case 'domain-name': return v ? { type: 'domain', value: v } : undefined;
    case 'url': return v ? { type: 'url', value: v } : undefined;
    case 'email-addr': return v ? { type: 'email', value: v } : undefined;
    case 'file': {
      const name = typeof o['name'] === 'string' ? o['name'] : undefined;
      const hashes = (o['hashes'] && typeof o['hashes'] === 'object' ? o['hashes'] : {}) as Record<string, unknown>;
      for (const [t, [key]] of Object.entries(HASHES)) {
        const h = hashes[key];
        if (typeof h === 'string') return name ? { type: `filename|${t}`, value: `${name}|${h}` } : { type: t, value: h };
      }
      return name ? { type: 'filename', value: name } : undefined;
    }
    default: return undefined;
  }
}

/**
 * Export: the MISP attribute of a pattern of the shapes `observableOf` writes (one observation,
 * equality comparisons joined by AND); undefined for anything else (exported as `stix2-pattern`).
 */
export function attributeOfPattern(pattern: string): { type: string; value: string } | undefined {
  const m = /^\[(.*)\]$/s.exec(pattern.trim());
  if (!m) return undefined;
  const terms: [string, string][] = [];
  const re = /\s*([a-z0-9-]+:[A-Za-z0-9_.'\-[\]*]+)\s*=\s*(?:'((?:[^'\\]|\\.)*)'|(\d+))\s*(AND|$)/y;
  const body = m[1] as string;
  let at = 0;
  while (at < body.length) {
    re.lastIndex = at;
    const t = re.exec(body);
    if (!t) return undefined;
    terms.push([t[1] as string, t[2] !== undefined ? t[2].replace(/\\(.)/g, '$1') : (t[3] as string)]);
    at = re.lastIndex;
    if (t[4] === '') break;
  }
  if (at < body.trim().length) return undefined;
  const get = (path: string): string | undefined => terms.find(([p]) => p === path)?.[1];
  const one = terms.length === 1 ? terms[0] : undefined;
  if (one) {
    const [path, value] = one;
    if (path === 'ipv4-addr:value' || path === 'ipv6-addr:value') return { type: 'ip-dst', value };
    if (path === 'domain-name:value') return { type: 'domain', value };
    if (path === 'url:value') return { type: 'url', value };
    if (path === 'email-addr:value') return { type: 'email', value };
    if (path === 'file:name') return { type: 'filename', value };
    for (const [t, [key]] of Object.entries(HASHES)) if (path === `file:hashes.'${key}'` || path === `file:hashes.${key}`) return { type: t, value };
    return undefined;
  }
  if (terms.length !== 2) return undefined;
  for (const side of ['src', 'dst'] as const) {
    const ip = get(`network-traffic:${side}_ref.value`), p = get(`network-traffic:${side}_port`);
    if (ip !== undefined && p !== undefined) return { type: parseIp(ip) ? `ip-${side}|port` : 'hostname|port', value: `${ip}|${p}` };
  }
  const d = get('domain-name:value'), r = get('domain-name:resolves_to_refs[*].value');
  if (d !== undefined && r !== undefined) return { type: 'domain|ip', value: `${d}|${r}` };
  const name = get('file:name');
  if (name !== undefined) {
    for (const [t, [key]] of Object.entries(HASHES)) {
      const h = get(`file:hashes.'${key}'`) ?? get(`file:hashes.${key}`);
      if (h !== undefined) return { type: `filename|${t}`, value: `${name}|${h}` };
    }
  }
  return undefined;
}
