// A trader fills a self-assessment with a conditional question and an evidence upload, reloads
// midway and finds everything, then the signatory submits and gets a receipt. JavaScript on and off.
import { expect, test } from '@playwright/test';
import { publishTemplate, ready, registerOrganisation, signIn, startSectionA } from './support/helpers';


test('a trader answers, uploads evidence, reloads, submits and gets a receipt', async ({ page, browser, javaScriptEnabled }) => {
  const code = `E${Date.now().toString(36).toUpperCase()}`.slice(0, 12);
  await publishTemplate(browser, javaScriptEnabled, code);

  await registerOrganisation(page, javaScriptEnabled);
  await startSectionA(page, javaScriptEnabled, code);
  const a2 = page.locator('#q-A2');
  await expect(a2).toBeHidden();
  await page.locator('#q-A1').getByLabel('Yes').check();
  if (!javaScriptEnabled) {
    // Without JavaScript the follow-up question appears after saving.
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('status')).toContainText('Saved');
  }
  await expect(a2).toBeVisible();
  await page.locator('#A2-value').fill('4');
  await page.locator('#q-E1').getByLabel('Yes').check();
  if (javaScriptEnabled) {
    await page.locator('#A2-value').blur();
    await expect(page.getByRole('status')).toContainText('Saved');
    await page.waitForTimeout(1200);
  } else {
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('status')).toContainText('Saved: 2');
  }

  // Reload midway: everything typed is there.
  await page.reload();
  await ready(page, javaScriptEnabled);
  await expect(page.locator('#q-A1').getByLabel('Yes')).toBeChecked();
  await expect(page.locator('#A2-value')).toHaveValue('4');
  await expect(page.locator('#q-E1').getByLabel('Yes')).toBeChecked();

  // Evidence: a file that is not a PDF is refused; a PDF is attached.
  await page.locator('#E1-file').setInputFiles({ name: 'sample.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html>not a pdf</html>') });
  await page.locator('#q-E1').getByRole('button', { name: 'Upload evidence' }).click();
  await expect(page.locator('#q-E1 [role=alert]')).toContainText('not accepted');
  await page.locator('#E1-file').setInputFiles({ name: 'walk-through.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% walk-through sample\n') });
  await page.locator('#q-E1').getByRole('button', { name: 'Upload evidence' }).click();
  await expect(page.locator('#q-E1 .evidence-list')).toContainText('walk-through.pdf');

  await page.getByRole('link', { name: 'Back to the overview' }).click();
  // A1 (3) + A2 (2) in full, E1 (5) at 0.8 while its evidence awaits verification: 9 of 10.
  await expect(page.locator('.score-box__value')).toHaveText('90.00');
  await page.getByRole('link', { name: 'Review and submit' }).click();
  await ready(page, javaScriptEnabled);
  await page.getByRole('button', { name: 'Sign and submit' }).click();
  await expect(page.locator('.error-summary')).toContainText('Tick the box to confirm');
  await page.getByLabel(/I confirm that the information/).check();
  await page.getByRole('button', { name: 'Sign and submit' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Submission receipt');
  await expect(page.locator('#receipt-number')).toHaveText(/^SA-\d{4}-\d{6}-1$/);
  await expect(page.locator('#receipt-sha')).toHaveText(/^[0-9a-f]{64}$/);
  const assessmentUrl = page.url().replace(/\/receipt$/, '');

  // A customs officer takes it, asks for more on A2 and verifies the rest.
  const officerContext = await browser.newContext({ javaScriptEnabled });
  const officer = await officerContext.newPage();
  await signIn(officer, javaScriptEnabled, process.env.E2E_OFFICER_EMAIL ?? 'officer@e2e.test', process.env.E2E_OFFICER_PASSWORD ?? '');
  await expect(officer.getByRole('heading', { level: 1 })).toHaveText('Welcome, E2E Officer');
  await officer.goto(`/customs/reviews?template=${code}`);
  await officer.getByRole('link', { name: /^TOO / }).first().click();
  await ready(officer, javaScriptEnabled);
  await officer.getByRole('button', { name: 'Take for review' }).click();
  await expect(officer.locator('.lead')).toContainText('Under review');
  async function decide(question: string, decision: string, reason = ''): Promise<void> {
    await ready(officer, javaScriptEnabled);
    const block = officer.locator(`#q-${question}`);
    await block.getByLabel('Decision').selectOption(decision);
    if (reason) await block.getByLabel(/^Reason/).fill(reason);
    await block.getByRole('button', { name: 'Record' }).click();
    await expect(officer.locator(`#q-${question} .verdict`)).toBeVisible();
  }
  await decide('A1', 'verify');
  await decide('A2', 'request_info', 'Please give the years of the deputy too');
  await decide('E1', 'verify');
  await officer.getByRole('button', { name: 'Send information requests to the trader' }).click();
  await expect(officer.locator('.lead')).toContainText('Information requested');

  // The trader revises just that answer and resubmits.
  await page.goto(`${assessmentUrl}/section/A`);
  await ready(page, javaScriptEnabled);
  await expect(page.locator('#q-A2 .verdict')).toContainText('Please give the years of the deputy too');
  await expect(page.locator('#q-A1').getByLabel('Yes')).toBeDisabled();
  await page.locator('#A2-value').fill('6');
  if (javaScriptEnabled) {
    await page.locator('#A2-value').blur();
    await expect(page.getByRole('status')).toContainText('Saved');
    await page.waitForTimeout(1200);
  } else {
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('status')).toContainText('Saved: 1');
  }
  await page.goto(`${assessmentUrl}/submit`);
  await ready(page, javaScriptEnabled);
  await page.getByLabel(/I confirm that the information/).check();
  await page.getByRole('button', { name: 'Sign and submit' }).click();
  await expect(page.locator('#receipt-number')).toHaveText(/-2$/);

  // The officer verifies the revised answer and finishes; both see the score.
  await officer.reload();
  await ready(officer, javaScriptEnabled);
  // The officer sees what changed against the first submission.
  await expect(officer.locator('#resubmission')).toContainText('Answers changed: 1');
  await expect(officer.locator('#q-A2 .changed')).toContainText(/→ 6/);
  await officer.getByRole('button', { name: 'Take for review' }).click();
  await expect(officer.locator('.lead')).toContainText('Under review');
  await decide('A2', 'verify');
  await officer.getByRole('button', { name: 'Finish the review' }).click();
  await expect(officer.locator('.lead')).toContainText('Reviewed');
  await expect(officer.locator('#review-score')).toHaveText('100.00');
  await officerContext.close();
  await page.goto(assessmentUrl);
  await expect(page.locator('.lead')).toContainText('Reviewed');
  await expect(page.locator('.score-box__value')).toHaveText('100.00');
});
