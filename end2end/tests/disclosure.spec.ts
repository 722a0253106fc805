// A trader discloses customs errors: two lines by hand, twenty from a CSV file whose bad row is
// named at its row and column, then fixed; it signs and gets the receipt. The line on the
// declaration named in a document request the trader was notified of is prompted, the others
// voluntary; the officer sees that and acknowledges receipt. JavaScript on and off.
import { expect, test } from '@playwright/test';
import { ready, registerOrganisation, signIn } from './support/helpers';

const HEADER =
  'declaration,item,released,hs_declared,hs_correct,origin_declared,origin_correct,preference_declared,' +
  'preference_correct,quantity_declared,quantity_correct,unit,invoice_currency,invoice_amount,rate,rate_date,' +
  'value_correct,duty_declared,duty_correct,vat_declared,vat_correct,excise_declared,excise_correct,' +
  'remedy_declared,remedy_correct';

/// Twenty items of one declaration, each 64,817.28 KZT more duty; `badRow` (a file row, the header
/// being row 1) gets an 8-digit HS code.
function csv(badRow?: number): string {
  const rows = [HEADER];
  for (let item = 1; item <= 20; item++) {
    const hs = item + 1 === badRow ? '85171300' : '8517130000';
    rows.push(
      `50101010/150324/0001234,${item},2024-03-16,${hs},,CN,,,,1200,,pcs,USD,48000.00,450.12,2024-03-15,` +
        '22253932.80,2160576.00,2225393.28,,,,,,',
    );
  }
  return rows.join('\r\n') + '\r\n';
}

test('a trader discloses lines by hand and from CSV, submits, and the officer sees the prompted line', async ({
  page,
  browser,
  javaScriptEnabled,
}) => {
  // The longest journey of the suite (two sides, some thirty page loads): the default 30 s is too
  // short on a two-core machine that is also compiling.
  test.setTimeout(90_000);
  const trader = await registerOrganisation(page, javaScriptEnabled);
  const reference = `DR-${Date.now().toString(36).toUpperCase()}`;

  // Customs notified a document request naming one declaration.
  const officerContext = await browser.newContext({ javaScriptEnabled });
  const officer = await officerContext.newPage();
  await signIn(officer, javaScriptEnabled, process.env.E2E_OFFICER_EMAIL ?? 'officer@e2e.test', process.env.E2E_OFFICER_PASSWORD ?? '');
  await officer.goto(`/customs/traders?q=${encodeURIComponent(trader.company)}`);
  await officer.getByRole('link', { name: trader.company }).click();
  await ready(officer, javaScriptEnabled);
  const control = officer.locator('.control-form');
  await control.getByLabel('Reference', { exact: true }).fill(reference);
  await control.getByLabel('Goods declarations').fill('50101010/020424/0000077');
  await control.getByLabel('origin and preferences').check();
  await control.getByRole('button', { name: 'Record as planned' }).click();
  await officer.locator('#controls tr', { hasText: reference }).getByRole('button', { name: 'Notify the trader now' }).click();
  await expect(officer.locator('#controls tr', { hasText: reference }).locator('.control-status')).toHaveText('Notified');

  // The trader starts a disclosure and describes it.
  await page.goto('/disclosures');
  await ready(page, javaScriptEnabled);
  await page.locator('.disclosure-new').getByLabel('Type').selectOption('underpayment');
  await page.locator('.disclosure-new').getByLabel('What is disclosed').fill('Royalties not added to the customs value');
  await page.getByRole('button', { name: 'Start the disclosure' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Royalties not added to the customs value');
  await ready(page, javaScriptEnabled);
  const header = page.locator('.disclosure-header');
  await header.getByLabel('customs value').check();
  await header.getByLabel('origin and preferences').check();
  await header.getByLabel('Root cause').selectOption('valuation_adjustment');
  await header.getByLabel('What happened').fill('The 3 % royalty to the licensor was not added to the customs value.');
  await header.getByLabel('How you found it').selectOption('internal_audit');
  await header.getByLabel('Corrective action', { exact: true }).fill('Royalty accruals now feed the customs value.');
  await header.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toContainText('Saved');

  // Two lines by hand: the worked example, and an origin correction on the named declaration.
  const hand = async (fields: Record<string, string>) => {
    await ready(page, javaScriptEnabled);
    const form = page.locator('.line-form');
    for (const [id, value] of Object.entries(fields)) {
      await form.locator(`#${id}`).fill(value);
    }
    await form.getByRole('button', { name: 'Save the line' }).click();
    await expect(page.getByRole('status')).toContainText('Saved');
  };
  await hand({
    declaration: '50101010/150324/0001234',
    item: '1',
    released: '2024-03-16',
    hs_declared: '8517130000',
    origin_declared: 'CN',
    invoice_currency: 'USD',
    invoice_amount: '48000.00',
    rate: '450.12',
    rate_date: '2024-03-15',
    value_correct: '22253932.80',
    duty_declared: '2160576.00',
    duty_correct: '2225393.28',
  });
  await expect(page.locator('#lines')).toContainText('21 605 760.00 KZT → 22 253 932.80 KZT');
  await expect(page.locator('#total-difference')).toHaveText('64 817.28 KZT');
  await hand({
    declaration: '50101010/020424/0000077',
    item: '3',
    released: '2024-04-03',
    hs_declared: '8471300000',
    origin_declared: 'VN',
    origin_correct: 'CN',
    duty_declared: '0',
    duty_correct: '125000.00',
  });
  await expect(page.locator('#total-difference')).toHaveText('189 817.28 KZT');

  // Twenty lines from a CSV file: the bad row is named, nothing is added; the fixed file imports.
  const upload = async (body: string) => {
    await ready(page, javaScriptEnabled);
    await page.locator('#csv-file').setInputFiles({ name: 'lines.csv', mimeType: 'text/csv', buffer: Buffer.from(body) });
    await page.getByRole('button', { name: 'Upload and preview' }).click();
  };
  await upload(csv(7));
  const errors = page.locator('#import-errors');
  await expect(errors).toContainText('Nothing was added from lines.csv');
  await expect(errors.locator('tbody tr')).toHaveCount(1);
  await expect(errors.locator('tbody tr td').first()).toHaveText('7');
  await expect(errors).toContainText('hs_declared');
  await expect(errors).toContainText('10-digit HS code');
  await upload(csv());
  await expect(page.locator('#import-preview')).toContainText('20 lines, difference 1 296 345.60 KZT');
  await ready(page, javaScriptEnabled);
  await page.getByRole('button', { name: 'Add these lines' }).click();
  await expect(page.getByRole('status')).toContainText('20 lines added from the file');
  await expect(page.locator('#lines h2')).toHaveText('Lines (22)');
  await expect(page.locator('#total-difference')).toHaveText('1 486 162.88 KZT');

  // Sign and submit: the receipt, with one line prompted by the notified control.
  await ready(page, javaScriptEnabled);
  await page.getByRole('button', { name: 'Submit the disclosure' }).click();
  await expect(page.locator('.error-summary').first()).toContainText('confirm');
  await ready(page, javaScriptEnabled);
  await page.locator('.submit-form').getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Submit the disclosure' }).click();
  const receipt = page.locator('#receipt');
  await expect(receipt).toContainText('SHA-256');
  await expect(receipt.locator('.voluntariness-summary')).toHaveText('21 voluntary, 1 prompted by a control');
  const number = (await receipt.locator('.receipt-number').textContent())?.trim() ?? '';
  expect(number).toMatch(/^VD-\d{4}-\d{6}$/);
  await expect(page.locator('#line-form')).toHaveCount(0);

  // The officer finds it in the queue, sees the prompted line, and acknowledges receipt.
  await officer.goto('/customs/disclosures');
  await officer.getByRole('link', { name: number }).click();
  await expect(officer.getByRole('heading', { level: 1 })).toContainText(number);
  await expect(officer.locator('#lines')).toContainText(`Prompted by control ${reference}`);
  await expect(officer.locator('#total-difference')).toHaveText('1 486 162.88 KZT');
  await ready(officer, javaScriptEnabled);
  await officer.getByRole('button', { name: 'Acknowledge receipt' }).click();
  await expect(officer.locator('.lead .disclosure-status')).toHaveText('Receipt acknowledged');
  await ready(officer, javaScriptEnabled);
  await officer.getByRole('button', { name: 'Start the review' }).click();
  await expect(officer.locator('.lead .disclosure-status')).toHaveText('Under review');

  // The officer asks about the prompted line only; the trader revises that line and answers.
  await ready(officer, javaScriptEnabled);
  const request = officer.locator('.request-form');
  await request.getByLabel('#2 50101010/020424/0000077 / 3').check();
  await request.getByLabel('Information requested').fill('Send the certificate of origin for item 3.');
  await request.getByRole('button', { name: 'Send the request' }).click();
  await expect(officer.locator('.lead .disclosure-status')).toHaveText('Information requested');

  await page.reload();
  await expect(page.locator('.request-text')).toHaveText('Send the certificate of origin for item 3.');
  await expect(page.locator('#lines').getByRole('link', { name: 'Revise' })).toHaveCount(1);
  await page.locator('#lines').getByRole('link', { name: 'Revise' }).click();
  await ready(page, javaScriptEnabled);
  await page.locator('.line-form #duty_correct').fill('100000.00');
  await page.locator('.line-form').getByRole('button', { name: 'Save the line' }).click();
  await expect(page.getByRole('status')).toContainText('Saved');
  await ready(page, javaScriptEnabled);
  await page.locator('.answer-form').getByLabel('Your answer').fill('The certificate shows origin CN; duty corrected.');
  await page.getByRole('button', { name: 'Send the answer' }).click();
  await expect(page.locator('.lead .disclosure-status')).toHaveText('Under review');

  // An adverse outcome goes through the right to be heard, then the decision.
  await officer.reload();
  await ready(officer, javaScriptEnabled);
  const propose = officer.locator('.propose-form');
  await propose.getByLabel('Intended decision').selectOption('accepted_not_voluntary');
  await propose.getByLabel('Reasons').fill(`Line 2 was named in ${reference}, notified before the disclosure.`);
  await propose.getByRole('button', { name: 'Tell the trader (right to be heard)' }).click();
  await expect(officer.locator('.lead .disclosure-status')).toHaveText('Right to be heard');

  await page.reload();
  await expect(page.locator('.intended')).toContainText('Accepted, not voluntary');
  await ready(page, javaScriptEnabled);
  await page.locator('.hearing-form').getByLabel('Objections').fill('We found the error ourselves before the request.');
  await page.getByRole('button', { name: 'Send the objections' }).click();
  await expect(page.getByRole('status')).toContainText('Saved');

  await officer.reload();
  await ready(officer, javaScriptEnabled);
  const decide = officer.locator('.decide-form');
  await decide.getByLabel('Decision').selectOption('accepted_not_voluntary');
  await decide.getByLabel('Reasons').fill('The document request named this declaration first.');
  await decide.getByRole('button', { name: 'Record the decision' }).click();
  await expect(officer.locator('.lead .disclosure-status')).toHaveText('Decided');

  await page.reload();
  await expect(page.locator('.lead .disclosure-status')).toHaveText('Decided');
  await expect(page.locator('.outcome')).toContainText('Accepted, not voluntary');
  await expect(page.locator('.outcome')).toContainText('The document request named this declaration first.');

  // After the acceptance: the officer sets the amount due, the trader reports the payment order,
  // the officer confirms it and the declaration correction (KDT); both sides see every step.
  await ready(officer, javaScriptEnabled);
  await officer.getByRole('button', { name: 'Set the amount due' }).click();
  await expect(officer.locator('.lead .disclosure-status')).toHaveText('Payment due');
  const due = (await officer.locator('#amount-due').textContent()) ?? '';
  expect(due).toMatch(/\d\.\d{2} KZT$/);

  await page.reload();
  await expect(page.locator('.lead .disclosure-status')).toHaveText('Payment due');
  await expect(page.locator('#amount-due')).toHaveText(due);
  await ready(page, javaScriptEnabled);
  const payment = page.locator('.payment-form');
  const today = new Date().toISOString().slice(0, 10);
  // A payment dated tomorrow is refused at its field; the corrected date is accepted.
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  await payment.getByLabel('Payment order reference').fill('PP-2026-0091');
  await payment.getByLabel('Paid on').fill(tomorrow);
  await payment.getByRole('button', { name: 'Report the payment' }).click();
  await expect(page.locator('.payment-form .field__error')).toHaveCount(1);
  await ready(page, javaScriptEnabled);
  await page.locator('.payment-form').getByLabel('Payment order reference').fill('PP-2026-0091');
  await page.locator('.payment-form').getByLabel('Paid on').fill(today);
  await page.locator('.payment-form').getByRole('button', { name: 'Report the payment' }).click();
  await expect(page.locator('#payment .payment')).toContainText('PP-2026-0091');

  await officer.reload();
  await ready(officer, javaScriptEnabled);
  await expect(officer.locator('#payment .payment')).toContainText('PP-2026-0091');
  await officer.getByRole('button', { name: 'Confirm the payment' }).click();
  await expect(officer.locator('.lead .disclosure-status')).toHaveText('Paid');
  await ready(officer, javaScriptEnabled);
  await officer.locator('.kdt-form').getByLabel('Declaration correction (KDT) reference').fill('50101010/KDT/0000512');
  await officer.getByRole('button', { name: 'Confirm the declaration correction' }).click();
  await expect(officer.locator('.lead .disclosure-status')).toHaveText('Declaration correction confirmed');

  await page.reload();
  await expect(page.locator('.lead .disclosure-status')).toHaveText('Declaration correction confirmed');
  await expect(page.locator('#payment .kdt')).toHaveText('50101010/KDT/0000512');
  await officerContext.close();
});
