/**
 * Issue 4 figure: building cases from 1 million findings in at most 60 s, and re-running creates
 * no duplicate. Input: 1M open telnet services with a default credential accepted, spread over
 * 1,000 registered ISPs (a /22 each), RIR contacts for part of the rest, and the remainder
 * without a recipient (counted, not opened) — the whole mapping is exercised. JSON lines;
 * `--findings N` for other sizes.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/util/package-root.js';
import { configSchema } from '../src/config/schema.js';
import { openContext } from '../src/app/context.js';
import { buildCases } from '../src/cases/build-cases.js';
import { argValue, emit } from './lib.js';

const findings = Number(argValue('findings', '1000000'));
const dir = join(packageRoot(), 'bench', 'out', 'cases-data');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const ctx = await openContext(configSchema.parse({ dataDir: dir, log: { level: 'silent' } }));
try {
  // 10.0.0.0 + i: the first 1,000 /22s (4.1M addresses) belong to registered ISPs.
  const orgs = 1000;
  await ctx.state.query(`INSERT INTO organisations (id, name, kind, emails) SELECT 'isp-' || g, 'ISP ' || g, 'isp', ARRAY['abuse@isp' || g || '.example'] FROM generate_series(1, $1) g`, [orgs]);
  await ctx.state.query(`INSERT INTO org_prefixes (org_id, prefix) SELECT 'isp-' || g, ('10.' || ((g - 1) / 64) || '.' || (((g - 1) % 64) * 4) || '.0/22')::cidr FROM generate_series(1, $1) g`, [orgs]);
  // RIR contacts for 11.0.0.0/8 in /16s.
  await ctx.state.query(`INSERT INTO abuse_contacts (source, resource, prefix, email, via) SELECT 'RIPE', '11.' || g || '.0.0/16', ('11.' || g || '.0.0/16')::cidr, 'abuse@net' || g || '.example', 'abuse-c:R' || g FROM generate_series(0, 255) g`);
  const t0 = Date.now();
  // Findings: 60% in registered ISPs, 30% under RIR contacts, 10% nowhere (no recipient: counted, no case).
  await ctx.events.exec(
    `INSERT INTO services (time, ip, port, transport, source, run_id, status, service, weak_credential, credential_list, credential_id, login_prompt, vendor, product)
     SELECT now64(3) - toIntervalSecond(number % 86400), IPv4ToIPv6(toIPv4(
              multiIf(number % 10 < 6, 167772160 + (number * 7) % 1024000, number % 10 < 9, 184549376 + (number * 13) % 16777216, 201326592 + number)
            )), 23, 'tcp', 'survey', 'bench', 'open', 'telnet', 1, 'starter', concat('c', toString(number % 40)), 1,
            ['Acme', 'Bolt', 'Cyan'][number % 3 + 1], ['R100', 'R200', 'Cam-9'][number % 3 + 1]
     FROM numbers({n:UInt64})`,
    { n: findings },
  );
  const [stored] = await ctx.events.query<{ n: number }>('SELECT count() AS n FROM services_current FINAL');
  emit({ bench: 'cases-input', findings, distinctServices: stored?.n ?? 0, organisations: orgs, loadSeconds: (Date.now() - t0) / 1000 });

  const first = await buildCases(ctx);
  const [cases] = await ctx.state.query<{ n: number }>('SELECT count(*)::int AS n FROM cases');
  emit({ bench: 'cases-build', findings: first.findings, seconds: first.ms / 1000, opened: first.opened, noRecipient: first.noRecipient.addresses, casesStored: cases?.n ?? 0, limitSeconds: 60, rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20) });
  const second = await buildCases(ctx);
  const [after] = await ctx.state.query<{ n: number }>('SELECT count(*)::int AS n FROM cases');
  emit({ bench: 'cases-rebuild', findings: second.findings, seconds: second.ms / 1000, opened: second.opened, duplicates: (after?.n ?? 0) - (cases?.n ?? 0), seenAgain: second.seenAgain });
} finally {
  await ctx.close();
}
