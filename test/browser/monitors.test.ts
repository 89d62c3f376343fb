import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOTS, startConsole, type ConsoleSession } from '../helpers/console-session.js';
import { configSchema } from '../../src/config/schema.js';
import { openContext } from '../../src/app/context.js';
import { createUser } from '../../src/auth/users.js';
import { addPrefixes, createOrg } from '../../src/orgs/org-store.js';
import { writeServices } from '../../src/services/service-writer.js';
import { serviceRow } from '../../src/schema/service-observation.js';

const PW = 'a long enough password';

interface Finding { key: string; kind: string; muted: boolean }

/**
 * Monitors in the console: an organisation's admin makes one over its range, runs it and mutes a
 * finding; a read-only member of the same organisation sees the monitor and its findings with no
 * control to change them.
 */
describe('monitors page', () => {
  let session: ConsoleSession;
  let page: Page;
  let base = '';

  beforeAll(async () => {
    session = await startConsole('monitors-ui', async (data) => {
      const ctx = await openContext(configSchema.parse({ dataDir: data }));
      try {
        const org = await createOrg(ctx.state, { name: 'Example ISP', kind: 'isp', emails: ['abuse@isp.example'] });
        await addPrefixes(ctx.state, org.id, ['192.0.2.0/24']);
        await createUser(ctx.state, { username: 'isp-admin', password: PW, role: 'org-admin', org: org.id });
        await createUser(ctx.state, { username: 'isp-reader', password: PW, role: 'org-member', org: org.id });
        await writeServices(ctx.events, ctx.enricher, [
          serviceRow({ ip: '192.0.2.10', port: 23, transport: 'tcp', source: 'survey', service: 'telnet', weak_credential: 1, credential_list: 'starter', credential_id: 'c001' }, '2026-10-01T00:00:00Z'),
          serviceRow({ ip: '192.0.2.11', port: 80, transport: 'tcp', source: 'survey', service: 'http' }, '2026-10-01T00:00:00Z'),
          serviceRow({ ip: '198.51.100.7', port: 23, transport: 'tcp', source: 'survey', service: 'telnet' }, '2026-10-01T00:00:00Z'),
        ], { dedupToken: 'monitors-ui' });
      } finally {
        await ctx.close();
      }
    });
    ({ page, base } = session);
  });
  afterAll(() => session?.close());

  const api = async <T>(path: string): Promise<T> => (await (await page.request.get(new URL(path, base).href)).json()) as T;
  const signIn = async (user: string): Promise<void> => {
    await page.goto(new URL('monitors', base).href);
    await page.waitForSelector('[data-testid="login-page"], [data-testid="monitors-page"]');
    if (await page.$('[data-testid="sign-out"]')) await page.click('[data-testid="sign-out"]');
    await page.waitForSelector('[data-testid="login-page"]');
    await page.fill('[data-testid="login-username"]', user);
    await page.fill('[data-testid="login-password"]', PW);
    await page.click('[data-testid="login-submit"]');
    await page.waitForSelector('[data-testid="monitors-page"]');
  };

  it('is in the header; an organisation admin creates a monitor, runs it and mutes a finding', async () => {
    await signIn('isp-admin');
    await page.goto(base);
    await page.click('[data-testid="nav-monitors"]');
    await page.waitForSelector('[data-testid="monitors-empty"]');
    await page.fill('[data-testid="monitor-name"]', 'isp-watch');
    await page.fill('[data-testid="monitor-cidrs"]', '192.0.2.0/24');
    await page.fill('[data-testid="monitor-query"]', 'port:23 OR port:80');
    await page.fill('[data-testid="monitor-emails"]', 'soc@isp.example');
    await page.click('[data-testid="monitor-create"]');
    await page.waitForSelector('[data-testid="monitor-row"][data-name="isp-watch"]');
    const [m] = await api<{ id: string; name: string; cidrs: string[]; query: string; emails: string[]; kinds: string[] }[]>('api/v1/monitors');
    expect(m).toMatchObject({ name: 'isp-watch', cidrs: ['192.0.2.0/24'], query: 'port:23 OR port:80', emails: ['soc@isp.example'], kinds: ['service', 'weak_credential', 'cve'] });
    expect(new URL(page.url()).searchParams.get('m')).toBe(m?.id);
    await page.waitForSelector('[data-testid="monitor-findings"]');

    // The first run is the baseline: it records the findings (within the range only).
    await page.click('[data-testid="monitor-run"]');
    await page.waitForSelector('[data-testid="finding-row"]');
    const findings = await api<Finding[]>(`api/v1/monitors/${m?.id}/findings`);
    expect(findings.length).toBe(3); // two services and one accepted default credential
    expect(await page.$$eval('[data-testid="finding-row"]', (r) => r.map((e) => e.getAttribute('data-key')))).toEqual(findings.map((f) => f.key));
    expect(await page.getAttribute('[data-testid="monitor-findings-count"]', 'data-value')).toBe('3');
    expect(await page.textContent('[data-testid="monitor-findings"]')).not.toContain('198.51.100.7');

    const weak = findings.find((f) => f.kind === 'weak_credential');
    const row = page.locator(`[data-testid="finding-row"][data-key="${weak?.key}"]`);
    await row.locator('[data-testid="finding-mute"]').click();
    await expect.poll(() => row.getAttribute('data-muted')).toBe('true');
    expect((await api<Finding[]>(`api/v1/monitors/${m?.id}/findings`)).find((f) => f.key === weak?.key)?.muted).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'monitors-ja.png'), fullPage: true });
    await page.click('[data-testid="lang-toggle"]');
    await page.waitForSelector('text=Findings of isp-watch');
    await page.screenshot({ path: join(SHOTS, 'monitors-en.png'), fullPage: true });
    await page.click('[data-testid="lang-toggle"]');
  });

  it('shows a read-only member the monitors and findings, and no control to change them', async () => {
    await signIn('isp-reader');
    await page.waitForSelector('[data-testid="monitors-read-only"]');
    await page.click('[data-testid="monitor-open"]');
    await page.waitForSelector('[data-testid="finding-row"]');
    expect(await page.locator('[data-testid="finding-row"]').count()).toBe(3);
    expect(await page.locator('[data-testid="finding-muted"]').count()).toBe(1);
    for (const control of ['monitor-run', 'monitor-delete', 'finding-mute', 'finding-unmute', 'new-monitor', 'monitor-create']) {
      expect(await page.locator(`[data-testid="${control}"]`).count(), control).toBe(0);
    }
    await page.screenshot({ path: join(SHOTS, 'monitors-read-only-ja.png'), fullPage: true });
  });
});
