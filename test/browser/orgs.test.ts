import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, startServer, stopServer } from '../helpers/serve.js';
import { packageRoot } from '../../src/util/package-root.js';
import { configSchema } from '../../src/config/schema.js';
import { openContext } from '../../src/app/context.js';
import { createUser } from '../../src/auth/users.js';

const SHOTS = join(packageRoot(), 'test', 'screenshots');
const PW = 'a long enough password';

/** An admin registers an organisation, gives it a prefix and a member; the member then sees only it. */
describe('organisations page', () => {
  let dir: string | undefined;
  let server: ChildProcess | undefined;
  let base = '';
  let browser: Browser | undefined;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'sakimori-orgs-ui-'));
    const data = join(dir, 'data');
    const ctx = await openContext(configSchema.parse({ dataDir: data }));
    try {
      await createUser(ctx.state, { username: 'admin', password: PW, role: 'platform-admin' });
    } finally {
      await ctx.close();
    }
    ({ server, base } = await startServer(data));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await (await browser.newContext({ viewport: { width: 1300, height: 900 }, locale: 'en-US' })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await stopServer(server);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

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
    await page.fill('[data-testid="new-org-name"]', 'Example ISP');
    await page.fill('[data-testid="new-org-emails"]', 'abuse@isp.example');
    await page.click('[data-testid="new-org-submit"]');
    await page.waitForSelector('[data-testid="org-row"][data-name="Example ISP"]');
    await page.fill('[data-testid="org-add-values"]', '192.0.2.0/24, 2001:db8::/32');
    await page.click('[data-testid="org-add-submit"]');
    await page.waitForFunction(`document.querySelector('[data-testid="org-prefixes"]')?.textContent?.includes('2001:db8::/32')`);
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
  });

  it('shows a member only its own organisation and no admin forms', async () => {
    await signIn('member');
    await page.waitForSelector('[data-testid="org-row"]');
    expect(await page.$$eval('[data-testid="org-row"]', (r) => r.map((e) => e.getAttribute('data-name')))).toEqual(['Example ISP']);
    expect(await page.$('[data-testid="new-org"]')).toBeNull();
    expect(await page.$('[data-testid="users-panel"]')).toBeNull();
  });
});
