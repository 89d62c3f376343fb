/**
 * Findings → cases per (recipient, IP, kind). Re-running changes nothing but `last_seen` (the
 * unique key deduplicates); a resolved case whose finding is seen again after its resolution is
 * reopened. A case is opened only when someone can be told: a finding without any recipient is
 * counted in the "no recipient" tally (no-recipient.ts: per AS, country and kind) instead.
 * Opted-out addresses, e-mails and organisations get no case.
 */
import type { EventsStore, StateStore } from '../store/types.js';
import type { IpEnricher } from '../enrich/index.js';
import type { Fingerprinter } from '../classify/fingerprints.js';
import { RecipientIndex } from '../orgs/recipient-index.js';
import { rangeToCidrs } from '../net/cidr.js';
import { parseIpBigint } from '../net/ip.js';
import { campaignFindings, miraiFindings, serviceFindings, type CaseFinding } from './case-findings.js';
import { NoRecipientTally, storeNoRecipient } from './no-recipient.js';

export interface BuildCasesOptions {
  now?: Date;
  /** Mirai-like infections: look back this many days, keep sources at or above this confidence. */
  miraiDays?: number;
  miraiMinConfidence?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface BuildCasesSummary {
  findings: number;
  opened: number;
  seenAgain: number;
  reopened: number;
  /** Findings with no recipient (not opened as cases) and their distinct addresses. */
  noRecipient: { findings: number; addresses: number; topCountries: { country: string; addresses: number }[]; topAsns: { asn: number; asName: string; addresses: number }[] };
  optedOut: number;
  byKind: Record<string, number>;
  ms: number;
}

const CHUNK = 50_000;

export async function buildCases(
  ctx: { events: EventsStore; state: StateStore; enricher: IpEnricher; fingerprinter: Fingerprinter },
  opts: BuildCasesOptions = {},
): Promise<BuildCasesSummary> {
  const t0 = Date.now();
  const now = opts.now ?? new Date();
  const orgServices = await ctx.state.query<{ id: string; case_services: string[] }>("SELECT id, case_services FROM organisations WHERE case_services <> '{}'");
  const wanted = new Map(orgServices.map((o) => [`org:${o.id}`, new Set(o.case_services)]));
  const exposed = [...new Set(orgServices.flatMap((o) => o.case_services))];
  const mirai = ctx.fingerprinter.fingerprints.find((f) => f.name === 'mirai');
  const findings: CaseFinding[] = [
    ...(await serviceFindings(ctx.events, exposed)),
    ...(mirai ? await miraiFindings(ctx.events, mirai, now, opts.miraiDays ?? 7, opts.miraiMinConfidence ?? 0.9) : []),
    ...(await campaignFindings(ctx.state)),
  ];
  const tFind = Date.now();
  const index = await RecipientIndex.load(ctx.state);
  const optOut = await OptOut.load(ctx.state);
  const summary: BuildCasesSummary = { findings: findings.length, opened: 0, seenAgain: 0, reopened: 0, noRecipient: { findings: 0, addresses: 0, topCountries: [], topAsns: [] }, optedOut: 0, byKind: {}, ms: 0 };
  const none = new NoRecipientTally();
  const rows: { recipient: string; recipient_name: string; ip: string; kind: string; detail: object; device_model: string; asn: number; seen: string }[] = [];
  for (const f of findings) {
    const asn = f.asn || (ctx.enricher.empty ? 0 : ctx.enricher.asn6(bytesOf(f.ip), 0));
    const r = index.recipientOf(f.ip, asn);
    if (f.kind === 'exposed_service' && !(r && wanted.get(r.key)?.has(String(f.detail['service'])))) continue;
    if (optOut.covers(f.ip, r?.key)) {
      summary.optedOut++;
      continue;
    }
    if (!r) {
      const country = ctx.enricher.empty ? '' : ctx.enricher.country6(bytesOf(f.ip), 0);
      none.add(f.ip, asn, asn ? ctx.enricher.orgOfAsn(asn) : '', country, f.kind);
      continue;
    }
    summary.byKind[f.kind] = (summary.byKind[f.kind] ?? 0) + 1;
    rows.push({
      recipient: r.key, recipient_name: r.name, ip: f.ip, kind: f.kind,
      detail: { ...f.detail, recipientVia: r.via }, device_model: f.deviceModel, asn, seen: f.seen,
    });
  }
  const tMap = Date.now();
  await storeNoRecipient(ctx.state, none, now);
  summary.noRecipient = { findings: none.findings, addresses: none.addresses, topCountries: none.topCountries(5), topAsns: none.topAsns(5) };
  // Reopening needs a join per chunk; most builds have nothing resolved that could come back.
  const [anyResolved] = await ctx.state.query<{ x: boolean }>("SELECT EXISTS (SELECT 1 FROM cases WHERE state = 'resolved') AS x");
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = JSON.stringify(rows.slice(i, i + CHUNK));
    await ctx.state.transaction(async (tx) => {
      const input = `SELECT * FROM jsonb_to_recordset($1::jsonb) AS f(recipient text, recipient_name text, ip inet, kind text, detail jsonb, device_model text, asn bigint, seen timestamptz)`;
      const re = !anyResolved?.x ? [] : await tx.query<{ n: number }>(
        `WITH input AS (${input}),
         re AS (UPDATE cases c SET state = 'reopened', reopened_count = c.reopened_count + 1, resolved_at = NULL, resolution = NULL,
                  last_seen = greatest(c.last_seen, i.seen), detail = i.detail
                FROM input i WHERE c.recipient = i.recipient AND c.ip = i.ip AND c.kind = i.kind AND c.state = 'resolved' AND i.seen > c.resolved_at
                RETURNING c.id),
         ev AS (INSERT INTO case_events (case_id, at, from_state, to_state, reason) SELECT id, $2, 'resolved', 'reopened', 'the finding was seen again after the case was resolved' FROM re RETURNING 1)
         SELECT count(*)::int AS n FROM ev`,
        [chunk, now],
      );
      const up = await tx.query<{ opened: number; total: number }>(
        `WITH input AS (${input}),
         up AS (INSERT INTO cases (recipient, recipient_name, ip, kind, detail, device_model, asn, first_seen, last_seen, opened_at)
                SELECT recipient, recipient_name, ip, kind, detail, device_model, asn, seen, seen, $2 FROM input
                ON CONFLICT (recipient, ip, kind) DO UPDATE SET last_seen = greatest(cases.last_seen, EXCLUDED.last_seen),
                  detail = EXCLUDED.detail, device_model = EXCLUDED.device_model, recipient_name = EXCLUDED.recipient_name
                -- An unchanged finding writes nothing: a re-run over a million findings stays cheap.
                WHERE cases.last_seen < EXCLUDED.last_seen OR cases.detail IS DISTINCT FROM EXCLUDED.detail
                   OR cases.device_model <> EXCLUDED.device_model OR cases.recipient_name <> EXCLUDED.recipient_name
                RETURNING (xmax = 0) AS inserted)
         -- A new case's opening is its opened_at; events record the transitions after it.
         SELECT count(*) FILTER (WHERE inserted)::int AS opened, count(*)::int AS total FROM up`,
        [chunk, now],
      );
      summary.reopened += re[0]?.n ?? 0;
      summary.opened += up[0]?.opened ?? 0;
    });
    opts.onProgress?.(Math.min(i + CHUNK, rows.length), rows.length);
  }
  summary.seenAgain = rows.length - summary.opened - summary.reopened;
  summary.ms = Date.now() - t0;
  if (process.env['SAKIMORI_PROFILE']) process.stderr.write(`cases: findings ${tFind - t0} ms, mapping ${tMap - tFind} ms, upsert ${Date.now() - tMap} ms\n`);
  return summary;
}

function bytesOf(ip: string): Uint8Array {
  const n = parseIpBigint(ip);
  const out = new Uint8Array(16);
  if (!n) return out;
  let v = n.family === 4 ? (0xffffn << 32n) | n.value : n.value;
  for (let i = 15; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Opt-out targets: address blocks, e-mail addresses, `org:<id>` or organisation names. */
class OptOut {
  private readonly cidrs: { family: 4 | 6; lo: bigint; hi: bigint }[] = [];
  private readonly keys = new Set<string>();

  static async load(state: Pick<StateStore, 'query'>): Promise<OptOut> {
    const o = new OptOut();
    const orgs = new Map((await state.query<{ id: string; name: string }>('SELECT id, name FROM organisations')).map((r) => [r.name.toLowerCase(), r.id]));
    for (const { target } of await state.query<{ target: string }>('SELECT target FROM notify_opt_out')) {
      const single = parseIpBigint(target);
      const blocks = single ? [`${target.trim()}/${single.family === 4 ? 32 : 128}`] : rangeToCidrs(target);
      if (blocks) {
        for (const b of blocks) {
          const [ip, len] = b.split('/') as [string, string];
          const n = parseIpBigint(ip);
          if (!n) continue;
          const width = n.family === 4 ? 32 : 128;
          o.cidrs.push({ family: n.family, lo: n.value, hi: n.value | ((1n << BigInt(width - Number(len))) - 1n) });
        }
      } else if (target.includes('@')) {
        o.keys.add(`email:${target.toLowerCase()}`);
      } else {
        const id = target.startsWith('org:') ? target.slice(4) : orgs.get(target.toLowerCase());
        if (id) o.keys.add(`org:${id}`);
      }
    }
    return o;
  }

  covers(ip: string, recipient: string | undefined): boolean {
    if (recipient && this.keys.has(recipient)) return true;
    if (this.cidrs.length === 0) return false;
    const n = parseIpBigint(ip);
    return !!n && this.cidrs.some((c) => c.family === n.family && n.value >= c.lo && n.value <= c.hi);
  }
}
