import { useI18n, type PlainKey, type Translate } from '../i18n/index.js';
import { en } from '../i18n/en.js';

export const CLASS_ORDER = ['scan', 'backscatter', 'other'] as const;
export const CLASS_COLORS: Record<string, string> = { scan: '#2a6f97', backscatter: '#d1495b', other: '#8d99ae' };

export function classLabel(t: Translate, c: string): string {
  switch (c) {
    case 'scan': return t('class_scan');
    case 'backscatter': return t('class_backscatter');
    case 'other': return t('class_other');
    default: return c || t('class_unknown');
  }
}

/** Classes in a fixed order (scan, backscatter, other), then any others the API adds. */
export function orderedClasses<T>(classes: Record<string, T>): [string, T][] {
  const known = CLASS_ORDER.filter((c) => c in classes).map((c): [string, T] => [c, classes[c] as T]);
  return [...known, ...Object.entries(classes).filter(([c]) => !(CLASS_ORDER as readonly string[]).includes(c))];
}

export function portLabel(proto: string, port: number): string {
  const p = proto.toLowerCase();
  if ((p === 'icmp' || p === 'icmpv6') && port === 0) return p.toUpperCase();
  return `${p}/${port}`;
}

export function ClassBadge({ t, c }: { t: Translate; c: string }) {
  return <span className={`cls cls-${c}`} style={{ borderColor: CLASS_COLORS[c] ?? '#adb5bd' }}><span className="dot" style={{ background: CLASS_COLORS[c] ?? '#adb5bd' }} />{classLabel(t, c)}</span>;
}

export function TagBadge({ tag }: { tag: string }) {
  return <span className={`tag tag-${tag.replace(/[^a-z0-9-]/gi, '')}`}>{tag}</span>;
}

/** AS 0 is no AS: the address is in no IP-to-AS table (or none was imported). */
export function AsnText({ asn, org }: { asn: number | null | undefined; org?: string | null }) {
  const { t } = useI18n();
  if (!asn) return <span className="muted">{t('unknown')}</span>;
  return <>AS{asn}{org ? <span className="muted"> {org}</span> : null}</>;
}

/** The country's name in the page's language, when the browser knows it. */
export function countryName(cc: string, lang: string): string {
  try {
    const name = new Intl.DisplayNames([lang], { type: 'region' }).of(cc.toUpperCase());
    return name && name !== cc.toUpperCase() ? name : '';
  } catch {
    return '';
  }
}

/**
 * A value the API sends as a stable identifier (a role, a kind, a state), shown in the reader's
 * language: the message `<prefix>_<value>` (hyphens as underscores) when the catalogue has one,
 * else the value itself (a value newer than the console).
 */
export function valueLabel(t: Translate, prefix: 'role' | 'orgKind' | 'runStatus' | 'status' | 'source' | 'finding' | 'kind' | 'state' | 'tag' | 'deviceType', value: string): string {
  if (prefix === 'status' && (value === 'open' || value === 'closed')) return t(value === 'open' ? 'statusOpen' : 'statusClosed');
  const key = `${prefix}_${value.replace(/-/g, '_')}`;
  if (Object.hasOwn(en, key)) return t(key as PlainKey);
  // Tags that name a kind of device (router, camera) read as that kind.
  return prefix === 'tag' ? valueLabel(t, 'deviceType', value) : value;
}
