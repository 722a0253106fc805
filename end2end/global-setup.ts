// Waits until the server under test answers (pitfall P11: `cargo leptos end-to-end` starts Playwright
// without waiting for the server). Any HTTP status below 500 counts as ready; redirects are not followed.
import type { FullConfig } from '@playwright/test';

const TIMEOUT_MS = 90_000;
const INTERVAL_MS = 500;

export default async function globalSetup(_config: FullConfig): Promise<void> {
  const baseURL = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
  const deadline = Date.now() + TIMEOUT_MS;
  let last = 'no attempt';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(baseURL, { redirect: 'manual', signal: AbortSignal.timeout(5_000) });
      if (res.status < 500) {
        return;
      }
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
  }
  throw new Error(`Server at ${baseURL} was not ready after ${TIMEOUT_MS / 1000} s (last: ${last})`);
}
