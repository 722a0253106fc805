// A finding from record to verified remediation, as an officer and a trader go through it: the
// officer records a draft the trader cannot see, communicates it, cannot confirm it before the
// trader is heard, and confirms it after the answer; the trader plans and reports the
// remediation; the officer sends it back once, then verifies it. JavaScript on and off.
import { expect, test } from '@playwright/test';
import { ready, registerOrganisation, signIn } from './support/helpers';

test('a finding is recorded, heard, confirmed, remediated and verified', async ({ page, browser, javaScriptEnabled }) => {
  const trader = await registerOrganisation(page, javaScriptEnabled);
  const officerContext = await browser.newContext({ javaScriptEnabled });
  const officer = await officerContext.newPage();
  await signIn(officer, javaScriptEnabled, process.env.E2E_OFFICER_EMAIL ?? 'officer@e2e.test', process.env.E2E_OFFICER_PASSWORD ?? '');
  await officer.goto(`/customs/traders?q=${encodeURIComponent(trader.company)}`);
  await officer.getByRole('link', { name: trader.company }).click();
  await ready(officer, javaScriptEnabled);

  // A bad amount is refused at its field; the corrected form records a draft.
  const form = officer.locator('.finding-form');
  const fill = async (revenue: string) => {
    await form.getByLabel('Source').selectOption('document_check');
    await form.getByLabel('Topic').selectOption('valuation');
    await form.getByLabel('What was found').fill('Freight to the border left out of the customs value.');
    await form.getByLabel('Goods declarations').fill('50101010/150324/0001234');
    await form.getByLabel('Revenue effect').fill(revenue);
    await form.getByLabel('Culpability').selectOption('negligence');
    await form.getByLabel('Severity').selectOption('moderate');
    await form.getByLabel('Established on').fill('2026-11-02');
    await form.getByRole('button', { name: 'Record the finding as a draft' }).click();
  };
  await fill('412 500.005');
  await expect(officer.locator('.finding-form').locator('.field__error')).toHaveCount(1);
  await ready(officer, javaScriptEnabled);
  await fill('412 500.00');
  const finding = officer.locator('#findings article.finding').first();
  await expect(finding.locator('.finding-status')).toHaveText('Draft (customs only)');
  await expect(finding.locator('.finding-revenue')).toHaveText('412 500.00 KZT');

  // The trader sees nothing until it is communicated.
  await page.goto('/findings');
  await expect(page.locator('article.finding')).toHaveCount(0);
  await ready(officer, javaScriptEnabled);
  await finding.getByRole('button', { name: 'Communicate to the trader' }).click();
  await expect(officer.locator('#findings article.finding').first().locator('.finding-status')).toHaveText(
    "Communicated: awaiting the trader's answer",
  );
  // Confirming before the trader is heard is refused with the reason.
  await ready(officer, javaScriptEnabled);
  await officer.locator('.finding-step--confirm').getByRole('button', { name: 'Confirm the finding' }).click();
  await expect(officer.locator('.error-summary').first()).toContainText('may still answer');

  // The trader answers within the hearing period.
  await page.reload();
  await ready(page, javaScriptEnabled);
  await expect(page.locator('article.finding .finding-revenue')).toHaveText('412 500.00 KZT');
  await page.getByLabel('Your answer (right to be heard)').fill('The freight invoice reached us after release.');
  await page.getByRole('button', { name: 'Send the answer' }).click();
  await expect(page.getByRole('status')).toContainText('Your answer was sent');
  await expect(page.locator('.finding-answer')).toHaveText('The freight invoice reached us after release.');

  // Customs confirms with its reasons.
  await officer.reload();
  await ready(officer, javaScriptEnabled);
  const confirm = officer.locator('.finding-step--confirm');
  await confirm.getByLabel('Reasons').fill('Freight is part of the customs value under the delivery terms.');
  await confirm.getByRole('button', { name: 'Confirm the finding' }).click();
  await expect(officer.locator('#findings article.finding').first().locator('.finding-status')).toHaveText('Confirmed');

  // The trader plans the remediation, then reports it done.
  await page.reload();
  await ready(page, javaScriptEnabled);
  await page.getByLabel('What you will do to put it right').fill('Freight invoices now go to the broker before filing.');
  await page.getByLabel('Done by').fill('2099-01-31');
  await page.getByRole('button', { name: 'Send the remediation plan' }).click();
  await expect(page.locator('article.finding .finding-status')).toHaveText('Remediation planned');
  await ready(page, javaScriptEnabled);
  await page.getByLabel('What you did, and where the evidence is').fill('Broker instruction updated on 2026-12-01.');
  await page.getByRole('button', { name: 'Report the remediation done' }).click();
  await expect(page.locator('article.finding .finding-status')).toHaveText('Remediation reported');

  // Customs sends it back once with reasons, the trader reports again, customs verifies.
  await officer.reload();
  await ready(officer, javaScriptEnabled);
  const back = officer.locator('.finding-step--reject_remediation');
  await back.getByLabel('Reasons').fill('Attach the signed instruction.');
  await back.getByRole('button', { name: 'Send the remediation back' }).click();
  await expect(officer.locator('#findings article.finding').first().locator('.finding-status')).toHaveText('Remediation planned');
  await page.reload();
  await ready(page, javaScriptEnabled);
  await expect(page.locator('.finding-reasons')).toHaveText('Attach the signed instruction.');
  await page.getByLabel('What you did, and where the evidence is').fill('Signed instruction sent with this report.');
  await page.getByRole('button', { name: 'Report the remediation done' }).click();
  await officer.reload();
  await ready(officer, javaScriptEnabled);
  await officer.locator('.finding-step--verify_remediation').getByRole('button', { name: 'Verify the remediation' }).click();
  await expect(officer.locator('#findings article.finding').first().locator('.finding-status')).toHaveText('Remediation verified');
  await page.reload();
  await expect(page.locator('article.finding .finding-status')).toHaveText('Remediation verified');
  await officerContext.close();
});
