#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { printError } from './common.js';
import { registerIngest } from './ingest-command.js';
import { registerReport } from './report-command.js';
import { registerHost } from './host-command.js';
import { registerServe } from './serve-command.js';
import { registerSynth } from './synth-command.js';
import { registerDemo } from './demo-command.js';
import { registerEnrich } from './enrich-command.js';
import { registerStore } from './store-command.js';

const program = new Command()
  .name('sakimori')
  .description('Sakimori (防人): darknet telescope, exposure survey and notification platform')
  .version(VERSION)
  .option('--data <dir>', 'data directory (env SAKIMORI_DATA, default ./sakimori-data)')
  .option('--config <file>', 'JSON configuration file (default ./sakimori.json if present)')
  .option('--clickhouse-url <url>', 'use a ClickHouse server for events instead of embedded chDB')
  .option('--postgres-url <url>', 'use a PostgreSQL server for state instead of embedded PGlite')
  .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent')
  .exitOverride();

registerIngest(program);
registerReport(program);
registerHost(program);
registerServe(program);
registerSynth(program);
registerDemo(program);
registerEnrich(program);
registerStore(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode;
  } else {
    printError(e);
    process.exitCode = 1;
  }
}
