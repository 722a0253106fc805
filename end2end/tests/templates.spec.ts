// The template library: a customs administrator imports a questionnaire template, previews it in
// another language and publishes it; a broken file is explained line by line.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { ready, signIn } from './support/helpers';

const adminEmail = process.env.E2E_ADMIN_EMAIL ?? 'admin@e2e.test';
const adminPassword = process.env.E2E_ADMIN_PASSWORD ?? '';

test('a customs administrator imports, previews and publishes a template', async ({ page, javaScriptEnabled }) => {
  const patch = Math.floor(Math.random() * 1e6);
  const source = readFileSync('../templates/t1-general-compliance.toml', 'utf8').replace(/^version = ".*"$/m, `version = "1.0.${patch}"`);
  await signIn(page, javaScriptEnabled, adminEmail, adminPassword);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome, E2E Admin');
  await page.getByRole('link', { name: 'Templates' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Questionnaire templates');
  await ready(page, javaScriptEnabled);
  await page.getByLabel('Template file (.toml)').setInputFiles({ name: 't1.toml', mimeType: 'application/toml', buffer: Buffer.from(source) });
  await page.getByRole('button', { name: 'Import' }).click();

  await expect(page.getByRole('heading', { level: 1 })).toContainText(`T1 1.0.${patch}`);
  await expect(page.locator('.lead')).toContainText('Draft');
  await expect(page.locator('#q-E1')).toContainText('knock-out');
  await page.getByRole('link', { name: 'Русский' }).click();
  await expect(page.locator('#q-A1')).toContainText('Назначено ли ответственное лицо по таможенным вопросам');
  await ready(page, javaScriptEnabled);
  await page.getByRole('button', { name: 'Publish' }).click();
  await expect(page.locator('.lead')).toContainText('Published');
  await expect(page.getByRole('button', { name: 'Publish' })).toHaveCount(0);
});

test('a broken template file is refused with line numbers', async ({ page, javaScriptEnabled }) => {
  await signIn(page, javaScriptEnabled, adminEmail, adminPassword);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome, E2E Admin');
  await page.goto('/customs/templates');
  await ready(page, javaScriptEnabled);
  const broken = 'code = "BAD"\nversion = "1.0.0"\npurpose = "general_compliance"\ntitle = { kk = "a", ru = "b", en = "c" }\nsectoins = []\n';
  await page.getByLabel('Template file (.toml)').setInputFiles({ name: 'bad.toml', mimeType: 'application/toml', buffer: Buffer.from(broken) });
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('alert')).toContainText('nothing was saved');
  await expect(page.locator('.import-errors')).toContainText('Line 5');
});
