/**
 * CPE names: the 2.3 formatted string (`cpe:2.3:part:vendor:product:version:update:edition:
 * language:sw_edition:target_sw:target_hw:other`, `\` escapes, `*` ANY, `-` NA) and the 2.2 URI
 * that nmap prints (`cpe:/a:openbsd:openssh:7.4`). Vendor, product, version and update are
 * unescaped and lower-cased for matching.
 */
export interface CpeName {
  readonly part: string;
  readonly vendor: string;
  readonly product: string;
  readonly version: string;
  readonly update: string;
}

/** Splits on `:` that is not escaped; keeps the escapes in the pieces. */
function splitEscaped(s: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 58) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

function unescape(v: string): string {
  return v.includes('\\') ? v.replace(/\\(.)/g, '$1') : v;
}

/** Parses a CPE 2.3 formatted string or a 2.2 URI; undefined when it is neither. */
export function parseCpe(name: string): CpeName | undefined {
  if (name.startsWith('cpe:2.3:')) {
    const p = splitEscaped(name.slice(8));
    if (p.length !== 11) return undefined;
    const [part = '', vendor = '', product = '', version = '', update = ''] = p;
    if (!/^[aho*]$/.test(part) || vendor === '' || product === '') return undefined;
    return { part, vendor: unescape(vendor).toLowerCase(), product: unescape(product).toLowerCase(), version: unescape(version).toLowerCase() || '*', update: unescape(update).toLowerCase() || '*' };
  }
  if (name.startsWith('cpe:/')) {
    const p = name.slice(5).split(':');
    const [part = '', vendor = '', product = '', version = '', update = ''] = p;
    if (!/^[aho]$/.test(part) || vendor === '' || product === '' || p.length > 7) return undefined;
    const dec = (v: string): string => {
      try {
        return decodeURIComponent(v).toLowerCase();
      } catch {
        return v.toLowerCase();
      }
    };
    return { part, vendor: dec(vendor), product: dec(product), version: dec(version) || '*', update: dec(update) || '*' };
  }
  return undefined;
}

/** Escapes a value for a CPE 2.3 formatted string (letters, digits, `.`, `_`, `-` stay). */
export function escapeCpeValue(v: string): string {
  return v.replace(/[^A-Za-z0-9._-]/g, (c) => `\\${c}`);
}

/** `vendor:product`, the key the matcher indexes by. */
export function cpeKey(vendor: string, product: string): string {
  return `${vendor}:${product}`;
}
