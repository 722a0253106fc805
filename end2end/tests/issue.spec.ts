// A customs officer issues a questionnaire to a trader with a due date; the trader finds it on its
// home page, and the officer sees it on the trader page. JavaScript on and off.
import { expect, test } from '@playwright/test';
import { publishTemplate, ready, registerOrganisation, signIn } from './support/helpers';

function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

test('an officer issues a questionnaire with a due date that the trader sees on its home page', async ({ page, browser, javaScriptEnabled }) => {
  const code = `I${Date.now().toString(36).toUpperCase()}${Math.floor(Math.random() * 10)}`.slice(0, 12);
  await publishTemplate(browser, javaScriptEnabled, code);
  const trader = await registerOrganisation(page, javaScriptEnabled);

  const officerContext = await browser.newContext({ javaScriptEnabled });
  const officer = await officerContext.newPage();
  await signIn(officer, javaScriptEnabled, process.env.E2E_OFFICER_EMAIL ?? 'officer@e2e.test', process.env.E2E_OFFICER_PASSWORD ?? '');
  await expect(officer.getByRole('heading', { level: 1 })).toHaveText('Welcome, E2E Officer');
  await officer.goto(`/customs/traders?q=${encodeURIComponent(trader.company)}`);
  await officer.getByRole('link', { name: trader.company }).click();
  await expect(officer.getByRole('heading', { level: 1 })).toHaveText(trader.company);
  await ready(officer, javaScriptEnabled);

  // A date in the past is refused at the field, and nothing is issued.
  await officer.getByLabel('Questionnaire').selectOption({ label: `${code} 1.0.0` });
  await officer.getByLabel('Due').fill(inDays(-2));
  await officer.getByRole('button', { name: 'Issue', exact: true }).click();
  await expect(officer.locator('.error-summary')).toContainText('The date must be today or later');
  await expect(officer.locator('#trader-assessments')).not.toContainText(code);

  const due = inDays(21);
  await officer.getByLabel('Questionnaire').selectOption({ label: `${code} 1.0.0` });
  await officer.getByLabel('Due').fill(due);
  await officer.getByRole('button', { name: 'Issue', exact: true }).click();
  if (javaScriptEnabled) {
    await expect(officer.getByRole('status')).toContainText('Issued');
  }
  await expect(officer.locator('#trader-assessments')).toContainText(`${code} 1.0.0`);
  await expect(officer.locator('#trader-assessments')).toContainText(due);
  await officerContext.close();

  // The trader's home page lists it with the due date; it opens as a draft to answer.
  await page.goto('/');
  const issued = page.locator('#issued');
  await expect(issued).toContainText(`${code} 1.0.0`);
  await expect(issued).toContainText(`due ${due}`);
  await issued.getByRole('link').first().click();
  await expect(page.locator('.issued')).toContainText('Issued by customs (E2E Officer)');
  await expect(page.locator('.lead')).toContainText('Draft');
});
