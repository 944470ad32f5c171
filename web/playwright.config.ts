import { defineConfig } from '@playwright/test';

// Debian's Chromium: test tools cannot download a browser on the machines this runs on.
export default defineConfig({
  testDir: 'e2e',
  // Each test starts its own server on a two-core machine: generous bounds, no fixed waits.
  timeout: 180_000,
  expect: { timeout: 30_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    launchOptions: {
      executablePath: process.env.CIVIC_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    actionTimeout: 30_000,
    navigationTimeout: 60_000,
  },
});
