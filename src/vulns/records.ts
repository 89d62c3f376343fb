/**
 * One record of each feed, validated with zod and flattened into the rows of the state tables.
 * A record that does not validate is reported with the path of the first problem and skipped.
 */
import { z } from 'zod';
import { parseCpe } from './cpe.js';

const CVE_ID = /^CVE-\d{4}-\d{4,}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

// ---------------------------------------------------------------------------------- CISA KEV

const kevRecord = z.object({
  cveID: z.string().regex(CVE_ID, 'not a CVE id'),
  vendorProject: z.string().default(''),
  product: z.string().default(''),
  vulnerabilityName: z.string().default(''),
  dateAdded: z.string().regex(DATE, 'not a YYYY-MM-DD date'),
  shortDescription: z.string().default(''),
  requiredAction: z.string().default(''),
  dueDate: z.string().regex(DATE, 'not a YYYY-MM-DD date').optional(),
  knownRansomwareCampaignUse: z.string().default('Unknown'),
  notes: z.string().default(''),
  cwes: z.array(z.string()).default([]),
});

export interface KevRow {
  cveId: string;
  vendorProject: string;
  product: string;
  vulnerabilityName: string;
  dateAdded: string;
  dueDate: string | null;
  shortDescription: string;
  requiredAction: string;
  knownRansomware: boolean;
  notes: string;
  cwes: string[];
}

export function kevRow(value: unknown): KevRow {
  const r = kevRecord.parse(value);
  return {
    cveId: r.cveID, vendorProject: r.vendorProject, product: r.product, vulnerabilityName: r.vulnerabilityName,
    dateAdded: r.dateAdded, dueDate: r.dueDate ?? null, shortDescription: r.shortDescription, requiredAction: r.requiredAction,
    knownRansomware: r.knownRansomwareCampaignUse.toLowerCase() === 'known', notes: r.notes, cwes: r.cwes,
  };
}

// ---------------------------------------------------------------------------- NVD CVE JSON 2.0

const cpeMatch = z.object({
  vulnerable: z.boolean(),
  criteria: z.string().refine((s) => s.startsWith('cpe:2.3:') && parseCpe(s) !== undefined, 'not a CPE 2.3 name'),
  matchCriteriaId: z.string().optional(),
  versionStartIncluding: z.string().optional(),
  versionStartExcluding: z.string().optional(),
  versionEndIncluding: z.string().optional(),
  versionEndExcluding: z.string().optional(),
});
const node = z.object({
  operator: z.enum(['OR', 'AND']).default('OR'),
  negate: z.boolean().default(false),
  cpeMatch: z.array(cpeMatch).default([]),
});
const configuration = z.object({
  operator: z.enum(['OR', 'AND']).default('OR'),
  negate: z.boolean().default(false),
  nodes: z.array(node),
});
const cvssMetric = z.object({
  type: z.string().default(''),
  baseSeverity: z.string().optional(),
  cvssData: z.object({
    version: z.string().default(''),
    baseScore: z.number(),
    baseSeverity: z.string().optional(),
    vectorString: z.string().default(''),
  }),
});
const nvdRecordSchema = z.object({
  cve: z.object({
    id: z.string().regex(CVE_ID, 'not a CVE id'),
    published: z.string().optional(),
    lastModified: z.string().optional(),
    vulnStatus: z.string().default(''),
    descriptions: z.array(z.object({ lang: z.string(), value: z.string() })).default([]),
    metrics: z.object({
      cvssMetricV40: z.array(cvssMetric).optional(),
      cvssMetricV31: z.array(cvssMetric).optional(),
      cvssMetricV30: z.array(cvssMetric).optional(),
      cvssMetricV2: z.array(cvssMetric).optional(),
    }).default({}),
    configurations: z.array(configuration).default([]),
  }),
});

export interface CveRow {
  id: string;
  summary: string;
  cvssVersion: string;
  cvssScore: number | null;
  cvssSeverity: string;
  cvssVector: string;
  published: string | null;
  lastModified: string | null;
  status: string;
}

export interface CpeMatchRow {
  cveId: string;
  config: number;
  node: number;
  configOperator: string;
  nodeOperator: string;
  negate: boolean;
  vulnerable: boolean;
  part: string;
  vendor: string;
  product: string;
  version: string;
  update: string;
  criteria: string;
  versionStartIncluding: string | null;
  versionStartExcluding: string | null;
  versionEndIncluding: string | null;
  versionEndExcluding: string | null;
  matchCriteriaId: string | null;
}

export interface NvdRecord {
  cve: CveRow;
  matches: CpeMatchRow[];
  rejected: boolean;
}

/** NVD times carry no zone and are UTC. */
function utc(t: string | undefined): string | null {
  if (!t) return null;
  return /(?:Z|[+-]\d{2}:?\d{2})$/.test(t) ? t : `${t}Z`;
}

export function nvdRecord(value: unknown): NvdRecord {
  const { cve } = nvdRecordSchema.parse(value);
  const m = cve.metrics;
  // Newest CVSS version first; within one, NVD's own (Primary) score before a CNA's.
  const metric = [m.cvssMetricV40, m.cvssMetricV31, m.cvssMetricV30, m.cvssMetricV2]
    .map((list) => (list ?? []).slice().sort((a, b) => Number(b.type === 'Primary') - Number(a.type === 'Primary'))[0])
    .find((x) => x !== undefined);
  const summary = cve.descriptions.find((d) => d.lang === 'en')?.value ?? cve.descriptions[0]?.value ?? '';
  const matches: CpeMatchRow[] = [];
  cve.configurations.forEach((cfg, ci) => {
    cfg.nodes.forEach((nd, ni) => {
      for (const cm of nd.cpeMatch) {
        const p = parseCpe(cm.criteria);
        if (!p) continue;
        matches.push({
          cveId: cve.id, config: ci, node: ni, configOperator: cfg.operator, nodeOperator: nd.operator, negate: nd.negate || cfg.negate,
          vulnerable: cm.vulnerable, part: p.part, vendor: p.vendor, product: p.product, version: p.version, update: p.update, criteria: cm.criteria,
          versionStartIncluding: cm.versionStartIncluding ?? null, versionStartExcluding: cm.versionStartExcluding ?? null,
          versionEndIncluding: cm.versionEndIncluding ?? null, versionEndExcluding: cm.versionEndExcluding ?? null,
          matchCriteriaId: cm.matchCriteriaId ?? null,
        });
      }
    });
  });
  return {
    cve: {
      id: cve.id, summary, cvssVersion: metric?.cvssData.version ?? '', cvssScore: metric?.cvssData.baseScore ?? null,
      cvssSeverity: (metric?.cvssData.baseSeverity ?? metric?.baseSeverity ?? '').toUpperCase(), cvssVector: metric?.cvssData.vectorString ?? '',
      published: utc(cve.published), lastModified: utc(cve.lastModified), status: cve.vulnStatus,
    },
    matches,
    rejected: cve.vulnStatus.toLowerCase() === 'rejected',
  };
}

/** `path.to[0].field: message` for the first problem of a zod error, or the error's message. */
export function problemOf(e: unknown): string {
  if (e instanceof z.ZodError) {
    const issue = e.issues[0];
    if (!issue) return e.message;
    const path = issue.path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '');
    return `${path || '(record)'}: ${issue.message}`;
  }
  return e instanceof Error ? e.message : String(e);
}
