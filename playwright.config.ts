import { defineConfig } from '@playwright/test';

/** Debian's Chromium (STACK-NOTES): never `npx playwright install`. */
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: process.env.VAJRA_E2E_OUT ?? 'test-results/e2e',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['json', { outputFile: process.env.VAJRA_E2E_OUT ? `${process.env.VAJRA_E2E_OUT}/e2e.json` : 'test-results/e2e.json' }]],
  use: {
    // Every project (the electron one too, whose specs may still request a page) uses Debian's Chromium.
    launchOptions: { executablePath: process.env.VAJRA_CHROMIUM ?? '/usr/bin/chromium', args: chromiumArgs },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    viewport: { width: 1280, height: 800 },
  },
  projects: [
    {
      name: 'web',
      use: { browserName: 'chromium', launchOptions: { executablePath: process.env.VAJRA_CHROMIUM ?? '/usr/bin/chromium', args: chromiumArgs } },
    },
    { name: 'electron', use: {} },
  ],
});
