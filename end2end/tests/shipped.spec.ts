// Each shipped template (T1 general compliance, T2 AEO readiness with its legal numbering 1.0, 1.1…,
// T3 PCA pre-visit) is imported through the template library's upload form, and a trader saves an
// answer of each through the section form and finds it after a reload. JavaScript on (autosave)
// and off (the Save button).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { publishSource, ready, registerOrganisation } from './support/helpers';

interface Case {
  file: string;
  code: string;
  section: string;
  /** Answers the question on the section page. */
  answer: (page: Page) => Promise<void>;
  /** Checks the answer is shown after a reload. */
  check: (page: Page) => Promise<void>;
}

const cases: Case[] = [
  {
    file: 't1-general-compliance.toml',
    code: 'T1',
    section: 'A',
    answer: (page) => page.locator('[id="q-A1"]').getByLabel('Yes').check(),
    check: (page) => expect(page.locator('[id="q-A1"]').getByLabel('Yes')).toBeChecked(),
  },
  {
    file: 't2-aeo-readiness.toml',
    code: 'T2',
    section: '1',
    answer: (page) => page.locator('[id="q-1.0"]').getByLabel('Type 2').check(),
    check: (page) => expect(page.locator('[id="q-1.0"]').getByLabel('Type 2')).toBeChecked(),
  },
  {
    file: 't3-pca-pre-visit.toml',
    code: 'T3',
    section: 'A',
    answer: (page) => page.locator('[id="P3-value"]').fill('Invoice price plus freight to the EAEU border, from the contract and the CMR.'),
    check: (page) => expect(page.locator('[id="P3-value"]')).toHaveValue('Invoice price plus freight to the EAEU border, from the contract and the CMR.'),
  },
];

for (const c of cases) {
  test(`an answer of shipped template ${c.code} saves through the form and survives a reload`, async ({ page, browser, javaScriptEnabled }) => {
    // A fresh code per run: the server keeps every imported version.
    const code = `${c.code}X${Date.now().toString(36).toUpperCase()}`.slice(0, 16);
    const source = readFileSync(join(__dirname, '..', '..', 'templates', c.file), 'utf8')
      .replace(`code = "${c.code}"`, `code = "${code}"`);
    await publishSource(browser, javaScriptEnabled, code, source);

    await registerOrganisation(page, javaScriptEnabled);
    await page.getByRole('link', { name: 'Self-assessments' }).first().click();
    await ready(page, javaScriptEnabled);
    await page.locator('.card', { hasText: code }).getByRole('button', { name: 'Start' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText(code);
    await page.getByRole('link', { name: new RegExp(`^${c.section.replace('.', '\\.')}\\. `) }).first().click();
    await ready(page, javaScriptEnabled);

    await c.answer(page);
    if (javaScriptEnabled) {
      await page.locator('h1').click();
      await expect(page.getByRole('status')).toContainText('Saved');
    } else {
      await page.getByRole('button', { name: 'Save' }).click();
      await expect(page.getByRole('status')).toContainText('Saved: 1');
    }
    await expect(page.locator('.error-summary')).toHaveCount(0);

    await page.reload();
    await ready(page, javaScriptEnabled);
    await c.check(page);
  });
}
