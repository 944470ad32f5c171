import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Browser, type Page } from '@playwright/test';

import { startCivic } from '../scripts/civic-server.mjs';

export { expect };

export interface Civic {
  url: string;
  passwords: Record<string, string>;
  token: string;
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Every test gets its own server and database. */
export const test = base.extend<{ civic: Civic }>({
  civic: async ({}, use) => {
    const civic = (await startCivic()) as Civic;
    await use(civic);
    await civic.stop();
  },
});

/** The password each demo account sets at its first sign-in. */
export const newPassword = (_login: string) => '社区网格员每天走访居民楼';

const signedIn = new WeakMap<Civic, Set<string>>();

/** Signs in through the form; a first sign-in sets the account's own password. */
export async function signIn(page: Page, civic: Civic, login: string) {
  const done = signedIn.get(civic) ?? new Set();
  signedIn.set(civic, done);
  await page.goto(`${civic.url}/`);
  await page.getByLabel('账号').fill(login);
  await page.getByLabel('密码', { exact: true }).fill(done.has(login) ? newPassword(login) : (civic.passwords[login] ?? ''));
  await page.getByRole('button', { name: '登录' }).click();
  if (!done.has(login)) {
    await page.getByLabel('新密码', { exact: true }).fill(newPassword(login));
    await page.getByLabel('再次输入新密码').fill(newPassword(login));
    await page.getByRole('button', { name: '设置新密码并登录' }).click();
    done.add(login);
  }
  await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible();
}

/** A fresh browser context and page. */
export async function newPage(browser: Browser, phone = false): Promise<Page> {
  const context = await browser.newContext(
    phone
      ? { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', reducedMotion: 'reduce' }
      : { viewport: { width: 1280, height: 860 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', reducedMotion: 'reduce' },
  );
  return context.newPage();
}

const artifacts = resolve(import.meta.dirname, '../artifacts');

/** Checks the screen with axe (no serious or critical violation) and saves a screenshot. */
export async function screen(page: Page, name: string) {
  // Let spinners and skeletons finish before judging the screen.
  await expect(page.locator('.ant-spin-spinning, .ant-skeleton')).toHaveCount(0);
  // Judge the screen at rest, not under wherever the pointer last clicked.
  await page.mouse.move(0, 0);
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: `${artifacts}/${name}.png`, fullPage: true });
  const result = await new AxeBuilder({ page }).analyze();
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`),
    `accessibility of ${name}`,
  ).toEqual([]);
}

/** A GraphQL request with the server's service token (another client than the browser). */
export async function api(civic: Civic, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(`${civic.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${civic.token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data ?? {};
}
