/**
 * Device names wherever they are shown (cases, their CSV, effects, the report, the host page,
 * search) come from one function: a vendor the product repeats is not written twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.js';
import { openContext, type AppContext } from '../app/context.js';
import { writeServices } from '../services/service-writer.js';
import { serviceRow, type ServiceFinding } from '../schema/service-observation.js';
import { addPrefixes, createOrg } from '../orgs/org-store.js';
import { buildCases } from '../cases/build-cases.js';
import { createRound } from '../notify/digest-round.js';
import { sendDueDigests } from '../notify/send-digests.js';
import type { EmailMessage } from '../notify/channels/email.js';
import { splitCsvLine } from '../enrich/csv-fields.js';
import { effectReport } from '../effects/effect-report.js';
import { hostExposure } from '../services/host-exposure.js';
import { search } from '../search/search.js';
import { UNRESTRICTED } from '../store/need-to-know.js';
import { observationData } from './observation-report.js';

describe('device names', () => {
  let dir: string;
  let ctx: AppContext;
  const sent: EmailMessage[] = [];
  const svc = (f: Omit<ServiceFinding, 'transport'>): ReturnType<typeof serviceRow> => serviceRow({ source: 'survey', status: 'open', ...f, transport: 'tcp' }, '2026-11-10T00:00:00Z');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sakimori-device-names-'));
    ctx = await openContext(configSchema.parse({ dataDir: dir }));
    const a = await createOrg(ctx.state, { name: 'ISP A', kind: 'isp', emails: ['abuse@isp-a.example'] });
    await addPrefixes(ctx.state, a.id, ['192.0.2.0/24']);
    await writeServices(ctx.events, ctx.enricher, [
      // nmap names the product with its vendor in it; the busybox rule names both BusyBox.
      svc({ ip: '192.0.2.1', port: 23, service: 'telnet', weak_credential: 1, credential_list: 'starter', credential_id: 'c002', vendor: 'BusyBox', product: 'BusyBox telnetd' }),
      svc({ ip: '192.0.2.2', port: 23, service: 'telnet', vendor: 'BusyBox', product: 'BusyBox', version: '1.19.4', cves: ['CVE-2021-42374'], cve_evidence: ['inferred'] }),
      svc({ ip: '192.0.2.3', port: 22, service: 'ssh', vendor: 'OpenBSD', product: 'OpenSSH', version: '7.4', cves: ['CVE-2023-38408'], cve_evidence: ['inferred'] }),
    ], { dedupToken: 'device-names' });
    await buildCases(ctx, { now: new Date('2026-11-11T00:00:00Z') });
    await createRound(ctx.state, {});
    await sendDueDigests(ctx.state, { mailer: { send: async (m) => { sent.push(m); return { ok: true }; }, close: () => undefined } });
  }, 120_000);
  afterAll(async () => {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const WANT = ['BusyBox 1.19.4', 'BusyBox telnetd', 'OpenBSD OpenSSH 7.4'];

  it('in cases and the digest CSV', async () => {
    const cases = await ctx.state.query<{ device_model: string }>('SELECT device_model FROM cases ORDER BY device_model');
    expect(cases.map((c) => c.device_model)).toEqual(WANT);
    const csv = sent[0]?.attachments?.[0]?.content ?? '';
    const [head, ...lines] = csv.split('\r\n').filter(Boolean);
    const at = (splitCsvLine(head ?? '') ?? []).indexOf('device_model');
    expect(lines.map((l) => (splitCsvLine(l) ?? [])[at]).sort()).toEqual(WANT);
  });

  it('in effects by device model', async () => {
    const r = await effectReport(ctx.state, UNRESTRICTED, { groupBy: 'device_model', now: new Date('2026-11-20T00:00:00Z') });
    expect(r.groups.map((g) => g.group).sort()).toEqual(WANT);
  });

  it('in the observation report', async () => {
    const d = await observationData(ctx, { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-30T00:00:00Z') });
    expect(d.exposure.models.map((m) => m.model).sort()).toEqual(WANT);
  });

  it('on the host page and in search', async () => {
    const h = await hostExposure(ctx.events, '192.0.2.1');
    expect(h?.services[0]?.device?.name).toBe('BusyBox telnetd');
    const h2 = await hostExposure(ctx.events, '192.0.2.2');
    expect(h2?.services[0]?.device?.name).toBe('BusyBox 1.19.4');
    expect(h2?.history[0]?.summary).toContain('BusyBox 1.19.4');
    const s = await search(ctx.events, { query: 'vendor:BusyBox OR product:OpenSSH', restriction: UNRESTRICTED });
    expect(s.hits.map((x) => x.device).sort()).toEqual(WANT);
  });
});
