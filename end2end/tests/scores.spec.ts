// The compliance score as its users meet it, JavaScript on and off: an officer confirms a finding
// and the trader's score drops, the trader sees why (rule id, the finding, a hint); a verified
// remediation raises it again; a supervisor imports a parameter set, reads its impact preview and
// publishes it; trade statistics uploaded from the shipped template (a bad file refused at its
// row and column first) earn the certification bonus; an overdue customs debt uploaded by the supervisor gates the trader, who then
// heads the PCA candidate list with the gate as its indicator.
import { expect, test, type Page } from '@playwright/test';
import { ready, registerOrganisation, signIn, unique } from './support/helpers';

const officerEmail = process.env.E2E_OFFICER_EMAIL ?? 'officer@e2e.test';
const officerPassword = process.env.E2E_OFFICER_PASSWORD ?? '';
const supervisorEmail = process.env.E2E_SUPERVISOR_EMAIL ?? 'supervisor@e2e.test';
const supervisorPassword = process.env.E2E_SUPERVISOR_PASSWORD ?? '';

async function composite(page: Page): Promise<number> {
  return Number((await page.locator('#composite').innerText()).trim());
}

function isoDay(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

test('a finding lowers the score with its reasons, remediation raises it, parameters publish, a gate reaches the PCA list', async ({
  page,
  browser,
  javaScriptEnabled,
}) => {
  test.setTimeout(120_000);
  const trader = await registerOrganisation(page, javaScriptEnabled);
  await page.getByRole('link', { name: 'Compliance score' }).click();
  await expect(page.locator('#score-headline')).toBeVisible();
  const before = await composite(page);
  await expect(page.locator('tr[data-rule="SA-NONE"]')).toBeVisible();

  // The officer records, communicates and (after the trader's answer) confirms a finding.
  const officerContext = await browser.newContext({ javaScriptEnabled });
  const officer = await officerContext.newPage();
  await signIn(officer, javaScriptEnabled, officerEmail, officerPassword);
  await officer.goto(`/customs/traders?q=${encodeURIComponent(trader.company)}`);
  await officer.getByRole('link', { name: trader.company }).click();
  await ready(officer, javaScriptEnabled);
  const form = officer.locator('.finding-form');
  await form.getByLabel('Source').selectOption('document_check');
  await form.getByLabel('Topic').selectOption('valuation');
  await form.getByLabel('What was found').fill('Royalties to the licensor left out of the customs value.');
  await form.getByLabel('Goods declarations').fill('50101010/150324/0001234');
  await form.getByLabel('Revenue effect').fill('250 000.00');
  await form.getByLabel('Culpability').selectOption('negligence');
  await form.getByLabel('Severity').selectOption('moderate');
  await form.getByLabel('Established on').fill(isoDay(-2));
  await form.getByRole('button', { name: 'Record the finding as a draft' }).click();
  await ready(officer, javaScriptEnabled);
  await officer.locator('#findings article.finding').first().getByRole('button', { name: 'Communicate to the trader' }).click();
  await expect(officer.locator('#findings article.finding').first().locator('.finding-status')).toHaveText(
    "Communicated: awaiting the trader's answer",
  );
  await page.goto('/findings');
  await ready(page, javaScriptEnabled);
  await page.getByLabel('Your answer (right to be heard)').fill('We agree; the licence fee was missed.');
  await page.getByRole('button', { name: 'Send the answer' }).click();
  await expect(page.getByRole('status')).toContainText('Your answer was sent');
  await officer.reload();
  await ready(officer, javaScriptEnabled);
  await officer.locator('.finding-step--confirm').getByLabel('Reasons').fill('The licence agreement ties the fee to the goods.');
  await officer.locator('.finding-step--confirm').getByRole('button', { name: 'Confirm the finding' }).click();
  await expect(officer.locator('#findings article.finding').first().locator('.finding-status')).toHaveText('Confirmed');

  // The trader's score dropped, and the page says why: the rule, the finding, the hint.
  await page.goto('/score');
  const dropped = await composite(page);
  expect(dropped).toBeLessThan(before);
  const deduction = page.locator('tr[data-rule="F-SEV"]');
  await expect(deduction).toContainText('Deduction for a finding');
  await expect(deduction.getByRole('link', { name: /^F-\d{4}-\d+$/ })).toBeVisible();
  await expect(page.locator('li[data-hint="H-REMEDIATE"]')).toContainText('Have customs verify the remediation of');
  await expect(page.locator('#score-headline')).toHaveAttribute('data-raw-tier', 'E');
  await expect(page.locator('#pending')).toContainText('next monthly snapshot');

  // Remediation planned, reported and verified: the score rises.
  await page.goto('/findings');
  await ready(page, javaScriptEnabled);
  await page.getByLabel('What you will do to put it right').fill('Licence fees checked before every filing.');
  await page.getByLabel('Done by').fill('2099-01-31');
  await page.getByRole('button', { name: 'Send the remediation plan' }).click();
  await expect(page.locator('article.finding .finding-status')).toHaveText('Remediation planned');
  await ready(page, javaScriptEnabled);
  await page.getByLabel('What you did, and where the evidence is').fill('Checklist in the ERP since 2026-12-01.');
  await page.getByRole('button', { name: 'Report the remediation done' }).click();
  await expect(page.locator('article.finding .finding-status')).toHaveText('Remediation reported');
  await officer.reload();
  await ready(officer, javaScriptEnabled);
  await officer.locator('.finding-step--verify_remediation').getByRole('button', { name: 'Verify the remediation' }).click();
  await expect(officer.locator('#findings article.finding').first().locator('.finding-status')).toHaveText('Remediation verified');
  await page.goto('/score');
  const raised = await composite(page);
  expect(raised).toBeGreaterThan(dropped);
  expect(raised).toBeLessThan(before);
  await officerContext.close();

  // A supervisor imports a new parameter set, reads its impact, publishes it.
  const supervisorContext = await browser.newContext({ javaScriptEnabled });
  const supervisor = await supervisorContext.newPage();
  await signIn(supervisor, javaScriptEnabled, supervisorEmail, supervisorPassword);
  await supervisor.getByRole('link', { name: 'Scoring' }).click();
  await ready(supervisor, javaScriptEnabled);
  const published = supervisor.locator('#param-sets tr[data-status="published"] pre.source');
  const source = (await published.textContent()) ?? '';
  const version = unique('score-e2e');
  await supervisor.getByLabel('Parameter file (TOML)').fill('version = 7');
  await supervisor.getByRole('button', { name: 'Import and preview' }).click();
  await expect(supervisor.locator('.error-summary').first()).toBeVisible();
  await ready(supervisor, javaScriptEnabled);
  const next = source.replace(/^version = ".*"$/m, `version = "${version}"`).replace('aeo = "4"', 'aeo = "5"');
  await supervisor.getByLabel('Parameter file (TOML)').fill(next);
  await supervisor.getByRole('button', { name: 'Import and preview' }).click();
  await expect(supervisor.locator('#impact-summary')).toContainText('would change tier');
  await ready(supervisor, javaScriptEnabled);
  await supervisor.getByRole('button', { name: `Publish ${version}` }).click();
  await expect(supervisor.getByRole('status').first()).toContainText('Published');
  await expect(supervisor.locator('#param-sets tr[data-status="published"]')).toContainText(version);

  // Trade statistics from the shipped template, with the trader's BIN: first a file whose
  // corrected declarations exceed the declarations (refused at its row and column, nothing
  // imported), then the template itself; the certifications it lists earn the bonus.
  await supervisor.goto('/customs/national-data');
  await ready(supervisor, javaScriptEnabled);
  const template = await supervisor.request.get('/customs/national-data/statistics-template.csv');
  expect(template.ok()).toBeTruthy();
  const [header, example] = (await template.text()).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  const cells = example.split(',');
  cells[0] = trader.bin;
  const good = `${header}\n${cells.join(',')}\n`;
  const bad = `${header}\n${cells.map((c, i) => (i === 3 ? String(Number(cells[2]) + 1) : c)).join(',')}\n`;
  const statisticsForm = supervisor.locator('.import-form--statistics');
  await supervisor.locator('#statistics-file').setInputFiles({ name: 'stats.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await statisticsForm.getByRole('button', { name: 'Import' }).click();
  await expect(supervisor.locator('#result')).toContainText('This count is larger than the total it is part of');
  await expect(supervisor.locator('#result')).toContainText('corrected_by_customs');
  await ready(supervisor, javaScriptEnabled);
  await supervisor.locator('#statistics-file').setInputFiles({ name: 'stats.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await supervisor.locator('.import-form--statistics').getByRole('button', { name: 'Import' }).click();
  await expect(supervisor.locator('#result')).toContainText('1 rows of operational statistics imported');
  await page.goto('/score');
  await expect(page.locator('tr[data-rule="CERT-BONUS"]')).toHaveCount(2);
  await expect(page.locator('tr[data-rule="OPS-NONE"]')).toHaveCount(0);

  // An overdue debt, uploaded as the national extract: gate G1 at once, and the PCA list shows it.
  await supervisor.goto('/customs/national-data');
  await ready(supervisor, javaScriptEnabled);
  const csv = `bin,reference,amount,currency,due_date,paid_date\n${trader.bin},D-${version},1250000.00,KZT,${isoDay(-120)},\n`;
  await supervisor.locator('#debts-file').setInputFiles({ name: 'debts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await supervisor.locator('.import-form--debts').getByRole('button', { name: 'Import' }).click();
  await expect(supervisor.locator('#result')).toContainText('1 rows of customs debts imported');
  await page.goto('/score');
  await expect(page.locator('li[data-gate="G1"]')).toContainText(`D-${version}`);
  await expect(page.locator('#score-headline')).toHaveAttribute('data-tier', 'E');
  await expect(page.locator('li[data-hint="H-PAY-DEBT"]')).toBeVisible();
  await supervisor.goto('/customs/pca?tier=E');
  const row = supervisor.locator('#candidates tr', { hasText: trader.company });
  await expect(row.locator('[data-indicator="G1"]')).toContainText('customs debt overdue');
  await supervisorContext.close();
});
