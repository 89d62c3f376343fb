/**
 * The demo's notification story, on a synthetic clock ending at the darknet day: a first survey
 * five weeks earlier finds the weak services, a few organisations (ISPs, a CERT, an enterprise)
 * and RIR abuse contacts are registered for the /24s of the ASes that hold them, and five weeks
 * follow — notices into the local mail sink (the outbox) whenever there is something to tell,
 * weekly re-surveys that find part of the hosts fixed (at a pace of each recipient's own),
 * acknowledgements, a finding that comes back, reminders. Then today's darknet Mirai-like
 * infections are opened and notified. Each step is recorded (demo_story), so a second demo on
 * the same data directory repeats none.
 */
import type { AppContext } from '../app/context.js';
import { createOrg, addPrefixes } from '../orgs/org-store.js';
import { buildCases } from '../cases/build-cases.js';
import { verifyCases } from '../cases/verify-cases.js';
import { acknowledgeCase } from '../cases/case-store.js';
import { createRound } from '../notify/digest-round.js';
import { sendDueDigests } from '../notify/send-digests.js';
import { outboxMailer } from '../notify/channels/outbox.js';
import { writeServices } from '../services/service-writer.js';
import { serviceRow, type ServiceRow } from '../schema/service-observation.js';
import { seededRandom } from '../util/seeded-random.js';
import { UNRESTRICTED } from '../store/need-to-know.js';

const DAY = 86_400_000;
export const STORY_WEEKS = 5;

/** The day of the first survey: the story's weeks end on the darknet day. */
export function storyStart(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - (STORY_WEEKS * 7 + 1) * DAY).toISOString().slice(0, 10);
}

export interface StorySummary { organisations: number; contacts: number; rounds: number; messages: number; cases: number; resolved: number; told: boolean }

interface Recipients { pace: Map<string, number>; organisations: number; contacts: number }

/** Weekly share of its open cases each demo recipient fixes: different paces, so per-recipient effects differ. */
const PACE: readonly [RegExp, number][] = [[/^Demo ISP 1\b/, 0.35], [/^Demo ISP 2\b/, 0.2], [/^Demo ISP 3\b/, 0.12], [/^Demo National CERT$/, 0.25], [/^Demo Manufacturing\b/, 0.5]];
const CONTACT_PACE = 0.08;
/** The demo_story step of the registration (the weeks are 0…). */
const REGISTERED = -1;

/** The demo's organisations and RIR contacts as registered, with their paces. */
async function registered(ctx: AppContext): Promise<Recipients> {
  const pace = new Map<string, number>();
  let organisations = 0;
  for (const o of await ctx.state.query<{ id: string; name: string }>("SELECT id, name FROM organisations WHERE name LIKE 'Demo %' ORDER BY name")) {
    const weekly = PACE.find(([re]) => re.test(o.name))?.[1];
    if (weekly === undefined) continue;
    pace.set(`org:${o.id}`, weekly);
    organisations++;
  }
  const emails = await ctx.state.query<{ email: string }>("SELECT DISTINCT email FROM abuse_contacts WHERE source = 'DEMO-RIR'");
  for (const e of emails) pace.set(`email:${e.email}`, CONTACT_PACE);
  return { pace, organisations, contacts: emails.length };
}

/**
 * Organisations and RIR contacts for the ASes holding the most weak services, once: later the
 * ranking changes (hosts get fixed), so a second demo takes what the first registered.
 */
async function demoRecipients(ctx: AppContext, done: ReadonlySet<number>): Promise<Recipients> {
  if (done.has(REGISTERED)) return registered(ctx);
  // The /24s of their weak hosts: registering whole synthetic ASes would also bring in tens of
  // thousands of the day's Mirai-like sources, more than a demo should open in a minute.
  const top = await ctx.events.query<{ asn: number; org: string; nets: string[] }>(
    `SELECT asn, any(org) AS org, arraySort(groupUniqArray(IPv4NumToString(bitAnd(ip4, 4294967040)))) AS nets FROM services_current FINAL
     WHERE asn != 0 AND ip4 != 0 AND (weak_credential = 1 OR no_auth = 1 OR notEmpty(cves)) GROUP BY asn ORDER BY count() DESC, asn LIMIT 8`,
  );
  const prefixes = (t: { nets: string[] }): string[] => t.nets.map((n) => `${n}/24`);
  // The synthetic AS names end in their country: "Synthetic Telecom 6 (CN)".
  const countryOf = (t: { org: string } | undefined): string => /\(([A-Z]{2})\)$/.exec(t?.org ?? '')?.[1] ?? '';
  const org = async (name: string, input: Record<string, unknown>, then: (id: string) => Promise<unknown>): Promise<void> => {
    const [found] = await ctx.state.query<{ id: string }>('SELECT id FROM organisations WHERE name = $1', [name]);
    if (!found) await then((await createOrg(ctx.state, { name, ...input })).id);
  };
  const label = (t: { org: string } | undefined): string => (t?.org ? ` (${t.org})` : '');
  for (const [i, t] of top.slice(0, 3).entries()) {
    await org(`Demo ISP ${i + 1}${label(t)}`, { kind: 'isp', country: countryOf(t), emails: [`abuse@demo-isp${i + 1}.example`], language: i === 2 ? 'en' : 'ja' },
      (id) => addPrefixes(ctx.state, id, prefixes(t)));
  }
  const cert = top.slice(3, 5);
  if (cert.length) {
    await org('Demo National CERT', { kind: 'cert', country: countryOf(cert[0]), emails: ['incident@demo-cert.example'] }, (id) => addPrefixes(ctx.state, id, cert.flatMap(prefixes)));
  }
  const ent = top[5];
  if (ent) {
    await org('Demo Manufacturing Co.', { kind: 'enterprise', country: countryOf(ent), emails: ['soc@demo-manufacturing.example'] }, (id) => addPrefixes(ctx.state, id, prefixes(ent)));
  }
  for (const t of top.slice(6, 8)) {
    const email = `abuse@as${t.asn}.example`;
    for (const prefix of prefixes(t)) {
      const [had] = await ctx.state.query('SELECT 1 FROM abuse_contacts WHERE source = $1 AND prefix = $2::cidr', ['DEMO-RIR', prefix]);
      if (!had) {
        await ctx.state.query('INSERT INTO abuse_contacts (source, resource, prefix, email, via, name, country) VALUES ($1, $2, $3::cidr, $4, $5, $6, $7)',
          ['DEMO-RIR', prefix, prefix, email, `abuse-c: DEMO-AB${t.asn}`, t.org, countryOf(t)]);
      }
    }
  }
  await ctx.state.query('INSERT INTO demo_story (step) VALUES ($1) ON CONFLICT DO NOTHING', [REGISTERED]);
  return registered(ctx);
}

interface OpenCase { id: number; ip: string; kind: string; recipient: string; state: string; detail: { port?: number; transport?: string; service?: string } }

/** What a re-survey sees on a fixed host: the credential refused, authentication asked, firmware updated. */
function fixedRow(c: OpenCase, at: number, run: string): ServiceRow {
  const base = { source: 'survey', run_id: run, ip: c.ip, port: c.detail.port ?? 0, transport: 'tcp' as const };
  if (c.kind === 'default_credential') return serviceRow({ ...base, service: 'telnet', login_prompt: 1, weak_credential: 0, banner: '\\r\\nlogin: ' }, at);
  if (c.kind === 'vulnerable_firmware') return serviceRow({ ...base, service: 'http', http_status: 401, login_prompt: 1, vendor: 'ACME Home', product: 'mini_httpd', version: '1.30' }, at);
  return serviceRow({ ...base, status: 'closed' }, at);
}

/** A round of the story through the local mail sink at its synthetic time; false: nothing to tell. */
async function round(ctx: AppContext, at: Date): Promise<boolean> {
  const r = await createRound(ctx.state, { now: at, remindDays: 28, escalationEmails: ctx.config.notify.escalationEmails });
  await sendDueDigests(ctx.state, { mailer: outboxMailer(ctx.state, () => at), now: () => at, concurrency: 1 });
  return r.round !== null;
}

export async function demoStory(ctx: AppContext, date: string, step: (what: string) => void): Promise<StorySummary> {
  const done = new Set((await ctx.state.query<{ step: number }>('SELECT step FROM demo_story')).map((r) => Number(r.step)));
  const who = await demoRecipients(ctx, done);
  const start = Date.parse(`${storyStart(date)}T00:00:00Z`) + DAY; // the end of the first survey's day
  const mirai = ctx.fingerprinter.fingerprints.find((f) => f.name === 'mirai');
  let rounds = 0;
  let steps = 0;
  // Each step once: a second demo, or one after an interruption, goes on where the last stopped.
  const once = async (n: number, what: string, run: () => Promise<void>): Promise<void> => {
    if (done.has(n)) return;
    step(what);
    await run();
    await ctx.state.query('INSERT INTO demo_story (step) VALUES ($1) ON CONFLICT DO NOTHING', [n]);
    steps++;
  };
  await once(0, 'week 0: cases from the first survey, first notices', async () => {
    await buildCases(ctx, { now: new Date(start) });
    if (await round(ctx, new Date(start + 3_600_000))) rounds++;
  });
  let cameBack: OpenCase | undefined;
  for (let w = 1; w <= STORY_WEEKS; w++) {
    await once(w, `week ${w} of ${STORY_WEEKS}: re-survey, acknowledgements, round`, async () => {
      const rand = seededRandom(7 + w);
      const t = start + w * 7 * DAY;
      const open = await ctx.state.query<OpenCase>(
        "SELECT id, host(ip) AS ip, kind, recipient, state, detail FROM cases WHERE state IN ('new', 'notified', 'acknowledged', 'reopened') AND kind <> 'mirai_infection' ORDER BY id",
      );
      const fixed = open.filter((c) => rand() < (who.pace.get(c.recipient) ?? CONTACT_PACE));
      const rows = fixed.map((c) => fixedRow(c, t - 6 * 3_600_000 + Math.floor(rand() * 3_600_000), `demo-resurvey-${w}`));
      // One host fixed in week 1 is found weak again in week 3: its case reopens (reappearance).
      if (w === 1) cameBack = fixed.find((c) => c.kind === 'default_credential');
      if (w === 3 && cameBack) {
        rows.push(serviceRow({ source: 'survey', run_id: `demo-resurvey-${w}`, ip: cameBack.ip, port: cameBack.detail.port ?? 23, transport: 'tcp', service: 'telnet', login_prompt: 1, weak_credential: 1, credential_list: 'notice-starter', credential_id: 'c001' }, t - 5 * 3_600_000));
      }
      if (rows.length) await writeServices(ctx.events, ctx.enricher, rows, { dedupToken: `demo-resurvey-${date}-${w}` });
      await verifyCases(ctx, { now: new Date(t - 3 * 3_600_000) });
      if (w === 3) await buildCases(ctx, { now: new Date(t - 2 * 3_600_000) });
      for (const c of open) {
        if (c.state === 'notified' && !fixed.includes(c) && rand() < 0.3) {
          await acknowledgeCase(ctx.state, UNRESTRICTED, c.id, 'acknowledged by the recipient: forwarded to the customer', new Date(t - 2 * 3_600_000));
        }
      }
      if (await round(ctx, new Date(t))) rounds++;
    });
  }
  await once(STORY_WEEKS + 1, "today: the darknet day's Mirai-like infections", async () => {
    await buildCases(ctx);
    if (mirai) await verifyCases(ctx, { mirai });
    if (await round(ctx, new Date())) rounds++;
  });
  const [c] = await ctx.state.query<{ cases: number; resolved: number; messages: number }>(
    "SELECT (SELECT count(*)::int FROM cases) AS cases, (SELECT count(*)::int FROM cases WHERE state = 'resolved') AS resolved, (SELECT count(*)::int FROM demo_outbox) AS messages",
  );
  return { organisations: who.organisations, contacts: who.contacts, rounds, told: steps > 0, cases: c?.cases ?? 0, resolved: c?.resolved ?? 0, messages: c?.messages ?? 0 };
}
