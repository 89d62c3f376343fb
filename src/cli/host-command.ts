import type { Command } from 'commander';
import { configFrom, fmtInt } from './common.js';
import { hostProfile, type HostProfile } from '../analyze/host.js';
import { SakimoriError } from '../errors.js';
import { getJson, viaStoresOrServer } from './with-context.js';

export function registerHost(program: Command): void {
  program
    .command('host')
    .description('what the darknet saw from one address')
    .argument('<ip>', 'IPv4 or IPv6 address')
    .option('--json', 'print JSON')
    .action(async (ip: string, opts: { json?: boolean }, cmd: Command) => {
      const config = configFrom(cmd);
      const h = await viaStoresOrServer<HostProfile | undefined>(
        config,
        (ctx) => hostProfile(ctx.events, ip, ctx.fingerprinter.fingerprints, (a) => ctx.enricher.orgOfAsn(a)),
        (url) => getJson<HostProfile>(`${url}api/v1/hosts/${encodeURIComponent(ip)}`),
      );
      if (!h) throw new SakimoriError('NOT_FOUND', `no packets from ${ip}`, { ip });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(h, null, 2)}\n`);
        return;
      }
      const lines = [
        `${h.ip}  AS${h.asn} ${h.org} ${h.country}`,
        `  first seen ${h.firstSeen}  last seen ${h.lastSeen}`,
        `  packets ${fmtInt(h.packets)}  class ${h.class}  distinct ports ${fmtInt(h.distinctPorts)}  darknet addresses ${fmtInt(h.darknetAddresses)}`,
        `  tags: ${h.tags.map((t) => `${t.tag} ${(t.confidence * 100).toFixed(1)}% (${fmtInt(t.packets)} of ${fmtInt(h.packets)} packets match, chance ${t.falseMatchChance.toExponential(1)})`).join('; ') || 'none'}`,
        `  ports: ${h.ports.slice(0, 15).map((p) => `${p.proto}/${p.port} ${fmtInt(p.packets)}`).join(', ')}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
