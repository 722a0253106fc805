// A customs officer records a control case against a trader through the trader page's form: a bad
// declaration number is refused at its field; the planned case stays confidential until the
// officer notifies the trader, who then sees it on its home page. JavaScript on and off.
import { expect, test } from '@playwright/test';
import { ready, registerOrganisation, signIn } from './support/helpers';

test('an officer records a control case that the trader sees only once notified', async ({ page, browser, javaScriptEnabled }) => {
  const trader = await registerOrganisation(page, javaScriptEnabled);
  const reference = `DR-${Date.now().toString(36).toUpperCase()}`;

  const officerContext = await browser.newContext({ javaScriptEnabled });
  const officer = await officerContext.newPage();
  await signIn(officer, javaScriptEnabled, process.env.E2E_OFFICER_EMAIL ?? 'officer@e2e.test', process.env.E2E_OFFICER_PASSWORD ?? '');
  await expect(officer.getByRole('heading', { level: 1 })).toHaveText('Welcome, E2E Officer');
  await officer.goto(`/customs/traders?q=${encodeURIComponent(trader.company)}`);
  await officer.getByRole('link', { name: trader.company }).click();
  await expect(officer.getByRole('heading', { level: 1 })).toHaveText(trader.company);
  await ready(officer, javaScriptEnabled);

  const form = officer.locator('.control-form');
  await form.getByLabel('Type').selectOption({ label: 'Document request' });
  await form.getByLabel('Reference', { exact: true }).fill(reference);
  await form.getByLabel('Goods declarations').fill('50101010/150324/0001234\n50101010/310424/0000077');
  await form.getByLabel('customs value').check();
  await form.getByRole('button', { name: 'Record as planned' }).click();
  await expect(officer.locator('.error-summary').first()).toContainText('not a real date');
  await expect(officer.locator('#controls')).toContainText('No control cases recorded');

  await ready(officer, javaScriptEnabled);
  await officer.locator('.control-form').getByLabel('Reference', { exact: true }).fill(reference);
  await officer.locator('.control-form').getByLabel('Goods declarations').fill('50101010/150324/0001234\n50101010/300424/0000077');
  await officer.locator('.control-form').getByLabel('customs value').check();
  await officer.locator('.control-form').getByRole('button', { name: 'Record as planned' }).click();
  await expect(officer.getByRole('status')).toContainText('recorded as planned');
  const row = officer.locator('#controls tr', { hasText: reference });
  await expect(row.locator('.control-status')).toHaveText('Planned');

  // Planned: the trader's home page does not mention it.
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Welcome, ${trader.name}`);
  await expect(page.locator('main')).not.toContainText(reference);

  await ready(officer, javaScriptEnabled);
  await row.getByRole('button', { name: 'Notify the trader now' }).click();
  await expect(officer.locator('#controls tr', { hasText: reference }).locator('.control-status')).toHaveText('Notified');

  await page.reload();
  const notice = page.locator('#controls');
  await expect(notice).toContainText(reference);
  await expect(notice).toContainText('Document request');
  await expect(notice).toContainText('50101010/150324/0001234');
  await expect(notice).toContainText('customs value');
  await officerContext.close();
});
