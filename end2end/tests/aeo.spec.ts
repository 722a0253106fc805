// An AEO application as its users meet it, JavaScript on and off: the trader submits a T2 AEO
// readiness self-assessment, starts an application on it (the checklist pre-filled from the T2),
// has a security below the minimum refused at its field, saves and submits with a receipt;
// customs accepts, asks for information (the trader answers), cannot propose before every
// condition has its verdict, records the verdicts, plans and reports a site visit, sends the
// intended grant with conditions (right to be heard; the trader answers) and proposes it; the
// officer is offered no decision; a supervisor grants and issues the certificate; the public register shows the holder,
// and the application page reads in Russian and Kazakh.
import { expect, test, type Page } from '@playwright/test';
import { publishSource, ready, registerOrganisation, signIn } from './support/helpers';

const officerEmail = process.env.E2E_OFFICER_EMAIL ?? 'officer@e2e.test';
const officerPassword = process.env.E2E_OFFICER_PASSWORD ?? '';
const supervisorEmail = process.env.E2E_SUPERVISOR_EMAIL ?? 'supervisor@e2e.test';
const supervisorPassword = process.env.E2E_SUPERVISOR_PASSWORD ?? '';

/** A small AEO readiness template: the question the activity-years condition maps (1.1). */
function t2(code: string): string {
  return `code = "${code}"
version = "1.0.0"
purpose = "aeo_readiness"
title = { kk = "УЭО ${code}", ru = "УЭО ${code}", en = "AEO readiness ${code}" }

[[sections]]
key = "1"
weight = 10
title = { kk = "Қызмет", ru = "Деятельность", en = "Activity" }

[[sections.questions]]
key = "1.1"
weight = 3
required = true
text = { kk = "Неше жыл?", ru = "Сколько лет?", en = "For how many years has the company been active in foreign trade?" }
kind = { type = "integer", min = 0, max = 100, bands = [{ min = 3, credit = 1.0 }] }
`;
}

function isoDay(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

const TYPE1 = [
  'activity_years',
  'volumes',
  'security',
  'no_overdue_payments',
  'no_unexecuted_penalties',
  'financial_stability',
  'no_criminal_record',
  'accounting_system',
];

/** Saves the open section: autosave with JavaScript, the Save button without. */
async function saveSection(page: Page, javaScriptEnabled: boolean): Promise<void> {
  if (javaScriptEnabled) {
    await page.locator('h1').click();
    await expect(page.getByRole('status')).toContainText('Saved');
    await page.waitForTimeout(1200);
  } else {
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('status')).toContainText('Saved: 1');
  }
}

test('an AEO application goes from a submitted T2 to a certificate in the public register', async ({
  page,
  browser,
  javaScriptEnabled,
}) => {
  test.setTimeout(180_000);
  const code = `AEO${Date.now().toString(36).toUpperCase()}`.slice(0, 16);
  await publishSource(browser, javaScriptEnabled, code, t2(code));
  const trader = await registerOrganisation(page, javaScriptEnabled);

  // No submitted T2 yet: the page says what to do first.
  await page.getByRole('link', { name: 'AEO', exact: true }).click();
  await expect(page.locator('#no-t2')).toBeVisible();

  // The T2, answered and submitted through its forms.
  await page.getByRole('link', { name: 'Self-assessments' }).first().click();
  await ready(page, javaScriptEnabled);
  await page.locator('.card', { hasText: code }).getByRole('button', { name: 'Start' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(code);
  await page.getByRole('link', { name: /^1\. Activity/ }).first().click();
  await ready(page, javaScriptEnabled);
  await page.locator('[id="1.1-value"]').fill('5');
  await saveSection(page, javaScriptEnabled);
  await page.getByRole('link', { name: 'Back to the overview' }).click();
  await page.getByRole('link', { name: 'Review and submit' }).click();
  await ready(page, javaScriptEnabled);
  await page.getByLabel(/I confirm that the information/).check();
  await page.getByRole('button', { name: 'Sign and submit' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Submission receipt');

  // The application on it: the checklist is pre-filled from the T2.
  await page.getByRole('link', { name: 'AEO', exact: true }).click();
  await ready(page, javaScriptEnabled);
  await page.getByLabel('Certificate type').selectOption('type1');
  await expect(page.getByLabel('T2 self-assessment').locator('option')).toHaveCount(1);
  await page.getByRole('button', { name: 'Start the application' }).click();
  await expect(page.locator('#checklist')).toBeVisible();
  await expect(page.locator('#condition-activity_years [data-suggestion]')).toHaveAttribute('data-suggestion', 'likely_met');
  await expect(page.locator('#condition-activity_years')).toContainText('5');
  const applicationUrl = page.url().replace(/\?.*$/, '');
  const id = /\/aeo\/(\d+)$/.exec(applicationUrl)?.[1];
  expect(id).toBeTruthy();

  // A security below the minimum is refused at its field; the rest of the draft is saved.
  await ready(page, javaScriptEnabled);
  const draft = page.locator('#draft-form');
  for (const key of TYPE1) {
    if (key === 'financial_stability') {
      await page.locator(`#explain-${key}`).fill('Audited 2025 accounts attached to the T2.');
    } else {
      await page.locator(`#condition-${key}`).getByLabel('We confirm this condition is met').check();
    }
  }
  await draft.getByLabel('Form of security').selectOption('bank_guarantee');
  await draft.getByLabel('Amount').fill('999999.99');
  await draft.getByLabel('Currency (ISO 4217)').fill('EUR');
  await page.locator('#site-kind-0').selectOption('head_office');
  await page.locator('#site-address-0').fill('Almaty, Abai Ave 1');
  await page.locator('#contact-name-0').fill('Aigerim Sultanova');
  await page.locator('#contact-job-0').fill('Customs manager');
  await page.locator('#contact-email-0').fill('aigerim@example.kz');
  await page.locator('#contact-phone-0').fill('+7 727 000 0000');
  await draft.getByLabel(/We consent to the publication/).check();
  await draft.getByRole('button', { name: 'Save the draft' }).click();
  await expect(page.locator('.error-summary').first()).toContainText('less than the minimum for this certificate type');
  await ready(page, javaScriptEnabled);
  // What was valid is kept: only the refused amount is typed again.
  await expect(page.locator('#site-address-0')).toHaveValue('Almaty, Abai Ave 1');
  await expect(page.locator('#contact-email-0')).toHaveValue('aigerim@example.kz');
  await expect(page.locator('#explain-financial_stability')).toHaveValue('Audited 2025 accounts attached to the T2.');
  await expect(page.locator('#condition-volumes').getByLabel('We confirm this condition is met')).toBeChecked();
  await draft.getByLabel('Form of security').selectOption('bank_guarantee');
  await draft.getByLabel('Currency (ISO 4217)').fill('EUR');
  await draft.getByLabel('Amount').fill('1 000 000.00');
  await draft.getByRole('button', { name: 'Save the draft' }).click();
  await expect(page.getByRole('status').first()).toContainText('Done.');
  await page.goto(applicationUrl);
  await ready(page, javaScriptEnabled);
  await expect(page.locator('#site-address-0')).toHaveValue('Almaty, Abai Ave 1');
  await expect(page.locator('#security-amount')).toHaveValue('1000000.00');

  // Evidence through the upload form: a file that is not what it claims is refused with the reason;
  // a PDF for a condition is listed, not yet sent; one attached by mistake is removed.
  const evidence = page.locator('#evidence');
  await evidence.getByLabel('For the condition').selectOption('financial_stability');
  await evidence.getByLabel('File to attach').setInputFiles({ name: 'accounts.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html>not a pdf</html>') });
  await evidence.getByRole('button', { name: 'Attach the file' }).click();
  await expect(page.locator('#evidence-error')).toContainText('The file was not attached');
  await page.locator('#evidence').getByLabel('For the condition').selectOption('financial_stability');
  await page.locator('#evidence').getByLabel('File to attach').setInputFiles({ name: 'accounts-2025.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% audited accounts 2025\n') });
  await page.locator('#evidence').getByRole('button', { name: 'Attach the file' }).click();
  await expect(page.locator('#evidence tr[data-condition="financial_stability"]')).toContainText('accounts-2025.pdf');
  await expect(page.locator('#evidence tr[data-condition="financial_stability"]')).toHaveAttribute('data-sent', 'false');
  await page.locator('#evidence').getByLabel('For the condition').selectOption('security');
  await page.locator('#evidence').getByLabel('File to attach').setInputFiles({ name: 'wrong.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% wrong file\n') });
  await page.locator('#evidence').getByRole('button', { name: 'Attach the file' }).click();
  await expect(page.locator('#evidence')).toContainText('wrong.pdf');
  await ready(page, javaScriptEnabled);
  await page.locator('#evidence tr', { hasText: 'wrong.pdf' }).getByRole('button', { name: 'Remove' }).click();
  await expect(page.locator('#evidence')).not.toContainText('wrong.pdf');
  await expect(page.locator('#evidence')).toContainText('accounts-2025.pdf');

  // Signed and submitted: a receipt, and the status.
  await page.getByRole('button', { name: 'Submit the application' }).click();
  await expect(page.locator('.error-summary').first()).toBeVisible();
  await ready(page, javaScriptEnabled);
  await page.getByLabel(/I confirm, on behalf of the organisation/).check();
  await page.getByRole('button', { name: 'Submit the application' }).click();
  await expect(page.locator('#receipt')).toContainText('SHA-256');
  await expect(page.locator('#status')).toHaveAttribute('data-status', 'submitted');
  await expect(page.locator('#evidence tr[data-condition="financial_stability"]')).toHaveAttribute('data-sent', 'true');

  // Customs: the queue, acceptance, an information request naming a condition.
  const officerContext = await browser.newContext({ javaScriptEnabled });
  const officer = await officerContext.newPage();
  await signIn(officer, javaScriptEnabled, officerEmail, officerPassword);
  await expect(officer.getByRole('heading', { level: 1 })).toHaveText('Welcome, E2E Officer');
  await officer.getByRole('link', { name: 'AEO', exact: true }).click();
  const row = officer.locator('#queue tr', { hasText: trader.company });
  await expect(row.locator('[data-light]')).toHaveAttribute('data-light', 'green');
  await row.getByRole('link').first().click();
  await ready(officer, javaScriptEnabled);
  await expect(officer.locator('#evidence')).toContainText('accounts-2025.pdf');
  await officer.getByRole('button', { name: 'Accept the application' }).click();
  await expect(officer.locator('#status')).toHaveAttribute('data-status', 'under_examination');
  await ready(officer, javaScriptEnabled);
  const request = officer.locator('.aeo-request');
  await request.getByLabel(/Financial stability/).check();
  await request.getByLabel('What the trader should provide').fill('Send the audited 2025 accounts with the auditor’s opinion.');
  await request.getByLabel('Due', { exact: true }).fill(isoDay(14));
  await request.getByRole('button', { name: 'Send the request' }).click();
  await expect(officer.locator('#status')).toHaveAttribute('data-status', 'info_requested_examination');
  await expect(officer.locator('#clock')).toContainText('paused');

  // The trader's home page says customs waits for an answer; the link leads to the application.
  await page.goto('/');
  await expect(page.locator('#aeo-notice')).toContainText('Customs waits for your answer');
  await page.locator('#aeo-notice').getByRole('link').click();
  await ready(page, javaScriptEnabled);
  await expect(page.locator('article.request')).toContainText('audited 2025 accounts');
  await page.getByLabel('Your answer').fill('Sent by e-mail on the day; the opinion is unqualified.');
  await page.getByRole('button', { name: 'Send the answer' }).click();
  await expect(page.locator('#status')).toHaveAttribute('data-status', 'under_examination');

  // Nothing is proposed before every condition has its verdict.
  await officer.reload();
  await ready(officer, javaScriptEnabled);
  const propose = officer.locator('.aeo-step--propose');
  await propose.getByLabel('Reasons').fill('Every condition met.');
  await propose.getByRole('button', { name: 'Propose the decision' }).click();
  await expect(officer.locator('.error-summary').first()).toContainText('Record a verdict');
  for (const key of TYPE1) {
    await ready(officer, javaScriptEnabled);
    const condition = officer.locator(`#condition-${key}`);
    await condition.getByRole('button', { name: 'Record the verdict' }).click();
    await expect(condition.locator('.verdict')).toHaveAttribute('data-verdict', 'met');
  }

  // A site visit, planned and reported.
  await ready(officer, javaScriptEnabled);
  const visit = officer.locator('.aeo-visit');
  await visit.getByLabel('Day of the visit').fill(isoDay(3));
  await visit.getByLabel('Officers who visit').fill('A. Bekov, S. Nurlanova');
  await visit.getByRole('button', { name: 'Plan the visit' }).click();
  const report = officer.locator('.aeo-report');
  await expect(report).toBeVisible();
  await ready(officer, javaScriptEnabled);
  await report.getByLabel('Report', { exact: true }).fill('Premises fenced, CCTV in place, stock records match the ledger.');
  await report.getByLabel(/An accounting system/).fill('Sample of 20 declarations traced to stock.');
  await report.getByRole('button', { name: 'Record the report' }).click();
  await expect(officer.locator('article.visit')).toHaveAttribute('data-reported', 'true');

  // A grant with conditions is intended: the trader is heard first.
  await ready(officer, javaScriptEnabled);
  const hearing = officer.locator('.aeo-step--offer_hearing');
  await hearing.getByLabel('Outcome').selectOption('grant_with_conditions');
  await hearing.getByLabel('Reasons').fill('Quarterly stock reconciliations are needed for the temporary storage.');
  await hearing.getByRole('button', { name: 'Send the intended decision (right to be heard)' }).click();
  await expect(officer.locator('#status')).toHaveAttribute('data-status', 'right_to_be_heard');
  await page.goto(applicationUrl);
  await ready(page, javaScriptEnabled);
  await expect(page.locator('#hearing')).toContainText('Quarterly stock reconciliations');
  await page.locator('.aeo-hearing').getByLabel('Your answer').fill('We agree and will send them by the 10th after each quarter.');
  await page.locator('.aeo-hearing').getByRole('button', { name: 'Send the answer' }).click();
  await expect(page.locator('#hearing')).toContainText('We agree and will send them');

  // The examining officer proposes; deciding is a supervisor's (four eyes).
  await officer.reload();
  await ready(officer, javaScriptEnabled);
  const proposal = officer.locator('.aeo-step--propose');
  await proposal.getByLabel('Outcome').selectOption('grant_with_conditions');
  await proposal.getByLabel('Reasons').fill('Every condition met; the visit confirmed it; the trader agreed.');
  await proposal.getByLabel('Conditions of the grant').fill('Quarterly stock reconciliation reports.');
  await proposal.getByRole('button', { name: 'Propose the decision' }).click();
  await expect(officer.locator('#status')).toHaveAttribute('data-status', 'proposed_grant_with_conditions');
  await expect(officer.locator('#proposal')).toContainText('Every condition met');
  await expect(officer.locator('#customs-actions')).toContainText('Four eyes');
  await expect(officer.locator('.aeo-step--decide')).toHaveCount(0);
  await officerContext.close();

  // A supervisor who did not examine decides and issues the certificate.
  const supervisorContext = await browser.newContext({ javaScriptEnabled });
  const supervisor = await supervisorContext.newPage();
  await signIn(supervisor, javaScriptEnabled, supervisorEmail, supervisorPassword);
  await expect(supervisor.getByRole('heading', { level: 1 })).toContainText('Welcome');
  await supervisor.goto(`/customs/aeo/${id}`);
  await ready(supervisor, javaScriptEnabled);
  const decide = supervisor.locator('.aeo-step--decide');
  await decide.getByLabel('Outcome').selectOption('grant_with_conditions');
  await decide.getByLabel('Reasons').fill('The examination, the visit and the hearing support the grant.');
  await decide.getByRole('button', { name: 'Decide' }).click();
  await expect(supervisor.locator('#status')).toHaveAttribute('data-status', 'granted_with_conditions');
  await ready(supervisor, javaScriptEnabled);
  const issue = supervisor.locator('.aeo-step--issue_certificate');
  await issue.getByLabel('Monitoring plan').fill('Annual desk review of the security and the accounts.');
  await issue.getByRole('button', { name: 'Issue the certificate' }).click();
  await expect(supervisor.locator('#certificate-number')).not.toBeEmpty();
  await expect(supervisor.locator('#certificate')).toContainText('Quarterly stock reconciliation reports.');
  const number = (await supervisor.locator('#certificate-number').innerText()).trim();
  await supervisor.goto(`/customs/traders?q=${encodeURIComponent(trader.company)}`);
  await supervisor.getByRole('link', { name: trader.company }).click();
  await expect(supervisor.locator('#trader-aeo tr[data-status="active"]')).toBeVisible();
  await supervisorContext.close();

  // The trader sees the certificate in force; the public register, anonymous, shows the holder.
  await page.goto(applicationUrl);
  await expect(page.locator('#status')).toHaveAttribute('data-status', 'active');
  await expect(page.locator('#certificate-number')).toHaveText(number);
  await page.goto('/');
  await expect(page.locator('#aeo-notice')).toContainText('Certificate in force');
  await page.goto(applicationUrl);
  const visitorContext = await browser.newContext({ javaScriptEnabled });
  const visitor = await visitorContext.newPage();
  await visitor.goto(`/aeo-register?q=${encodeURIComponent(trader.bin)}`);
  await expect(visitor.locator('#register')).toContainText(trader.company);
  await expect(visitor.locator('#register')).toContainText(number);
  await visitorContext.close();

  // The same page in Russian and Kazakh.
  await page.getByRole('button', { name: 'Русский' }).click();
  await expect(page.locator('#status')).toHaveText('Свидетельство действует');
  await page.getByRole('button', { name: 'Қазақша' }).click();
  await expect(page.locator('#status')).toHaveText('Куәлік қолданыста');
});
