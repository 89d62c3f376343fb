import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { parseSurgeSpec, synthDarknetToFile, synthEnrichmentRows, type SurgeSpec, type SynthOptions } from '../synth/index.js';
import { fmtInt } from './common.js';
import { registerSynthFlows } from './synth-flows-command.js';

interface SynthFlags {
  packets?: number; date?: string; seed?: number; out: string; truth?: string; truthSources?: boolean;
  format?: 'pcap' | 'pcapng'; gzip?: boolean; nanosecond?: boolean; link?: 'ethernet' | 'raw'; ipv6Share?: number;
  surge: SurgeSpec[]; maxSourcePackets?: number;
}

export function registerSynth(program: Command): void {
  const synth = program.command('synth').description('our own generators of realistic data with known ground truth');
  synth
    .command('darknet')
    .description('synthesize darknet traffic: Mirai, Masscan, ZMap, other scanners, UDP, ICMP, IPv6, DoS backscatter')
    .option('--packets <n>', 'total packets', (v) => Number(v), 1_000_000)
    .option('--date <day>', 'UTC day YYYY-MM-DD (default yesterday)')
    .option('--seed <n>', 'random seed', (v) => Number(v), 1)
    .option('--out <file>', 'output file, - for stdout', '-')
    .option('--truth <file>', 'write the ground truth as JSON to this file')
    .option('--truth-sources', 'include every source in the ground truth')
    .option('--format <format>', 'pcap | pcapng', 'pcap')
    .option('--gzip', 'gzip the output')
    .option('--nanosecond', 'nanosecond timestamps')
    .option('--link <type>', 'ethernet | raw', 'ethernet')
    .option('--ipv6-share <share>', 'share of IPv6 packets', (v) => Number(v))
    .option('--surge <spec>', 'inject a port surge, proto/port@hour:packets (e.g. tcp/8888@13:5000); repeatable', (v: string, all: SurgeSpec[]) => [...all, parseSurgeSpec(v)], [])
    .option('--max-source-packets <n>', 'most packets any one background source sends (a steady background)', (v) => Number(v))
    .action(async (f: SynthFlags) => {
      const opts: SynthOptions = {
        packets: f.packets, seed: f.seed, format: f.format, gzip: f.gzip, nanosecond: f.nanosecond, linkType: f.link,
        truthPath: f.truth, truthSources: f.truthSources, surges: f.surge,
      };
      if (f.maxSourcePackets !== undefined) opts.maxSourcePackets = f.maxSourcePackets;
      if (f.date) opts.date = f.date;
      if (f.ipv6Share !== undefined) opts.ipv6Share = f.ipv6Share;
      const started = Date.now();
      const truth = await synthDarknetToFile(opts, f.out);
      if (f.out !== '-') {
        const secs = (Date.now() - started) / 1000;
        process.stderr.write(`${f.out}: ${fmtInt(truth.packets)} packets from ${fmtInt(truth.sources)} sources on ${truth.date} in ${secs.toFixed(1)} s\n`);
      }
    });
  synth
    .command('enrichment')
    .description('enrichment CSVs (ip-location-db form) for the synthetic sources of a seed')
    .option('--seed <n>', 'random seed', (v) => Number(v), 1)
    .requiredOption('--asn <file>', 'ASN CSV to write')
    .requiredOption('--country <file>', 'country CSV to write')
    .action(async (f: { seed: number; asn: string; country: string }) => {
      const rows = synthEnrichmentRows({ seed: f.seed });
      await writeFile(f.asn, rows.asn);
      await writeFile(f.country, rows.country);
    });
  registerSynthFlows(synth);
}
