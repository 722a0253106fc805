// Accounts, invitations, roles and languages, with JavaScript on and off (see playwright.config.ts).
import { expect, test } from '@playwright/test';
import { ready, registerOrganisation, signIn, signOut, unique } from './support/helpers';

test('an organisation registers, invites a preparer, who accepts and signs in', async ({ page, browser, javaScriptEnabled }) => {
  const admin = await registerOrganisation(page, javaScriptEnabled);
  await expect(page.getByText(admin.company).first()).toBeVisible();

  await page.getByRole('link', { name: 'Team' }).first().click();
  await ready(page, javaScriptEnabled);
  const preparerEmail = `${unique('prep')}@trader.test`;
  await page.getByLabel('E-mail address').fill(preparerEmail);
  await page.locator('#invite-role').selectOption('preparer');
  await page.getByRole('button', { name: 'Create invitation link' }).click();
  const link = await page.locator('#invitation-link').inputValue();
  expect(link).toMatch(/\/invitation\/[0-9a-f]{64}$/);
  await expect(page.getByRole('cell', { name: preparerEmail })).toBeVisible();

  const context = await browser.newContext({ javaScriptEnabled });
  const invitee = await context.newPage();
  await invitee.goto(new URL(link).pathname);
  await ready(invitee, javaScriptEnabled);
  await expect(invitee.getByText(admin.company).first()).toBeVisible();
  await invitee.getByLabel('Your full name').fill('Erlan Zhumabekov');
  await invitee.getByLabel('Password', { exact: true }).fill('copper kettle winter harbour');
  await invitee.getByLabel('Repeat the password').fill('copper kettle winter harbour');
  await invitee.getByRole('button', { name: 'Create my account' }).click();
  await expect(invitee.getByRole('heading', { level: 1 })).toHaveText('Welcome, Erlan Zhumabekov');
  await expect(invitee.locator('.lead')).toContainText('Preparer');

  await signOut(invitee);
  await signIn(invitee, javaScriptEnabled, preparerEmail, 'copper kettle winter harbour');
  await expect(invitee.getByRole('heading', { level: 1 })).toHaveText('Welcome, Erlan Zhumabekov');

  // The link works only once.
  const again = await browser.newContext({ javaScriptEnabled });
  const second = await again.newPage();
  await second.goto(new URL(link).pathname);
  await expect(second.getByRole('alert')).toContainText('already been used');
  await context.close();
  await again.close();
});

test('a customs officer signs in and sees the customs home page', async ({ page, javaScriptEnabled }) => {
  await signIn(page, javaScriptEnabled, process.env.E2E_OFFICER_EMAIL ?? 'officer@e2e.test', process.env.E2E_OFFICER_PASSWORD ?? '');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome, E2E Officer');
  await expect(page.locator('.lead')).toContainText('Customs officer');
  await expect(page.getByRole('link', { name: 'Team' })).toHaveCount(0);
});

test('a trader user gets a clear refusal on a customs page', async ({ page, javaScriptEnabled }) => {
  await registerOrganisation(page, javaScriptEnabled);
  const response = await page.goto('/customs/staff');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('alert')).toContainText('You are not allowed to see this page or do this');
  await page.goto('/customs/audit');
  await expect(page.getByRole('alert')).toContainText('not allowed');
});

test('switching language translates the page into Russian and Kazakh', async ({ page, javaScriptEnabled }) => {
  await page.goto('/sign-in');
  await ready(page, javaScriptEnabled);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
  await page.getByRole('button', { name: 'Русский' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Вход в систему');
  await expect(page.getByLabel('Пароль')).toBeVisible();
  await page.getByRole('button', { name: 'Қазақша' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Жүйеге кіру');
  // The choice survives a reload.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Жүйеге кіру');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
});

test('a wrong password gets a clear error and no session', async ({ page, javaScriptEnabled }) => {
  await signIn(page, javaScriptEnabled, `${unique('nobody')}@trader.test`, 'this is not the password');
  await expect(page.getByRole('alert')).toContainText('The e-mail address or password is not correct');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
});

test('registration explains each invalid field and keeps nothing', async ({ page, javaScriptEnabled }) => {
  await page.goto('/register');
  await ready(page, javaScriptEnabled);
  await page.getByLabel('Legal name').fill('TOO Broken');
  await page.getByLabel('Business identification number (BIN)').fill('990940000011');
  await page.getByLabel('Organisation contact e-mail').fill('not-an-address');
  await page.getByLabel('Full name').fill('Dana Omarova');
  await page.getByLabel('Your e-mail address (used to sign in)').fill(`${unique('bad')}@trader.test`);
  await page.getByLabel('Password', { exact: true }).fill('passwordpassword');
  await page.getByLabel('Repeat the password').fill('passwordpassword');
  await page.getByRole('button', { name: 'Register' }).click();
  const summary = page.locator('.error-summary');
  await expect(summary).toContainText('This BIN is not valid');
  await expect(summary).toContainText('Enter an e-mail address like name@example.kz');
  await expect(summary).toContainText('too common');
  await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
});

test('pages run under a nonce-based CSP without violations', async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'hydration only happens with JavaScript');
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  const response = await page.goto('/sign-in');
  expect(response?.headers()['content-security-policy']).toContain("script-src 'nonce-");
  await ready(page, true);
  expect(problems).toEqual([]);
});
