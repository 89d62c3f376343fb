/**
 * `sakimori cnc share …`: C&C candidates shared among carriers without sharing flows (issue 17,
 * item 6; docs/flows.md, "What leaves a carrier"). `publish` puts candidates into a collection
 * as STIX; `key`, `submit` and `corroboration` are the keyed-hash corroboration. Each runs on the
 * stores, or beside a running server through its API; `--hub URL` sends a carrier's submission to
 * (and reads its answers from) the ISAC's hub elsewhere, with the hub's key in SAKIMORI_API_KEY.
 * The community key never leaves this installation: hashes are made here.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { configFrom, fmtInt } from './common.js';
import { callJson, getJson, viaStoresOrServer } from './with-context.js';
import { readSecret } from './read-secret.js';
import { printRecipients } from './share-command.js';
import { SakimoriError } from '../errors.js';
import type { Config } from '../config/schema.js';
import { parseTlp, type Tlp } from '../share/stix/tlp.js';
import type { CncCandidate } from '../flows/detect/candidate.js';
import type { CandidatePublishAnswer, CommunityKeyAnswer, CorroborationAnswer, CorroborationSubmitAnswer } from '../api/contract/flow-share.js';

const out = (s: string): boolean => process.stdout.write(s);

async function localPrincipal(): Promise<import('../auth/principal.js').Principal> {
  return (await import('../api/auth-plugin.js')).peerPrincipal();
}

function tlpOption(text: string | undefined): Tlp {
  const t = parseTlp(text ?? 'amber');
  if (!t) throw new SakimoriError('BAD_REQUEST', `--tlp must be one of clear, green, amber, amber+strict, red (not ${text})`, { field: 'tlp' });
  return t;
}

function scoreOption(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const x = Number(text);
  if (!(x >= 0 && x <= 1)) throw new SakimoriError('BAD_REQUEST', `--min-score is a number between 0 and 1 (not ${text})`, { field: 'min-score' });
  return x;
}

async function candidatesFrom(file: string | undefined): Promise<CncCandidate[]> {
  if (!file) throw new SakimoriError('BAD_REQUEST', '--candidates FILE: the `cnc candidates --json` output', { field: 'candidates' });
  const { parseCandidatesText } = await import('../flows/share/candidates-file.js');
  return parseCandidatesText(await readFile(file, 'utf8'), file);
}

/** A hub's base URL with its trailing slash, as the local server's is. */
const hubBase = (url: string): string => (url.endsWith('/') ? url : `${url}/`);

/** The community key of this installation (from the stores, or through the local server as its owner). */
async function localKey(config: Config): Promise<import('../flows/share/community-key.js').CommunityKey> {
  const { communityKey, communityKeyOf } = await import('../flows/share/community-key.js');
  return viaStoresOrServer(config, (ctx) => communityKey(ctx.state), async (url) => {
    const r = await callJson<CommunityKeyAnswer>('POST', `${url}api/v1/flows/corroboration/key`, { reveal: true });
    if (!r.key) throw new SakimoriError('INTERNAL', 'the server did not answer the key');
    return communityKeyOf(Buffer.from(r.key, 'hex'));
  });
}

function printPublish(r: CandidatePublishAnswer): void {
  out(`${r.dryRun ? 'dry run: would publish' : 'published'} C&C candidates into ${r.collection.title} (${r.collection.id}) at TLP:${r.tlp.toUpperCase()}, minimum score ${r.minScore}\n`);
  out(`  candidates           ${fmtInt(r.candidates).padStart(10)}  (raised by corroboration ${fmtInt(r.corroborated)})\n`);
  out(`  new                  ${fmtInt(r.created).padStart(10)}\n  new versions         ${fmtInt(r.updated).padStart(10)}  (revoked ${fmtInt(r.revoked)})\n  unchanged            ${fmtInt(r.unchanged).padStart(10)}\n`);
  out(`  objects ${r.dryRun ? 'to send' : 'stored '}      ${fmtInt(r.dryRun ? r.objects : r.stored).padStart(10)}\n`);
  out('  not published, by reason:\n');
  for (const [why, n] of Object.entries(r.excluded)) out(`    ${why.padEnd(18)} ${fmtInt(n).padStart(10)}\n`);
  for (const f of r.failures) out(`  refused ${f.id}: ${f.message}\n`);
  if (r.dryRun) for (const s of r.sample) out(`  ${s.pattern}  confidence ${s.confidence}  until ${s.validUntil}\n`);
  printRecipients(r.recipients);
}

export function registerCncShare(cnc: Command): void {
  const share = cnc.command('share').description('share C&C candidates through the hub (STIX) and corroborate them among carriers by keyed hashes, without sharing flows');

  share.command('publish')
    .requiredOption('--collection <id>', 'collection id or alias')
    .requiredOption('--candidates <file>', 'the `cnc candidates --json` output')
    .option('--tlp <level>', 'clear|green|amber|amber+strict|red', 'amber')
    .option('--min-score <x>', 'publish candidates scoring at least this (0–1, after corroboration)', '0.5')
    .option('--corroborate', 'raise scores with the corroboration the hub answered to this carrier')
    .option('--org <org>', 'this carrier\'s organisation (with --corroborate)')
    .option('--internal <cidr...>', 'this carrier\'s own prefixes: servers inside are never published')
    .option('--dry-run', 'say what would be published, what is held back and who would receive it; store nothing')
    .option('--json', 'print JSON')
    .description('publish C&C candidates as STIX indicators, infrastructure and relationships into a collection')
    .action(async (o: { collection: string; candidates: string; tlp?: string; minScore?: string; corroborate?: boolean; org?: string; internal?: string[]; dryRun?: boolean; json?: boolean }, cmd: Command) => {
      const config = configFrom(cmd);
      const tlp = tlpOption(o.tlp);
      const minScore = scoreOption(o.minScore, 0.5);
      const candidates = await candidatesFrom(o.candidates);
      const req = {
        collection: o.collection, tlp, minScore, dryRun: o.dryRun ?? false, corroborate: o.corroborate ?? false,
        ...(o.org !== undefined ? { org: o.org } : {}), ...(o.internal ? { internal: o.internal } : {}),
      };
      const r = await viaStoresOrServer<CandidatePublishAnswer>(config, async (ctx) => {
        const { publishCandidates } = await import('../flows/share/publish-candidates.js');
        return publishCandidates(ctx.state, await localPrincipal(), { ...req, candidates });
      }, (url) => callJson<CandidatePublishAnswer>('POST', `${url}api/v1/flows/candidates/publish`, { ...req, candidates }));
      if (o.json) out(`${JSON.stringify(r, null, 2)}\n`);
      else printPublish(r);
    });

  share.command('key')
    .option('--import <file>', 'use the ISAC\'s key (hex) from FILE, or - to type or pipe it')
    .option('--replace', 'with --import: replace another key (the ISAC rotated it)')
    .option('--reveal', 'print the key itself (hex), to hand to a member carrier over a secure channel')
    .description('the community key carriers hash their candidates with: generated here if absent, or imported')
    .action(async (o: { import?: string; replace?: boolean; reveal?: boolean }, cmd: Command) => {
      const config = configFrom(cmd);
      const imported = o.import === undefined ? undefined : o.import === '-' ? await readSecret('community key (hex): ') : await readFile(o.import, 'utf8');
      const body = { ...(imported !== undefined ? { import: imported.trim(), replace: o.replace ?? false } : {}), reveal: o.reveal ?? false };
      const r = await viaStoresOrServer<CommunityKeyAnswer>(config, async (ctx) => {
        const k = await import('../flows/share/community-key.js');
        const got = body.import !== undefined ? await k.importCommunityKey(ctx.state, body.import, { replace: body.replace }) : await k.ensureCommunityKey(ctx.state);
        return { keyId: got.keyId, created: got.created, ...(body.reveal ? { key: Buffer.from(got.key).toString('hex') } : {}) };
      }, (url) => callJson<CommunityKeyAnswer>('POST', `${url}api/v1/flows/corroboration/key`, body));
      process.stderr.write(`community key ${r.keyId}${r.created ? (imported !== undefined ? ' imported' : ' generated') : ' (already present)'}\n`);
      if (r.key) {
        process.stderr.write('the key is a secret of the ISAC\'s carriers: hand it over a secure channel, never to the hub alone\n');
        out(`${r.key}\n`);
      }
    });

  share.command('submit')
    .requiredOption('--candidates <file>', 'the `cnc candidates --json` output')
    .option('--org <org>', 'this carrier\'s organisation at the hub (operators; a member submits for its own)')
    .option('--hub <url>', 'the ISAC\'s hub, when it is not this installation (its API key in SAKIMORI_API_KEY)')
    .option('--min-score <x>', 'submit candidates scoring at least this (0–1)', '0')
    .option('--json', 'print JSON')
    .description('hash this carrier\'s candidates with the community key and submit the hashes, coarse client buckets and days')
    .action(async (o: { candidates: string; org?: string; hub?: string; minScore?: string; json?: boolean }, cmd: Command) => {
      const config = configFrom(cmd);
      const candidates = await candidatesFrom(o.candidates);
      const key = await localKey(config);
      const { buildSubmission } = await import('../flows/share/submission.js');
      const b = buildSubmission(candidates, key, { minScore: scoreOption(o.minScore, 0) });
      const body = { ...(o.org !== undefined ? { org: o.org } : {}), ...b.submission };
      const send = (url: string): Promise<CorroborationSubmitAnswer> => callJson<CorroborationSubmitAnswer>('POST', `${url}api/v1/flows/corroboration`, body);
      const r = o.hub ? await send(hubBase(o.hub)) : await viaStoresOrServer<CorroborationSubmitAnswer>(config, async (ctx) => {
        const s = await import('../flows/share/corroboration-store.js');
        const who = await localPrincipal();
        return s.submitCorroboration(ctx.state, await s.corroborationOrg(ctx.state, who, o.org), who.userId, b.submission);
      }, send);
      if (o.json) { out(`${JSON.stringify({ ...r, skipped: b.skipped }, null, 2)}\n`); return; }
      out(`submitted ${fmtInt(r.entries)} hash(es) under key ${r.keyId} (${fmtInt(r.stored)} new or changed); ${fmtInt(b.skipped)} candidate(s) not hashable\n`);
    });

  share.command('corroboration')
    .option('--org <org>', 'this carrier\'s organisation at the hub (operators; a member reads its own)')
    .option('--hub <url>', 'the ISAC\'s hub, when it is not this installation (its API key in SAKIMORI_API_KEY)')
    .option('--days <n>', 'the window in days, ending today', '7')
    .option('--candidates <file>', 'name each hash by the candidate it was made from (hashed here, with the community key)')
    .option('--json', 'print JSON')
    .description('for each hash this carrier submitted, how many other carriers submitted the same (never which)')
    .action(async (o: { org?: string; hub?: string; days?: string; candidates?: string; json?: boolean }, cmd: Command) => {
      const config = configFrom(cmd);
      const days = Number(o.days ?? '7');
      if (!Number.isInteger(days) || days < 1 || days > 90) throw new SakimoriError('BAD_REQUEST', '--days is 1 to 90', { field: 'days' });
      const q = new URLSearchParams({ days: String(days), ...(o.org !== undefined ? { org: o.org } : {}) });
      const fetchAnswer = (url: string): Promise<CorroborationAnswer> => getJson<CorroborationAnswer>(`${url}api/v1/flows/corroboration?${q}`);
      const r = o.hub ? await fetchAnswer(hubBase(o.hub)) : await viaStoresOrServer<CorroborationAnswer>(config, async (ctx) => {
        const s = await import('../flows/share/corroboration-store.js');
        return s.corroborationFor(ctx.state, await s.corroborationOrg(ctx.state, await localPrincipal(), o.org), { days });
      }, fetchAnswer);
      let names = new Map<string, string>();
      if (o.candidates) {
        const { buildSubmission } = await import('../flows/share/submission.js');
        names = new Map(buildSubmission(await candidatesFrom(o.candidates), await localKey(config)).keys);
      }
      if (o.json) { out(`${JSON.stringify({ ...r, answers: r.answers.map((a) => ({ ...a, candidate: names.get(a.hash) ?? null })) }, null, 2)}\n`); return; }
      out(`corroboration ${r.from} – ${r.to}: ${fmtInt(r.answers.length)} of this carrier's hashes, ${fmtInt(r.answers.filter((a) => a.others > 0).length)} seen by other carriers (buckets told from ${r.k} others)\n`);
      for (const a of r.answers) {
        const hist = a.othersBuckets ? `  others' buckets ${Object.entries(a.othersBuckets).map(([b, n]) => `${b}:${n}`).join(' ')}` : '';
        out(`  ${(names.get(a.hash) ?? `${a.hash.slice(0, 16)}…`).padEnd(40)} others ${String(a.others).padStart(3)}  ours ${a.bucket.padEnd(6)} last ${a.lastDay}${hist}\n`);
      }
    });
}
