// Playwright configuration for Senim's browser tests.
//
// * Browser: Debian's Chromium at /usr/bin/chromium (override with CHROMIUM_PATH). Playwright's own browser
//   downloads are never used: do not run `npx playwright install`.
// * Server: started by `make e2e` (fresh SQLite database under target/e2e/); BASE_URL points at it.
//   global-setup.ts waits up to 90 s for it to answer.
// * Two projects run every spec: `chromium-js` (hydrated app) and `chromium-nojs` (JavaScript disabled:
//   server-rendered HTML and plain form posts only). A spec that only makes sense in one of them can skip
//   itself with `test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, '...')`.
// * Accounts created by `make e2e` are passed in the environment: E2E_OFFICER_EMAIL / E2E_OFFICER_PASSWORD
//   and E2E_ADMIN_EMAIL / E2E_ADMIN_PASSWORD.
import { defineConfig, devices } from '@playwright/test';

const baseURL = process.env.BASE_URL ?? 'http://127.0.0.1:3000';

const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export default defineConfig({
  testDir: './tests',
  globalSetup: './global-setup.ts',
  outputDir: './test-results',
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // The tests share one server and one database; 1 worker keeps them deterministic on 2-core machines.
  workers: Number(process.env.PW_WORKERS ?? 1),
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium-js',
      use: { ...devices['Desktop Chrome'], javaScriptEnabled: true, launchOptions },
    },
    {
      name: 'chromium-nojs',
      use: { ...devices['Desktop Chrome'], javaScriptEnabled: false, launchOptions },
    },
  ],
});
