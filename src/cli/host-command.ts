import type { Command } from 'commander';
import { configFrom, fmtInt } from './common.js';
import { peerPrincipal } from '../api/auth-plugin.js';
import type { Host } from '../api/contract/index.js';
import { addressProfile } from '../correlate/profile/address-profile.js';
import { SakimoriError } from '../errors.js';
import { getJson, viaStoresOrServer } from './with-context.js';
import { UNRESTRICTED } from '../store/need-to-know.js';
import { asLabel, countryLabel, hintMissingEnrichment } from './enrichment-labels.js';

export function registerHost(program: Command): void {
  program
    .command('host')
    .description('one address across every source: darknet, exposure, honeypots, flows, shared indicators; its timeline and verdict')
    .argument('<ip>', 'IPv4 or IPv6 address')
    .option('--json', 'print JSON')
    .action(async (ip: string, opts: { json?: boolean }, cmd: Command) => {
      const config = configFrom(cmd);
      const h = await viaStoresOrServer<Host | undefined>(
        config,
        (ctx) => addressProfile(ctx, ip, UNRESTRICTED, peerPrincipal(), 'rest'),
        (url) => getJson<Host>(`${url}api/v1/hosts/${encodeURIComponent(ip)}`),
      );
      if (!h) throw new SakimoriError('NOT_FOUND', `nothing observed from or on ${ip}`, { ip });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(h, null, 2)}\n`);
        return;
      }
      const lines = [`${h.ip}  ${asLabel(h.asn)}${h.org ? ` ${h.org}` : ''}  ${countryLabel(h.country)}`, verdictLine(h)];
      if (h.seenInDarknet) {
        lines.push(
          `  darknet: first seen ${h.firstSeen}  last seen ${h.lastSeen}`,
          `  packets ${fmtInt(h.packets)}  class ${h.class}  distinct ports ${fmtInt(h.distinctPorts)}  darknet addresses ${fmtInt(h.darknetAddresses)}`,
          `  tags: ${h.tags.map((t) => `${t.tag} ${(t.confidence * 100).toFixed(1)}% (${fmtInt(t.packets)} of ${fmtInt(t.applicable)} ${t.appliesTo} packets match, by chance ${t.falseMatchChance.toExponential(1)} per packet)`).join('; ') || 'none'}`,
          portsLine(h),
        );
      } else {
        lines.push('  darknet: not seen');
      }
      const x = h.exposure;
      if (x) {
        lines.push(`  exposure: ${x.openPorts} open ports, first seen ${x.firstSeen}, last seen ${x.lastSeen}, ${x.weakCredentials} with a default credential, ${x.noAuth} without authentication, ${x.cves.length} CVEs`);
        for (const s of x.services) {
          const what = [s.device?.name ?? '', s.http ? `HTTP ${s.http.status} ${s.http.title}` : '', s.ssh?.ident ?? '', s.tls ? `TLS ${s.tls.subject}${s.tls.selfSigned ? ' (self-signed)' : ''}` : ''].filter(Boolean).join('; ');
          const flags = [s.weakCredential ? `default credential (list ${s.weakCredential.list}, entry ${s.weakCredential.entry})` : '', s.noAuth ? 'no authentication' : '', s.cves.map((c) => `${c.id} (${c.evidence})`).join(' ')].filter(Boolean).join('; ');
          lines.push(`    ${s.transport}/${s.port} ${s.status} ${s.service}${what ? `  ${what}` : ''}${flags ? `  ! ${flags}` : ''}  (last ${s.lastSeen}, ${s.source})`);
        }
      } else {
        lines.push('  exposure: no service observed');
      }
      for (const i of h.indicators) {
        lines.push(`  indicator ${i.id} (TLP:${(i.tlp ?? 'amber').toUpperCase()}, collection ${i.collection}${i.confidence === null ? '' : `, confidence ${i.confidence}`}${i.validUntil ? `, valid until ${i.validUntil}` : ''}${i.revoked ? ', revoked' : ''})${i.labels.length ? `  ${i.labels.join(', ')}` : ''}`);
      }
      lines.push(...honeypotLines(h), ...timelineLines(h));
      process.stdout.write(`${lines.join('\n')}\n`);
      hintMissingEnrichment(config.dataDir, !h.asn || !h.country);
    });
}

/** The ports the host sent to, from its raw packets: saying so when some or all of them have expired. */
function portsLine(h: Host): string {
  const list = h.ports.slice(0, 15).map((p) => `${p.proto}/${p.port} ${fmtInt(p.packets)}`).join(', ');
  const r = h.rawPackets;
  const kept = `raw packets are kept ${fmtInt(r.retentionDays)} days after they were stored`;
  if (r.status === 'expired') return `  ports: raw packets expired (${kept}); ${fmtInt(h.distinctPorts)} distinct ports were seen`;
  if (r.status === 'partly-expired') return `  ports: ${list}  (from the ${fmtInt(r.kept)} of ${fmtInt(h.packets)} packets still stored; ${kept})`;
  return `  ports: ${list}`;
}

function verdictLine(h: Host): string {
  const v = h.verdict;
  const why = v.evidence.filter((e) => e.weight !== 0).slice(0, 4).map((e) => `${e.code} ${e.weight > 0 ? '+' : ''}${e.weight}`).join(', ');
  return `  verdict: ${v.verdict}${v.actor ? ` (${v.actor})` : ''}  score ${v.score}${why ? `  [${why}]` : ''}`;
}

function honeypotLines(h: Host): string[] {
  const p = h.honeypot;
  if (!p) return ['  honeypots: not seen'];
  const lines = [
    `  honeypots: ${fmtInt(p.sessions)} sessions on ${p.honeypots.join(', ')} (${p.protos.join(', ') || 'no protocol'}), first seen ${p.firstSeen}, last seen ${p.lastSeen}`,
    `    logins ${fmtInt(p.logins.attempts)} (${fmtInt(p.logins.success)} accepted, ${fmtInt(p.logins.failed)} failed)  commands ${fmtInt(p.commands.length)} distinct  urls ${fmtInt(p.urls.length)}  hashes ${fmtInt(p.hashes.length)}`,
  ];
  if (p.credentials.length) lines.push(`    credentials: ${p.credentials.slice(0, 8).map((c) => `${c.username}/${c.password} ×${c.attempts}`).join(', ')}`);
  if (p.commands.length) lines.push(`    commands: ${p.commands.slice(0, 5).join(' ; ')}`);
  for (const u of p.urls.slice(0, 5)) lines.push(`    url ${u}`);
  return lines;
}

/** The last lines of the timeline: the most recent is what a reader asks about first. */
function timelineLines(h: Host, n = 10): string[] {
  const shown = h.timeline.slice(-n);
  const older = h.timeline.length - shown.length + h.timelineTruncated;
  return [
    `  timeline (${fmtInt(h.timeline.length + h.timelineTruncated)} entries${older ? `, the last ${shown.length}` : ''}):`,
    ...shown.map((e) => `    ${e.at}  ${e.source} ${e.kind}  ${e.summary}`),
  ];
}
