import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOTS, startConsole, type ConsoleSession } from '../helpers/console-session.js';
import { configSchema } from '../../src/config/schema.js';
import { openContext } from '../../src/app/context.js';
import { createUser } from '../../src/auth/users.js';

const PW = 'a long enough password';

/** An admin registers an organisation, gives it a prefix and a member; the member then sees only it. */
describe('organisations page', () => {
  let session: ConsoleSession;
  let page: Page;
  let base = '';

  beforeAll(async () => {
    session = await startConsole('orgs-ui', async (data) => {
      const ctx = await openContext(configSchema.parse({ dataDir: data }));
      try {
        await createUser(ctx.state, { username: 'admin', password: PW, role: 'platform-admin' });
      } finally {
        await ctx.close();
      }
    }, { locale: 'en-US' });
    ({ page, base } = session);
  });
  afterAll(() => session?.close());

  const signIn = async (user: string): Promise<void> => {
    await page.goto(new URL('orgs', base).href);
    await page.waitForSelector('[data-testid="login-page"], [data-testid="orgs-page"]');
    if (await page.$('[data-testid="sign-out"]')) {
      await page.click('[data-testid="sign-out"]');
    }
    await page.waitForSelector('[data-testid="login-page"]');
    await page.fill('[data-testid="login-username"]', user);
    await page.fill('[data-testid="login-password"]', PW);
    await page.click('[data-testid="login-submit"]');
    await page.waitForSelector('[data-testid="orgs-page"]');
  };

  it('lets an admin register an organisation, extend its constituency and add a member', async () => {
    await signIn('admin');
    await page.waitForSelector('[data-testid="no-recipient-panel"]');
    await page.fill('[data-testid="new-org-name"]', 'Example ISP');
    await page.fill('[data-testid="new-org-emails"]', 'abuse@isp.example');
    await page.click('[data-testid="new-org-submit"]');
    await page.waitForSelector('[data-testid="org-row"][data-name="Example ISP"]');
    await page.fill('[data-testid="org-add-values"]', '192.0.2.0/24, 2001:db8::/32');
    await page.click('[data-testid="org-add-submit"]');
    await page.locator('[data-testid="org-prefixes"]', { hasText: '2001:db8::/32' }).waitFor();
    // A prefix that is not one is refused with the API's reason, nothing changes.
    await page.fill('[data-testid="org-add-values"]', '300.0.0.0/8');
    await page.click('[data-testid="org-add-submit"]');
    await page.waitForSelector('[data-testid="orgs-error"]');
    await page.fill('[data-testid="new-user-name"]', 'member');
    await page.fill('[data-testid="new-user-password"]', PW);
    await page.selectOption('[data-testid="new-user-org"]', 'Example ISP');
    await page.click('[data-testid="new-user-submit"]');
    await page.waitForSelector('[data-testid="user-row"][data-user="member"]');
    await page.screenshot({ path: join(SHOTS, 'orgs-en.png'), fullPage: true });
    // Nothing notified yet: the Effect page says why it is empty and what to run.
    await page.goto(new URL('effects', base).href);
    await page.waitForSelector('[data-testid="effects-empty"]');
    expect(await page.textContent('[data-testid="effects-empty"]')).toContain('sakimori notify round');
    expect(await page.$('[data-testid="effects-table"]')).toBeNull();
  });

  it('shows a member only its own organisation and no admin forms', async () => {
    await signIn('member');
    await page.waitForSelector('[data-testid="org-row"]');
    expect(await page.$$eval('[data-testid="org-row"]', (r) => r.map((e) => e.getAttribute('data-name')))).toEqual(['Example ISP']);
    expect(await page.$('[data-testid="new-org"]')).toBeNull();
    expect(await page.$('[data-testid="users-panel"]')).toBeNull();
    // Findings with no recipient lie outside every constituency: not for members.
    expect(await page.$('[data-testid="no-recipient-panel"]')).toBeNull();
  });
});
