#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { printError } from './common.js';
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

// Only the module of the command being run is loaded (start-up time matters for `report` and
// `host` answered by a running server); `--help` and unknown commands load them all.
const COMMANDS: Record<string, () => Promise<(p: Command) => void>> = {
  ingest: async () => (await import('./ingest-command.js')).registerIngest,
  report: async () => (await import('./report-command.js')).registerReport,
  host: async () => (await import('./host-command.js')).registerHost,
  search: async () => (await import('./search-command.js')).registerSearch,
  serve: async () => (await import('./serve-command.js')).registerServe,
  synth: async () => (await import('./synth-command.js')).registerSynth,
  demo: async () => (await import('./demo-command.js')).registerDemo,
  enrich: async () => (await import('./enrich-command.js')).registerEnrich,
  store: async () => (await import('./store-command.js')).registerStore,
  monitor: async () => (await import('./monitor-command.js')).registerMonitor,
  contacts: async () => (await import('./contacts-command.js')).registerContacts,
  org: async () => (await import('./org-command.js')).registerOrg,
  responsible: async () => (await import('./org-command.js')).registerResponsible,
  user: async () => (await import('./user-command.js')).registerUser,
  apikey: async () => (await import('./user-command.js')).registerApiKey,
  'signin-link': async () => (await import('./signin-link-command.js')).registerSignInLink,
  cases: async () => (await import('./cases-command.js')).registerCases,
  notify: async () => (await import('./notify-command.js')).registerNotify,
  effects: async () => (await import('./effects-command.js')).registerEffects,
  scope: async () => (await import('./scope-command.js')).registerScope,
  survey: async () => (await import('./survey-command.js')).registerSurvey,
  import: async () => (await import('./import-command.js')).registerImport,
  vulns: async () => (await import('./vulns-command.js')).registerVulns,
};
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
