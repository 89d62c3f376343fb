#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { printError } from './common.js';
import { COMMANDS } from './commands.js';
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

// Only the module of the command being run is loaded (commands.ts).
const wanted = process.argv.slice(2).find((a) => !a.startsWith('-') && a in COMMANDS);
const needed = wanted && !process.argv.includes('--help') && !process.argv.includes('-h') ? [wanted] : Object.keys(COMMANDS);
for (const name of needed) (await (COMMANDS[name] as () => Promise<(p: Command) => void>)())(program);

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
