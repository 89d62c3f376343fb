/**
 * Device identification rules as data: a rule matches text a probe or an import recorded
 * (banner, HTTP title/server/headers, certificate subject/issuer, SSH identification, module
 * details) with JS regular expressions and names the vendor, product, device type, CPE names and
 * tags. A named group `version` (and optionally `update`, e.g. OpenSSH's `p1`) carries the
 * version into the row and into the CPE templates (`{version}`, `{update}`; `*` when absent).
 *
 * File format (`data/fingerprints/*.json`):
 *
 *   { "version": 1, "rules": [ { "id": "openssh",
 *       "match": { "ssh.ident": "^SSH-[\\d.]+-OpenSSH_(?<version>\\d+(?:\\.\\d+)*)(?<update>p\\d+)?" },
 *       "vendor": "OpenBSD", "product": "OpenSSH",
 *       "cpe": "cpe:2.3:a:openbsd:openssh:{version}:{update}:*:*:*:*:*:*" } ] }
 *
 * - `match`: field → pattern; the rule applies when ANY of them matches (the first that does
 *   gives the version). `require`: field → pattern, ALL must match too. `ports`: only these ports.
 *   `flags`: "i" for case-insensitive patterns.
 * - Fields: banner, http.title, http.server, http.header.<name> (lower-case name),
 *   tls.subject, tls.issuer, ssh.ident, details (the module's JSON extras), service.
 * - Outputs: vendor, product, device_type, cpe (one template or a list), tags; at least one.
 *
 * Applying a rule set to a row never overwrites what is already there (a module or an earlier
 * rule wins): vendor, product and version come together from the first rule naming a product
 * (a later rule for the same product may still fill in a missing version), device_type from the
 * first rule that has one; CPE names and tags accumulate over every matching rule. Rules are
 * tried in file order, so device rules come before the generic web/SSH server rules.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { SakimoriError, messageOf } from '../errors.js';
import type { ServiceFinding } from '../schema/service-observation.js';
import { escapeCpeValue } from '../vulns/cpe.js';
import { packageRoot } from '../util/package-root.js';

const FIELD = /^(?:banner|http\.title|http\.server|http\.header\.[a-z0-9][a-z0-9-]*|tls\.subject|tls\.issuer|ssh\.ident|details|service)$/;
const CPE_TEMPLATE = /^cpe:2\.3:[aho]:[^:{}]+:[^:{}]+:(?:[^:]|\\:)+(?::(?:[^:]|\\:)+){7}$/;

const patterns = z.record(z.string(), z.string().min(1, 'empty pattern'));
const ruleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'ids are lower-case letters, digits, ".", "_" and "-"'),
  description: z.string().optional(),
  match: patterns.refine((m) => Object.keys(m).length > 0, 'at least one field to match'),
  require: patterns.optional(),
  ports: z.array(z.number().int().min(1).max(65535)).optional(),
  flags: z.enum(['', 'i']).optional(),
  vendor: z.string().min(1).optional(),
  product: z.string().min(1).optional(),
  device_type: z.string().min(1).optional(),
  cpe: z.union([z.string(), z.array(z.string())]).optional(),
  tags: z.array(z.string().min(1)).optional(),
  reference: z.string().optional(),
});
const fileSchema = z.strictObject({ version: z.literal(1), description: z.string().optional(), rules: z.array(z.unknown()) });

export type FingerprintRule = z.infer<typeof ruleSchema>;

/** Rows and sparse findings (an import's) alike: a field not there reads as ''. */
type Getter = (row: ServiceFinding) => string;

interface Condition {
  readonly field: string;
  readonly get: Getter;
  readonly re: RegExp;
}

export interface CompiledRule {
  readonly id: string;
  readonly file: string;
  readonly any: readonly Condition[];
  readonly all: readonly Condition[];
  readonly ports: ReadonlySet<number> | undefined;
  readonly vendor: string;
  readonly product: string;
  readonly deviceType: string;
  readonly cpe: readonly string[];
  readonly tags: readonly string[];
}

function getter(field: string): Getter {
  switch (field) {
    case 'banner': return (r) => r.banner ?? '';
    case 'http.title': return (r) => r.http_title ?? '';
    case 'http.server': return (r) => r.http_server || (r.http_headers?.['server'] ?? '');
    case 'tls.subject': return (r) => r.tls_subject ?? '';
    case 'tls.issuer': return (r) => r.tls_issuer ?? '';
    case 'ssh.ident': return (r) => r.ssh_ident ?? '';
    case 'details': return (r) => r.details ?? '';
    case 'service': return (r) => r.service ?? '';
    default: {
      const name = field.slice('http.header.'.length);
      if (name === 'www-authenticate') return (r) => r.http_headers?.[name] ?? r.http_www_authenticate ?? '';
      if (name === 'server') return (r) => r.http_headers?.[name] ?? r.http_server ?? '';
      return (r) => r.http_headers?.[name] ?? '';
    }
  }
}

function invalid(file: string, rule: string, detail: string): SakimoriError {
  return new SakimoriError('RULES_INVALID', `${file}: rule ${rule}: ${detail}`, { file, rule });
}

function zodProblem(e: z.ZodError): string {
  const issue = e.issues[0];
  if (!issue) return e.message;
  const path = issue.path.map(String).join('.');
  return `${path ? `${path}: ` : ''}${issue.message}`;
}

function compileConditions(file: string, id: string, what: string, m: Record<string, string>, flags: string): Condition[] {
  return Object.entries(m).map(([field, pattern]) => {
    if (!FIELD.test(field)) throw invalid(file, id, `${what}: unknown field "${field}" (banner, http.title, http.server, http.header.<name>, tls.subject, tls.issuer, ssh.ident, details, service)`);
    let re: RegExp;
    try {
      re = new RegExp(pattern, flags);
    } catch (e) {
      throw invalid(file, id, `${what}.${field}: invalid regular expression: ${messageOf(e)}`);
    }
    return { field, get: getter(field), re };
  });
}

/** Validates and compiles one file's parsed JSON (`file` names it in errors). */
export function compileRuleFile(data: unknown, file: string): CompiledRule[] {
  const f = fileSchema.safeParse(data);
  if (!f.success) throw new SakimoriError('RULES_INVALID', `${file}: ${zodProblem(f.error)}`, { file });
  const seen = new Set<string>();
  return f.data.rules.map((raw, index) => {
    const rawId = typeof raw === 'object' && raw !== null && typeof (raw as Record<string, unknown>)['id'] === 'string' ? String((raw as Record<string, unknown>)['id']) : `#${index}`;
    const p = ruleSchema.safeParse(raw);
    if (!p.success) throw invalid(file, rawId, zodProblem(p.error));
    const r = p.data;
    if (seen.has(r.id)) throw invalid(file, r.id, 'duplicate id');
    seen.add(r.id);
    const flags = r.flags ?? '';
    const cpe = r.cpe === undefined ? [] : typeof r.cpe === 'string' ? [r.cpe] : r.cpe;
    for (const t of cpe) {
      const rest = t.replace(/\{(?:version|update)\}/g, 'x');
      if (/[{}]/.test(rest)) throw invalid(file, r.id, `cpe "${t}": only {version} and {update} can be filled in`);
      if (!CPE_TEMPLATE.test(rest)) throw invalid(file, r.id, `cpe "${t}": not a CPE 2.3 name (cpe:2.3:a|h|o:vendor:product:version: and 7 more fields)`);
    }
    if (!r.vendor && !r.product && !r.device_type && cpe.length === 0 && !(r.tags && r.tags.length > 0)) {
      throw invalid(file, r.id, 'the rule sets nothing (give vendor, product, device_type, cpe or tags)');
    }
    return {
      id: r.id, file,
      any: compileConditions(file, r.id, 'match', r.match, flags),
      all: compileConditions(file, r.id, 'require', r.require ?? {}, flags),
      ports: r.ports ? new Set(r.ports) : undefined,
      vendor: r.vendor ?? '', product: r.product ?? '', deviceType: r.device_type ?? '', cpe, tags: r.tags ?? [],
    };
  });
}

export async function loadRuleFile(file: string): Promise<CompiledRule[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SakimoriError(code === 'ENOENT' ? 'INPUT_NOT_FOUND' : 'INPUT_READ_FAILED', `${file}: ${messageOf(e)}`, { file });
  }
  let data: unknown;
  try {
    data = JSON.parse(text) as unknown;
  } catch (e) {
    throw new SakimoriError('RULES_INVALID', `${file}: not valid JSON: ${messageOf(e)}`, { file });
  }
  return compileRuleFile(data, file);
}

export function starterRulesFile(): string {
  return join(packageRoot(), 'data', 'fingerprints', 'starter.json');
}

function fillCpe(template: string, version: string, update: string): string {
  return template
    .replace('{version}', version ? escapeCpeValue(version.toLowerCase()) : '*')
    .replace('{update}', update ? escapeCpeValue(update.toLowerCase()) : '*');
}

/** A compiled rule set; `apply` fills a row (or a sparse finding) in place and returns the ids of the rules that matched. */
export class FingerprintRules {
  /** The fields any rule reads (a row with none of them can match nothing). */
  readonly fields: ReadonlySet<string>;

  constructor(readonly rules: readonly CompiledRule[]) {
    this.fields = new Set(rules.flatMap((r) => [...r.any, ...r.all].map((c) => c.field)));
    const ids = new Map<string, string>();
    for (const r of rules) {
      const other = ids.get(r.id);
      if (other !== undefined) throw invalid(r.file, r.id, `duplicate id (also in ${other})`);
      ids.set(r.id, r.file);
    }
  }

  /** Loads rule files in order (default: the starter set). */
  static async load(files: readonly string[] = [starterRulesFile()]): Promise<FingerprintRules> {
    const all: CompiledRule[] = [];
    for (const f of files) all.push(...(await loadRuleFile(f)));
    return new FingerprintRules(all);
  }

  apply(row: ServiceFinding): string[] {
    const hits: string[] = [];
    for (const rule of this.rules) {
      if (rule.ports && !rule.ports.has(row.port)) continue;
      let m: RegExpExecArray | null = null;
      for (const c of rule.any) {
        const s = c.get(row);
        if (s === '' || s === undefined) continue;
        m = c.re.exec(s);
        if (m) break;
      }
      if (!m) continue;
      let version = m.groups?.['version'] ?? '';
      let update = m.groups?.['update'] ?? '';
      let ok = true;
      for (const c of rule.all) {
        const s = c.get(row);
        const mm = s ? c.re.exec(s) : null;
        if (!mm) {
          ok = false;
          break;
        }
        if (!version && mm.groups?.['version']) {
          version = mm.groups['version'];
          update = mm.groups['update'] ?? update;
        }
      }
      if (!ok) continue;
      hits.push(rule.id);
      const full = version + update;
      if (rule.product) {
        if (!row.product) {
          row.product = rule.product;
          if (rule.vendor && !row.vendor) row.vendor = rule.vendor;
          if (full && !row.version) row.version = full;
        } else if (full && !row.version && row.product.toLowerCase() === rule.product.toLowerCase()) {
          row.version = full;
        }
      } else if (rule.vendor && !row.vendor) {
        row.vendor = rule.vendor;
      }
      if (rule.deviceType && !row.device_type) row.device_type = rule.deviceType;
      for (const t of rule.cpe) {
        const name = fillCpe(t, version, update);
        const cpe = (row.cpe ??= []);
        if (!cpe.includes(name)) cpe.push(name);
      }
      for (const t of rule.tags) {
        const tags = (row.tags ??= []);
        if (!tags.includes(t)) tags.push(t);
      }
    }
    return hits;
  }
}
