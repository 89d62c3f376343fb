import type { Command } from 'commander';

/**
 * Every command by name, each registered from its own module: main.ts loads only the one being
 * run (start-up time matters for `report` and `host` answered by a running server); `--help`
 * and unknown commands load them all.
 */
export const COMMANDS: Record<string, () => Promise<(p: Command) => void>> = {
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
  share: async () => {
    const [indicators, reports] = await Promise.all([import('./share-command.js'), import('./victim-report-command.js')]);
    return (p: Command) => { indicators.registerShare(p); reports.registerVictimReports(p); };
  },
  stix: async () => (await import('./stix-command.js')).registerStix,
  taxii: async () => (await import('./taxii-command.js')).registerTaxii,
  collect: async () => (await import('./collect-command.js')).registerCollect,
  cnc: async () => (await import('./cnc-command.js')).registerCnc,
  honeypot: async () => (await import('./honeypot-command.js')).registerHoneypot,
  campaigns: async () => (await import('./campaigns-command.js')).registerCampaigns,
};
