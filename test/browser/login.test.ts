import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/serve.js';
import { startConsole, type ConsoleSession } from '../helpers/console-session.js';

/**
 * Once a user exists the console asks for a sign-in: a wrong password is refused with a message,
 * the right one opens the dashboard, and signing out returns to the form.
 */
describe('console sign-in', () => {
  let session: ConsoleSession;
  let page: Page;
  let base = '';

  beforeAll(async () => {
    session = await startConsole('login', (data) => runCli(['user', 'add', 'soc-admin', '--role', 'platform-admin', '--data', data], 'a long test password\n'), { locale: 'en-US', viewport: { width: 1200, height: 800 }, signIn: false });
    ({ page, base } = session);
  });
  afterAll(() => session?.close());

  it('refuses the API without a session', async () => {
    const r = await fetch(new URL('api/v1/darknet/range', base));
    expect(r.status).toBe(401);
    expect(((await r.json()) as { code: string }).code).toBe('AUTH_REQUIRED');
  });

  it('signs in through the form, shows the user, and signs out', async () => {
    await page.goto(base);
    await page.waitForSelector('[data-testid="login-page"]');
    await page.fill('[data-testid="login-username"]', 'soc-admin');
    await page.fill('[data-testid="login-password"]', 'not the password');
    await page.click('[data-testid="login-submit"]');
    await page.waitForSelector('[data-testid="login-error"]');
    expect(await page.textContent('[data-testid="login-error"]')).toContain('Wrong username or password');

    await page.fill('[data-testid="login-password"]', 'a long test password');
    await page.click('[data-testid="login-submit"]');
    await page.waitForSelector('[data-testid="signed-in-as"]');
    expect(await page.getAttribute('[data-testid="signed-in-as"]', 'data-user')).toBe('soc-admin');
    await page.waitForSelector('[data-testid="login-page"]', { state: 'detached' });
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'sakimori_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

    await page.click('[data-testid="sign-out"]');
    await page.waitForSelector('[data-testid="login-page"]');
    await page.reload();
    await page.waitForSelector('[data-testid="login-page"]');
  });

  it('the one-time link that serve printed signs in as the local admin, once', async () => {
    await page.goto(session.signInLink);
    await page.waitForSelector('[data-testid="signed-in-as"]');
    expect(await page.getAttribute('[data-testid="signed-in-as"]', 'data-user')).toBe('local-admin');
    expect(page.url()).toBe(base);
    await page.click('[data-testid="sign-out"]');
    await page.waitForSelector('[data-testid="login-page"]');
    const again = await page.goto(session.signInLink);
    expect(again?.status()).toBe(401);
  });
});
