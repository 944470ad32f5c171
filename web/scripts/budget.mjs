// Measures the admin app's budgets against a real `civic serve --demo` in headless Chromium:
//   - the JavaScript the sign-in screen loads, and what the first screen after it adds
//     (gzip level 6, as served), against 300 KB;
//   - the time from pressing "sign in" to the first screen painted with its data (the
//     street admin's communities), median of 10 sign-ins each in a fresh browser context,
//     with the Performance API, against 1 s;
//   - the JavaScript the dashboard (with ECharts) adds after sign-in, against 400 KB;
//   - the time from a mutation's response (another client reports an issue) to the changed
//     open count on the open dashboard, median and p99 of 20, against 500 ms.
// It prints figures; it asserts nothing.
import { gzipSync } from 'node:zlib';

import { chromium } from '@playwright/test';

import { startCivic } from './civic-server.mjs';

const RUNS = 10;
const LOGIN = 'street-admin';
const PASSWORD = '社区网格员每天走访居民楼';
const FIRST_SCREEN = '[data-testid=community-guangsha]';

const civic = await startCivic();
const browser = await chromium.launch({
  executablePath: process.env.CIVIC_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

function kb(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

async function signIn(page, password) {
  await page.getByLabel('账号').fill(LOGIN);
  await page.getByLabel('密码', { exact: true }).fill(password);
}

try {
  // 1. What each step loads.
  const context = await browser.newContext();
  const page = await context.newPage();
  const scripts = new Map();
  page.on('response', async (response) => {
    if (response.request().resourceType() === 'script') {
      const body = await response.body().catch(() => Buffer.alloc(0));
      scripts.set(new URL(response.url()).pathname, { raw: body.length, gz: gzipSync(body, { level: 6 }).length });
    }
  });
  await page.goto(`${civic.url}/`);
  await page.getByRole('button', { name: '登录' }).waitFor();
  await page.waitForLoadState('networkidle');
  const atSignIn = new Map(scripts);
  await signIn(page, civic.passwords[LOGIN]);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByLabel('新密码', { exact: true }).fill(PASSWORD);
  await page.getByLabel('再次输入新密码').fill(PASSWORD);
  await page.getByRole('button', { name: '设置新密码并登录' }).click();
  await page.locator(FIRST_SCREEN).waitFor();
  await page.waitForLoadState('networkidle');
  const atFirstScreen = new Map(scripts);
  const beforeDashboard = new Set(scripts.keys());
  await page.goto(`${civic.url}/dashboard`);
  await page.getByTestId('stat-open').waitFor();
  await page.waitForLoadState('networkidle');
  const dashboardFiles = new Map([...scripts].filter(([name]) => !beforeDashboard.has(name)));

  // Live: another client reports; the open count on the dashboard moves.
  const delays = [];
  for (let n = 1; n <= 20; n++) {
    const shown = await page.getByTestId('stat-open').innerText();
    const before = Number(shown.replace(/\D/g, ''));
    await page.evaluate((expected) => {
      window.__changed = new Promise((resolve) => {
        const stat = document.querySelector('[data-testid=stat-open]');
        const seen = new MutationObserver(() => {
          if (Number(stat.textContent.replace(/\D/g, '')) === expected) {
            seen.disconnect();
            requestAnimationFrame(() => resolve(performance.timeOrigin + performance.now()));
          }
        });
        seen.observe(stat, { childList: true, subtree: true, characterData: true });
      });
    }, before + 1);
    const response = await fetch(`${civic.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${civic.token}` },
      body: JSON.stringify({
        query: `mutation { reportIssue(input: { id: "budget-${n}", communityId: "guangsha", category: "市容环境", title: "测量 ${n}", description: "仪表盘实时更新测量", location: "广场", channel: PATROL, reporter: "测量", reportedAt: "2023-10-01T09:00:00+08:00" }) { position } }`,
      }),
    });
    await response.json();
    const answered = performance.timeOrigin + performance.now();
    const changed = await page.evaluate(() => window.__changed);
    delays.push(changed - answered);
    process.stdout.write(`\rlive dashboard: mutation ${n}/20: ${(changed - answered).toFixed(0)} ms   `);
  }
  process.stdout.write('\n');
  delays.sort((a, b) => a - b);
  const sum = (files) => [...files.values()].reduce((a, f) => ({ raw: a.raw + f.raw, gz: a.gz + f.gz }), { raw: 0, gz: 0 });
  const signInJs = sum(atSignIn);
  const added = new Map([...atFirstScreen].filter(([name]) => !atSignIn.has(name)));
  const addedJs = sum(added);
  await context.close();

  // 2. Sign-in to data on screen, each time in a fresh context (nothing cached).
  const times = [];
  for (let run = 1; run <= RUNS; run++) {
    const fresh = await browser.newContext();
    const p = await fresh.newPage();
    await p.goto(`${civic.url}/`);
    await p.getByRole('button', { name: '登录' }).waitFor();
    await signIn(p, PASSWORD);
    await p.evaluate((selector) => {
      window.__signInToData = new Promise((resolve) => {
        let pressed = 0;
        document.addEventListener('click', () => (pressed = performance.now()), { capture: true, once: true });
        const seen = new MutationObserver(() => {
          if (!pressed || !document.querySelector(selector)) return;
          seen.disconnect();
          // Two frames: the one that lays the data out, and its paint.
          requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - pressed)));
        });
        seen.observe(document.body, { childList: true, subtree: true });
      });
    }, FIRST_SCREEN);
    await p.getByRole('button', { name: '登录' }).click();
    const ms = await p.evaluate(() => window.__signInToData);
    times.push(ms);
    process.stdout.write(`\rsign-in to data: run ${run}/${RUNS}: ${ms.toFixed(0)} ms   `);
    await fresh.close();
  }
  process.stdout.write('\n');
  times.sort((a, b) => a - b);
  const median = (times[4] + times[5]) / 2;

  console.log('\nAdmin app budgets (headless Chromium, demo data)');
  console.log(`  sign-in screen JavaScript: ${atSignIn.size} files, ${kb(signInJs.gz)} gzipped (${kb(signInJs.raw)} raw)`);
  console.log(`  first screen adds:         ${added.size} files, ${kb(addedJs.gz)} gzipped (${kb(addedJs.raw)} raw)`);
  console.log(`  together:                  ${kb(signInJs.gz + addedJs.gz)} gzipped   budget 300 KB`);
  for (const [name, f] of [...scripts].sort((a, b) => b[1].gz - a[1].gz)) {
    const when = atSignIn.has(name) ? '' : dashboardFiles.has(name) ? '  (dashboard)' : '  (after sign-in)';
    console.log(`    ${kb(f.gz).padStart(9)}  ${name}${when}`);
  }
  const dashboardJs = sum(dashboardFiles);
  console.log(`  dashboard adds:            ${dashboardFiles.size} files, ${kb(dashboardJs.gz)} gzipped (${kb(dashboardJs.raw)} raw)   budget 400 KB`);
  const p = (q) => delays[Math.min(delays.length - 1, Math.ceil(q * delays.length) - 1)];
  console.log(`  mutation answered to open count changed on the dashboard, 20 mutations: median ${((delays[9] + delays[10]) / 2).toFixed(0)} ms, p99 ${p(0.99).toFixed(0)} ms   budget 500 ms`);
  console.log(`  sign-in to first screen with data, ${RUNS} runs: median ${median.toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times[RUNS - 1].toFixed(0)} ms   budget 1000 ms`);
} finally {
  await browser.close();
  await civic.stop();
}
