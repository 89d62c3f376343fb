/**
 * Generator throughput: N synthetic darknet packets written to a file.
 *
 *   node dist/bench/synth.js [N=20000000] [FILE=bench/out/synth.pcap]
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { synthDarknetToFile } from '../src/synth/index.js';
import { emit } from './lib.js';

const packets = Number(process.argv[2] ?? '20000000');
const file = resolve(process.argv[3] ?? 'bench/out/synth.pcap');
mkdirSync(dirname(file), { recursive: true });
const started = process.hrtime.bigint();
await synthDarknetToFile({ packets, seed: 1, date: '2024-01-15' }, file);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
emit({ bench: 'synth', packets, seconds, packetsPerSecond: packets / seconds, bytes: statSync(file).size, peakRssMiB: Math.round(process.memoryUsage().rss / 2 ** 20) });
