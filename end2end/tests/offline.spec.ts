// Answers typed while the connection is lost stay in the browser and reach the server on the next
// visit to the section. Autosave and the browser copy need JavaScript.
import { expect, test } from '@playwright/test';
import { publishTemplate, ready, registerOrganisation, startSectionA } from './support/helpers';

test('answers typed while offline are kept and saved on the next visit', async ({ page, context, browser, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'without JavaScript every form post saves at once; there is nothing to keep');
  const code = `O${Date.now().toString(36).toUpperCase()}`.slice(0, 12);
  await publishTemplate(browser, javaScriptEnabled, code);
  await registerOrganisation(page, javaScriptEnabled);
  await startSectionA(page, javaScriptEnabled, code);
  const sectionUrl = page.url();

  // The connection drops; the user keeps typing and the autosave fails.
  await context.setOffline(true);
  await page.locator('#q-A1').getByLabel('Yes').check();
  await page.locator('#A2-value').fill('7');
  await page.locator('#A2-value').blur();
  await expect(page.locator('.error-summary')).toBeVisible();
  // Let the last autosave (600 ms after the change) fail too before the connection returns.
  await page.waitForTimeout(1500);

  // Back online, the section is opened again: the typed answers are back and get saved.
  await context.setOffline(false);
  await page.goto(sectionUrl);
  await ready(page, javaScriptEnabled);
  // The notice stays while the put-back answers save (the save notice may come first).
  await expect(page.getByRole('status').filter({ hasText: 'were put back' })).toBeVisible();
  await expect(page.locator('#A2-value')).toHaveValue('7');
  // The put-back "yes" shows its follow-up question at once, as a typed one would.
  await expect(page.locator('#A2-value')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await page.waitForTimeout(800);

  // The server has them: a fresh page in another browser context shows them too.
  const other = await context.browser()!.newContext({ javaScriptEnabled: false, storageState: await context.storageState() });
  const fresh = await other.newPage();
  await fresh.goto(sectionUrl);
  await expect(fresh.locator('#q-A1').getByLabel('Yes')).toBeChecked();
  await expect(fresh.locator('#A2-value')).toHaveValue('7');
  await other.close();
});
