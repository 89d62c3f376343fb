/**
 * Resolution from evidence only. A service case (default credential, no authentication,
 * vulnerable firmware, exposed service) is resolved when an observation made after the finding
 * was last seen shows the weakness gone: the port closed, the credential refused, the CVE no
 * longer attached, the service gone. A Mirai-like infection is resolved when the telescope,
 * covering at least `quietDays` after the source was last seen infected, saw no more of it. A
 * device in a honeypot campaign likewise, when the honeypots, covering at least `quietDays` after
 * it was last seen, saw nothing more from it.
 */
import type { EventsStore, StateStore } from '../store/types.js';
import { ipText } from '../store/events/sql-helpers.js';
import type { Fingerprint } from '../classify/fingerprints.js';

export interface VerifyOptions { now?: Date; quietDays?: number; mirai?: Fingerprint }
export interface VerifySummary { checked: number; resolved: number; byKind: Record<string, number> }

interface OpenCase { id: number; ip: string; kind: string; detail: { port?: number; transport?: string; cves?: string[]; service?: string }; last_seen: Date; state: string }
interface Latest { ip: string; port: number; transport: string; time: string; status: string; weak_credential: number; no_auth: number; cves: string[]; service: string; source: string; run_id: string }

// Addresses per query: 5,000 IPv6 texts stay below ClickHouse's max_query_size (256 KiB).
const CHUNK = 5_000;
const ISO = (col: string): string => `formatDateTime(${col}, '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC')`;

export async function verifyCases(ctx: { events: EventsStore; state: StateStore }, opts: VerifyOptions = {}): Promise<VerifySummary> {
  const now = opts.now ?? new Date();
  const open = await ctx.state.query<OpenCase>(
    "SELECT id, host(ip) AS ip, kind, detail, last_seen, state FROM cases WHERE state IN ('new', 'notified', 'acknowledged', 'reopened') ORDER BY id",
  );
  const summary: VerifySummary = { checked: open.length, resolved: 0, byKind: {} };
  const resolutions: { id: number; from: string; evidence: object; reason: string }[] = [];

  const serviceCases = open.filter((c) => c.kind !== 'mirai_infection' && c.kind !== 'campaign_infection');
  for (let i = 0; i < serviceCases.length; i += CHUNK) {
    const chunk = serviceCases.slice(i, i + CHUNK);
    const latest = await ctx.events.query<Latest>(
      `SELECT ${ipText('ip')} AS ip, port, transport, ${ISO('time')} AS time, status, weak_credential, no_auth, cves, service, source, run_id
       FROM services_current FINAL WHERE ip IN (SELECT toIPv6(arrayJoin({ips:Array(String)})))`,
      { ips: [...new Set(chunk.map((c) => c.ip))] },
    );
    const byPort = new Map(latest.map((l) => [`${l.ip}|${l.transport}|${l.port}`, l]));
    for (const c of chunk) {
      const l = byPort.get(`${c.ip}|${c.detail.transport ?? 'tcp'}|${c.detail.port ?? 0}`);
      if (!l || Date.parse(l.time) <= c.last_seen.getTime()) continue;
      const gone = l.status !== 'open' ? `port ${l.status}`
        : c.kind === 'default_credential' && l.weak_credential === 0 ? 'default credential no longer accepted'
          : c.kind === 'no_authentication' && l.no_auth === 0 ? 'authentication now required'
            : c.kind === 'vulnerable_firmware' && !(c.detail.cves ?? []).some((v) => l.cves.includes(v)) ? 'CVEs no longer apply (updated firmware)'
              : c.kind === 'exposed_service' && l.service !== c.detail.service ? `service is now ${l.service || 'unidentified'}`
                : undefined;
      if (gone) resolutions.push({ id: c.id, from: c.state, reason: gone, evidence: { observedAt: l.time.replace(/(\.\d{3})\d*Z$/, '$1Z'), source: l.source, runId: l.run_id, status: l.status } });
    }
  }

  const miraiCases = open.filter((c) => c.kind === 'mirai_infection');
  if (miraiCases.length > 0 && opts.mirai) {
    const quiet = (opts.quietDays ?? 7) * 86_400_000;
    const [range] = await ctx.events.query<{ last: string | null }>(`SELECT if(count() = 0, NULL, ${ISO('max(last_seen)')}) AS last FROM darknet_source_day`);
    const telescopeLast = range?.last ? Date.parse(range.last) : 0;
    for (let i = 0; i < miraiCases.length; i += CHUNK) {
      const chunk = miraiCases.slice(i, i + CHUNK);
      const active = await ctx.events.query<{ ip: string; last: string }>(
        `SELECT ${ipText('src')} AS ip, ${ISO('max(last_seen)')} AS last FROM darknet_source_day
         WHERE src IN (SELECT toIPv6(arrayJoin({ips:Array(String)}))) AND has(tag_hits.1, {bit:UInt8}) GROUP BY src`,
        { ips: chunk.map((c) => c.ip), bit: opts.mirai.bit },
      );
      const lastInfected = new Map(active.map((a) => [a.ip, Date.parse(a.last)]));
      for (const c of chunk) {
        const seen = Math.max(c.last_seen.getTime(), lastInfected.get(c.ip) ?? 0);
        if (telescopeLast - seen >= quiet) {
          resolutions.push({ id: c.id, from: c.state, reason: `no Mirai-like packets for ${opts.quietDays ?? 7} days of telescope coverage`, evidence: { lastInfectedAt: new Date(seen).toISOString(), telescopeUntil: new Date(telescopeLast).toISOString() } });
        }
      }
    }
  }

  const campaignCases = open.filter((c) => c.kind === 'campaign_infection');
  if (campaignCases.length > 0) {
    const quietDays = opts.quietDays ?? 7;
    const [range] = await ctx.events.query<{ last: string | null }>(`SELECT if(count() = 0, NULL, ${ISO('max(ts)')}) AS last FROM honeypot_events`);
    const honeypotLast = range?.last ? Date.parse(range.last) : 0;
    for (let i = 0; i < campaignCases.length; i += CHUNK) {
      const chunk = campaignCases.slice(i, i + CHUNK);
      const active = await ctx.events.query<{ ip: string; last: string }>(
        `SELECT ${ipText('src')} AS ip, ${ISO('max(ts)')} AS last FROM honeypot_events WHERE src IN (SELECT toIPv6(arrayJoin({ips:Array(String)}))) GROUP BY src`,
        { ips: chunk.map((c) => c.ip) },
      );
      const lastSeen = new Map(active.map((a) => [a.ip, Date.parse(a.last)]));
      for (const c of chunk) {
        const seen = Math.max(c.last_seen.getTime(), lastSeen.get(c.ip) ?? 0);
        if (honeypotLast - seen >= quietDays * 86_400_000) {
          resolutions.push({ id: c.id, from: c.state, reason: `nothing from it on the honeypots for ${quietDays} days of honeypot coverage`, evidence: { lastSeenAt: new Date(seen).toISOString(), honeypotsUntil: new Date(honeypotLast).toISOString() } });
        }
      }
    }
  }

  const kindOf = new Map(open.map((c) => [c.id, c.kind]));
  for (let i = 0; i < resolutions.length; i += CHUNK) {
    const chunk = resolutions.slice(i, i + CHUNK);
    await ctx.state.transaction(async (tx) => {
      await tx.query(
        `WITH r AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id bigint, "from" text, reason text, evidence jsonb)),
         u AS (UPDATE cases c SET state = 'resolved', resolved_at = $2, resolution = jsonb_build_object('reason', r.reason) || r.evidence
               FROM r WHERE c.id = r.id AND c.state = r."from" RETURNING c.id, r."from", r.reason, r.evidence)
         INSERT INTO case_events (case_id, at, from_state, to_state, reason, evidence) SELECT id, $2, "from", 'resolved', reason, evidence FROM u`,
        [JSON.stringify(chunk), now],
      );
    });
  }
  for (const r of resolutions) {
    const k = kindOf.get(r.id) ?? 'unknown';
    summary.byKind[k] = (summary.byKind[k] ?? 0) + 1;
  }
  summary.resolved = resolutions.length;
  return summary;
}
