// Shared steps for Senim's browser tests. Every test creates its own organisation and people, so
// tests never depend on each other or on demo data.
import { expect, type Page } from '@playwright/test';

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
}

/** Registers a new organisation through the form; its administrator ends up signed in. */
export async function registerOrganisation(page: Page, javaScriptEnabled: boolean): Promise<Trader> {
  const id = unique('e2e');
  const trader = { company: `TOO ${id}`, name: 'Dana Omarova', email: `${id}@trader.test` };
  await page.goto('/register');
  await ready(page, javaScriptEnabled);
  await page.getByLabel('Legal name').fill(trader.company);
  await page.getByLabel('Business identification number (BIN)').fill(randomBin());
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
