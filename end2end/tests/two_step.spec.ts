// Two-step mode and evidence files, the way a trader and an officer go through them: the draft
// saves itself while typed (JavaScript on); a supporting file is uploaded and a forbidden one is
// refused; a signatory files an initial notice, customs accepts it, the trader asks for more
// time and customs grants it; the trader adds a line and submits the complete disclosure, whose
// receipt lists the file, which the officer then opens. JavaScript on and off.
import { expect, test } from '@playwright/test';
import { ready, registerOrganisation, signIn } from './support/helpers';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

test('an initial notice, an extension, evidence files and the complete disclosure', async ({
  page,
  browser,
  javaScriptEnabled,
}) => {
  // Two sides, a dozen page loads: more than the default 30 s on a busy two-core machine.
  test.setTimeout(90_000);
  await registerOrganisation(page, javaScriptEnabled);
  const title = `Preference claimed without proof ${Date.now().toString(36)}`;
  await page.goto('/disclosures');
  await ready(page, javaScriptEnabled);
  await page.locator('.disclosure-new').getByLabel('Type').selectOption('underpayment');
  await page.locator('.disclosure-new').getByLabel('What is disclosed').fill(title);
  await page.getByRole('button', { name: 'Start the disclosure' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(title);
  await ready(page, javaScriptEnabled);

  if (javaScriptEnabled) {
    // Typing is enough: the header is saved for everyone, a line not yet added is kept for its
    // author, and both are there after a reload.
    const header = page.locator('.disclosure-header');
    await header.getByLabel('What happened').fill('ST-1 certificates were missing for two shipments.');
    await expect(header.locator('.autosave')).toHaveAttribute('data-autosave', 'saved');
    await expect(header.locator('.autosave')).toHaveText('All changes saved.');
    const line = page.locator('.line-form');
    await line.locator('#declaration').fill('50101010/020424/0000077');
    await expect(line.locator('.autosave')).toHaveAttribute('data-autosave', 'kept');
    await page.reload();
    await ready(page, javaScriptEnabled);
    await expect(page.locator('.disclosure-header #narrative')).toHaveValue(
      'ST-1 certificates were missing for two shipments.',
    );
    await expect(page.locator('.line-form #declaration')).toHaveValue('50101010/020424/0000077');
  }

  // Evidence: a PDF is attached; an executable is refused with the reason and nothing is added.
  const upload = async (name: string, buffer: Buffer) => {
    await ready(page, javaScriptEnabled);
    await page.locator('#evidence-file').setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
    await page.getByRole('button', { name: 'Upload as a supporting document' }).click();
  };
  await upload('st1-certificate.pdf', PDF);
  const files = page.locator('#evidence tbody tr');
  await expect(files).toHaveCount(1);
  await expect(files.first()).toContainText('st1-certificate.pdf');
  await expect(files.first()).toContainText('Not yet sent');
  await upload('tool.exe', Buffer.from('MZ\x90\x00\x03\x00\x00\x00'));
  await expect(page.locator('#evidence')).toContainText('The file was not uploaded');
  await expect(files).toHaveCount(1);

  // The initial notice: refused without the attestation, then filed with its receipt.
  await ready(page, javaScriptEnabled);
  const notice = page.locator('.notice-form');
  await notice.getByLabel('Release dates from').fill('2024-03-01');
  await notice.getByLabel('Release dates to').fill('2024-04-30');
  await notice.getByLabel('origin and preferences').check();
  await notice.getByLabel('Short description of the errors').fill('Preference claimed on two declarations without ST-1.');
  await notice.getByLabel('Estimated amount').fill('250000.00');
  await notice.getByRole('button', { name: 'File the initial notice' }).click();
  await expect(page.locator('.error-summary').first()).toContainText('confirm');
  await ready(page, javaScriptEnabled);
  const again = page.locator('.notice-form');
  await again.getByLabel('Release dates from').fill('2024-03-01');
  await again.getByLabel('Release dates to').fill('2024-04-30');
  await again.getByLabel('origin and preferences').check();
  await again.getByLabel('Short description of the errors').fill('Preference claimed on two declarations without ST-1.');
  await again.getByLabel('Estimated amount').fill('250000.00');
  await again.getByRole('checkbox', { name: /I confirm/ }).check();
  await again.getByRole('button', { name: 'File the initial notice' }).click();
  const panel = page.locator('#notice');
  await expect(panel).toContainText('Not yet accepted by customs.');
  await expect(panel.locator('.estimated')).toHaveText('250 000.00 KZT');
  const number = ((await panel.locator('.notice-number').textContent()) ?? '').trim();
  expect(number).toMatch(/^VD-\d{4}-\d{6}$/);

  // Customs accepts the notice: the complete disclosure is now due.
  const officerContext = await browser.newContext({ javaScriptEnabled });
  const officer = await officerContext.newPage();
  await signIn(officer, javaScriptEnabled, process.env.E2E_OFFICER_EMAIL ?? 'officer@e2e.test', process.env.E2E_OFFICER_PASSWORD ?? '');
  await officer.goto('/customs/disclosures');
  await officer.getByRole('link', { name: number }).click();
  await ready(officer, javaScriptEnabled);
  await officer.getByRole('button', { name: 'Accept the initial notice' }).click();
  await expect(officer.locator('.lead .disclosure-status')).toHaveText('Complete disclosure due');
  await expect(officer.locator('#notice .perfection-due')).toContainText('days left');

  // The trader asks for ten more days; the officer grants them and the trader sees the new date.
  await page.reload();
  await ready(page, javaScriptEnabled);
  const request = page.locator('.extension-request-form');
  await request.getByLabel('Days').fill('10');
  await request.getByLabel('Reason').fill('The certificates come from the supplier by post.');
  await request.getByRole('button', { name: 'Request the extension' }).click();
  await expect(page.locator('#notice .extension-answer')).toContainText('Awaiting customs');

  await officer.reload();
  await ready(officer, javaScriptEnabled);
  await expect(officer.locator('#notice')).toContainText('The certificates come from the supplier by post.');
  await officer.locator('.extension-decision-form').getByRole('button', { name: 'Save the answer' }).click();
  await expect(officer.locator('#notice .extension-answer')).toContainText('Granted, due date');

  // The complete disclosure: the header completed, one line, then signed; the receipt carries the file.
  await page.reload();
  await expect(page.locator('#notice .extension-answer')).toContainText('Granted, due date');
  await ready(page, javaScriptEnabled);
  const header = page.locator('.disclosure-header');
  await header.getByLabel('Release dates from').fill('2024-03-01');
  await header.getByLabel('Release dates to').fill('2024-04-30');
  await header.getByLabel('origin and preferences').check();
  await header.getByLabel('Root cause').selectOption('preference_without_proof');
  await header.getByLabel('What happened').fill('ST-1 certificates were missing for two shipments.');
  await header.getByLabel('How you found it').selectOption('supplier_notice');
  await header.getByLabel('Corrective action', { exact: true }).fill('The broker claims a preference only with the certificate in the file.');
  await header.getByRole('button', { name: 'Save' }).click();
  // With JavaScript the half-typed line kept earlier is offered again too (its own status notice).
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await ready(page, javaScriptEnabled);
  const line = page.locator('.line-form');
  const fields: Record<string, string> = {
    declaration: '50101010/020424/0000077',
    item: '3',
    released: '2024-04-03',
    hs_declared: '8471300000',
    origin_declared: 'VN',
    origin_correct: 'CN',
    duty_declared: '0',
    duty_correct: '125000.00',
  };
  for (const [id, value] of Object.entries(fields)) {
    await line.locator(`#${id}`).fill(value);
  }
  await line.getByRole('button', { name: 'Save the line' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect(page.locator('#total-difference')).toHaveText('125 000.00 KZT');
  await ready(page, javaScriptEnabled);
  const perfect = page.locator('.perfect-form');
  await perfect.getByRole('checkbox').check();
  await perfect.getByRole('button', { name: 'Submit the complete disclosure' }).click();
  const receipt = page.locator('#receipt');
  await expect(receipt.locator('.receipt-number')).toHaveText(`${number}-P`);
  await expect(receipt).toContainText('SHA-256');
  await expect(files.first()).toContainText('Sent to customs');

  // The officer sees the file sent with it and can open it.
  await officer.reload();
  const link = officer.locator('#evidence').getByRole('link', { name: 'st1-certificate.pdf' });
  await expect(link).toHaveCount(1);
  const href = (await link.getAttribute('href')) ?? '';
  const download = await officer.request.get(href);
  expect(download.status()).toBe(200);
  expect(download.headers()['content-type']).toBe('application/pdf');
  expect((await download.body()).subarray(0, 5).toString()).toBe('%PDF-');
  await officerContext.close();
});
