/**
 * Warning lists: addresses never published as indicators because they are known to be benign
 * (research scanners such as Shodan, Censys or university projects, CDNs, public resolvers).
 * Two forms are read: one address or CIDR per line (`#` starts a comment), or a MISP warninglist
 * (JSON: `name`, `description`, `type`, `list`; types `cidr` and `string`, whose entries must be
 * addresses or CIDRs here). A bad entry is reported with where it is, the others are kept.
 */
import { parseCidr, splitCidr } from '../../net/cidr.js';

export interface WarningListIssue {
  /** 1-based line of the text form, or of the JSON entry. */
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface ParsedWarningList {
  /** From a MISP warninglist; undefined for the plain form. */
  readonly name?: string;
  readonly description?: string;
  /** Normalised CIDRs, each once. */
  readonly prefixes: readonly string[];
  readonly issues: readonly WarningListIssue[];
}

const MAX_ISSUES = 100;

export function parseWarningList(text: string): ParsedWarningList {
  const body = text.replace(/^\uFEFF/, '');
  return /^\s*\{/.test(body) ? parseMispWarningList(body) : parseLines(body);
}

function parseLines(text: string): ParsedWarningList {
  const prefixes = new Set<string>();
  const issues: WarningListIssue[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const hash = raw.indexOf('#');
    const content = hash >= 0 ? raw.slice(0, hash) : raw;
    const entry = content.trim();
    if (entry === '') continue;
    const r = readEntry(entry);
    if (typeof r === 'string') prefixes.add(r);
    else if (issues.length < MAX_ISSUES) issues.push({ line: i + 1, column: content.indexOf(entry) + 1, message: r.message });
  }
  return { prefixes: [...prefixes], issues };
}

function parseMispWarningList(text: string): ParsedWarningList {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { prefixes: [], issues: [{ ...jsonPosition(text, (e as Error).message), message: `not JSON: ${(e as Error).message}` }] };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return { prefixes: [], issues: [{ line: 1, column: 1, message: 'a MISP warninglist is a JSON object' }] };
  const o = doc as Record<string, unknown>;
  const list = o['list'];
  if (!Array.isArray(list)) return { prefixes: [], issues: [{ line: 1, column: 1, message: 'a MISP warninglist needs a "list" array' }] };
  const type = typeof o['type'] === 'string' ? o['type'] : 'string';
  if (type !== 'cidr' && type !== 'string') return { prefixes: [], issues: [{ line: 1, column: 1, message: `warninglist type "${type}" holds no addresses (cidr or string expected)` }] };
  const prefixes = new Set<string>();
  const issues: WarningListIssue[] = [];
  // Where each entry is in the text, for the message: the n-th string after `"list"`.
  const lineOf = entryLines(text);
  list.forEach((item, i) => {
    const r = typeof item === 'string' ? readEntry(item.trim()) : { message: 'not a string' };
    if (typeof r === 'string') prefixes.add(r);
    else if (issues.length < MAX_ISSUES) issues.push({ ...(lineOf(i) ?? { line: 1, column: 1 }), message: `list[${i}]: ${r.message}` });
  });
  return {
    ...(typeof o['name'] === 'string' ? { name: o['name'] } : {}),
    ...(typeof o['description'] === 'string' ? { description: o['description'] } : {}),
    prefixes: [...prefixes],
    issues,
  };
}

function readEntry(entry: string): string | { message: string } {
  try {
    return parseCidr(entry).text;
  } catch {
    return { message: splitCidr(entry) ? `"${entry}" has bits set after the prefix length` : `not an address or CIDR: "${entry.slice(0, 100)}"` };
  }
}

/** Line and column of the i-th element of the `"list"` array (entries are one per line in MISP's files). */
function entryLines(text: string): (i: number) => { line: number; column: number } | undefined {
  const start = text.search(/"list"\s*:\s*\[/);
  if (start < 0) return () => undefined;
  const positions: number[] = [];
  const re = /"(?:[^"\\]|\\.)*"|[\d.eE+-]+|true|false|null|[{[]/g;
  re.lastIndex = text.indexOf('[', start) + 1;
  let depth = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    // Only top-level elements of the array count; a nested value ends the simple scan.
    if (m[0] === '{' || m[0] === '[') { depth++; break; }
    positions.push(m.index);
    const after = text.slice(re.lastIndex).match(/^\s*([,\]])/);
    if (!after || after[1] === ']') break;
  }
  if (depth > 0) return () => undefined;
  return (i) => {
    const at = positions[i];
    return at === undefined ? undefined : positionOf(text, at);
  };
}

function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** V8's JSON errors name the offset ("at position N", newer "line N column M") in most cases; line and column from it. */
function jsonPosition(text: string, message: string): { line: number; column: number } {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const m = /position (\d+)/.exec(message);
  return m ? positionOf(text, Math.min(text.length, Number(m[1]))) : { line: 1, column: 1 };
}
