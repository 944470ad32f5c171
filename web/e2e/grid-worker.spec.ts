import { expect, newPage, screen, signIn, test } from './support';

test('a grid worker reports an issue on a phone and finds it on their list', async ({ browser, civic }) => {
  const page = await newPage(browser, true);
  await signIn(page, civic, 'guangsha-grid');
  await expect(page).toHaveURL(/\/my-issues$/);
  // A new grid worker has reported nothing and been given nothing: each list says so.
  await expect(page.getByRole('region', { name: '我上报的' })).toContainText('暂无事件');
  await expect(page.getByRole('region', { name: '派给我的' })).toContainText('暂无事件');
  await screen(page, 'phone-my-issues');

  await page.getByRole('button', { name: '上报事件' }).click();
  await expect(page.getByRole('heading', { name: '上报事件' })).toBeVisible();
  await screen(page, 'phone-report');
  // Every control of the form is a touch target of at least 44 px (a date or time picker's
  // whole box, which opens its panel wherever it is touched).
  for (const control of await page.locator('.touch input:not([type=radio]):not([role=combobox]):not(.ant-picker input), .touch textarea, .touch button, .touch .ant-select-selector, .touch .ant-radio-button-wrapper, .touch .ant-picker').all()) {
    if (!(await control.isVisible())) continue;
    const box = await control.boundingBox();
    expect(box?.height ?? 0, await control.evaluate((e) => e.outerHTML.slice(0, 80))).toBeGreaterThanOrEqual(44);
  }
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, 'nothing scrolls sideways at 375 px').toBeLessThanOrEqual(375);

  // The form says what is missing before it sends anything.
  await page.getByRole('button', { name: '提交上报' }).click();
  await expect(page.getByText('请填写此项').first()).toBeVisible();

  await page.getByLabel('类别').fill('安全隐患');
  await page.getByLabel('标题').fill('3号楼楼道灭火器过期');
  await page.getByLabel('地点').fill('常庄小区3号楼2单元');
  await page.getByLabel('情况描述').fill('走访中发现楼道灭火器已过有效期，需要更换。');
  await page.getByText('居民反映').click();
  await page.getByLabel('居民姓名（可选）').fill('王阿姨');
  await page.getByLabel('居民电话（可选）').fill('13900139000');
  await page.getByRole('button', { name: '提交上报' }).click();

  await expect(page).toHaveURL(/\/my-issues$/);
  const mine = page.getByRole('region', { name: '我上报的' });
  await expect(mine.getByRole('link', { name: '3号楼楼道灭火器过期' })).toBeVisible();
  await expect(mine).toContainText('待派单');
  await screen(page, 'phone-my-issues-after');

  // A grid worker does not see the resident's contact.
  await mine.getByRole('link', { name: '3号楼楼道灭火器过期' }).click();
  await expect(page.getByRole('heading', { name: '3号楼楼道灭火器过期' })).toBeVisible();
  await expect(page.getByText('13900139000')).toHaveCount(0);
  // The report is hers, by the name her account shows.
  await expect(page.getByTestId('actor')).toHaveText(['广厦社区网格员']);
  await screen(page, 'phone-issue');
});
