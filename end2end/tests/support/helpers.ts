// Shared steps for Senim's browser tests. Every test creates its own organisation and people, so
// tests never depend on each other or on demo data.
import { expect, type Browser, type Page } from '@playwright/test';

export const PASSWORD = 'violet river lamp autumn';

/** A random valid Kazakhstan BIN (12 digits, check digit per the SRC algorithm). */
export function randomBin(): string {
  for (;;) {
    const digits = Array.from({ length: 11 }, () => Math.floor(Math.random() * 10));
    const sum = (weights: number[]) => digits.reduce((acc, d, i) => acc + d * weights[i], 0) % 11;
    let check = sum([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    if (check === 10) check = sum([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
    if (check !== 10) return digits.join('') + String(check);
  }
}

export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** With JavaScript, waits until the page is hydrated so clicks go through the interactive app. */
export async function ready(page: Page, javaScriptEnabled: boolean): Promise<void> {
  if (javaScriptEnabled) {
    await page.locator('body[data-hydrated="true"]').waitFor();
  }
}

export interface Trader {
  company: string;
  name: string;
  email: string;
  bin: string;
}

/** Registers a new organisation through the form; its administrator ends up signed in. */
export async function registerOrganisation(page: Page, javaScriptEnabled: boolean): Promise<Trader> {
  const id = unique('e2e');
  const trader = { company: `TOO ${id}`, name: 'Dana Omarova', email: `${id}@trader.test`, bin: randomBin() };
  await page.goto('/register');
  await ready(page, javaScriptEnabled);
  await page.getByLabel('Legal name').fill(trader.company);
  await page.getByLabel('Business identification number (BIN)').fill(trader.bin);
  await page.getByLabel('Organisation contact e-mail').fill(`info-${trader.email}`);
  await page.getByLabel('Full name').fill(trader.name);
  await page.getByLabel('Your e-mail address (used to sign in)').fill(trader.email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Repeat the password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Register' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Welcome, ${trader.name}`);
  return trader;
}

export async function signIn(page: Page, javaScriptEnabled: boolean, email: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await ready(page, javaScriptEnabled);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
}

const adminEmail = process.env.E2E_ADMIN_EMAIL ?? 'admin@e2e.test';
const adminPassword = process.env.E2E_ADMIN_PASSWORD ?? '';

export function template(code: string): string {
  return `code = "${code}"
version = "1.0.0"
purpose = "general_compliance"
title = { kk = "Сынақ ${code}", ru = "Проверка ${code}", en = "Check ${code}" }

[[sections]]
key = "A"
weight = 10
title = { kk = "Ұйым", ru = "Организация", en = "Organisation" }

[[sections.questions]]
key = "A1"
weight = 3
required = true
text = { kk = "Жауапты адам бар ма?", ru = "Есть ли ответственное лицо?", en = "Is a named person responsible for customs matters?" }
kind = { type = "yes_no" }

[[sections.questions]]
key = "A2"
weight = 2
required = true
show_if = { any = ["A1 = yes"] }
text = { kk = "Тәжірибесі неше жыл?", ru = "Сколько лет опыта?", en = "How many years of customs experience?" }
kind = { type = "integer", bands = [{ min = 1, credit = 0.5 }, { min = 3, credit = 1 }] }

[[sections.questions]]
key = "E1"
weight = 5
required = true
text = { kk = "Декларацияларды қадағалауға бола ма?", ru = "Можно ли проследить декларации?", en = "Can every declaration be traced to order, invoice and payment?" }
kind = { type = "yes_no" }
evidence = { level = "required", types = ["pdf"], description = { kk = "Үлгі", ru = "Выборка", en = "Walk-through sample" } }
`;
}

/** Imports and publishes a small template (code `code`) as the e2e customs administrator. */
export async function publishTemplate(browser: Browser, javaScriptEnabled: boolean, code: string): Promise<void> {
  await publishSource(browser, javaScriptEnabled, code, template(code));
}

/** Imports and publishes template `source` (whose code is `code`) through the template library's
 * upload form, as the e2e customs administrator. */
export async function publishSource(browser: Browser, javaScriptEnabled: boolean, code: string, source: string): Promise<void> {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  await signIn(page, javaScriptEnabled, adminEmail, adminPassword);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome, E2E Admin');
  await page.goto('/customs/templates');
  await ready(page, javaScriptEnabled);
  await page.getByLabel('Template file (.toml)').setInputFiles({ name: 't.toml', mimeType: 'application/toml', buffer: Buffer.from(source) });
  await page.getByRole('button', { name: 'Import' }).click();
  const version = /^version = "(.+)"$/m.exec(source)?.[1] ?? '1.0.0';
  await expect(page.getByRole('heading', { level: 1 })).toContainText(`${code} ${version}`);
  await ready(page, javaScriptEnabled);
  await page.getByRole('button', { name: 'Publish' }).click();
  await expect(page.locator('.lead')).toContainText('Published');
  await context.close();
}

/** From the trader's home page: starts an assessment on the published template `code` and opens
 * section A. */
export async function startSectionA(page: Page, javaScriptEnabled: boolean, code: string): Promise<void> {
  await page.getByRole('link', { name: 'Self-assessments' }).first().click();
  await ready(page, javaScriptEnabled);
  await page.locator('.card', { hasText: code }).getByRole('button', { name: 'Start' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(code);
  await page.getByRole('link', { name: /^A\. Organisation/ }).click();
  await ready(page, javaScriptEnabled);
}
