import type { Locator } from '@playwright/test';

import { expect, newPage, screen, signIn, test } from './support';

/** Expects `inner` to lie wholly inside `outer`, top to bottom. */
async function within(inner: Locator, outer: Locator) {
  const [a, b] = [await inner.boundingBox(), await outer.boundingBox()];
  expect(a, 'inner box').not.toBeNull();
  expect(b, 'outer box').not.toBeNull();
  if (!a || !b) return;
  expect(a.y, await inner.innerText()).toBeGreaterThanOrEqual(b.y);
  expect(a.y + a.height, await inner.innerText()).toBeLessThanOrEqual(b.y + b.height);
}

/** How many lines the text of `element` takes: the distinct tops of its text's line boxes. */
async function lines(element: Locator): Promise<number> {
  return element.evaluate((e) => {
    const tops = new Set<number>();
    const texts = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
    for (let text = texts.nextNode(); text; text = texts.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(text);
      for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
    }
    return tops.size;
  });
}

test('the street admin reads the board and the audit log on a phone', async ({ browser, civic }) => {
  const page = await newPage(browser, true);
  await signIn(page, civic, 'street-admin');

  // The longest name of the demo, the language switch and sign-out wrap inside the header,
  // none of them cut off above it.
  const header = page.locator('.ant-layout-header');
  await within(page.getByTestId('who'), header);
  await within(page.getByRole('button', { name: 'English' }), header);
  await within(page.getByRole('button', { name: '退出登录' }), header);

  // A table too wide for the phone scrolls inside itself; its words stay whole rather than
  // breaking after every character.
  await page.goto(`${civic.url}/issues`);
  const title = page.getByRole('link', { name: '龙和华府小区大门口视线盲区' });
  await expect(title).toBeVisible();
  expect(await lines(title), 'the title on one line').toBe(1);
  expect(await lines(page.getByRole('columnheader', { name: '办理期限' })), 'a header on one line').toBe(1);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, 'the page itself does not scroll sideways at 375 px').toBeLessThanOrEqual(375);
  await screen(page, 'phone-board');

  await page.goto(`${civic.url}/audit`);
  const stream = page.getByRole('button', { name: 'community-guangsha' }).first();
  await expect(stream).toBeVisible();
  expect(await lines(stream), 'a stream id on one line').toBe(1);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await screen(page, 'phone-audit');
});
