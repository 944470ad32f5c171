import { expect, newPage, screen, signIn, test } from './support';

test('the street admin sees both communities with the story’s figures, and every screen', async ({ browser, civic }) => {
  const page = await newPage(browser);
  await signIn(page, civic, 'street-admin');
  await expect(page).toHaveURL(/\/communities$/);
  const guangsha = page.locator('.ant-card').filter({ has: page.getByTestId('community-guangsha') });
  await expect(guangsha).toContainText('广厦社区');
  await expect(guangsha.locator('.ant-statistic').filter({ hasText: '户数' })).toContainText('2,283');
  await expect(guangsha.locator('.ant-statistic').filter({ hasText: '居民' })).toContainText('7,013');
  await expect(page.getByTestId('community-hemei')).toContainText('和美社区');
  await screen(page, 'communities');

  await page.getByTestId('community-guangsha').click();
  await expect(page.getByRole('heading', { name: '广厦社区' })).toBeVisible();
  await screen(page, 'community-profile');
  for (const [tab, name] of [
    ['网格', 'community-grids'],
    ['小区', 'community-compounds'],
    ['供暖改造', 'community-heating'],
    ['五星创建', 'community-stars'],
    ['社区生活', 'community-life'],
  ] as const) {
    await page.getByRole('tab', { name: tab }).click();
    await expect(page.getByRole('tabpanel', { name: tab })).toBeVisible();
    await screen(page, name);
  }
  await expect(page.getByRole('tabpanel', { name: '社区生活' })).toContainText('义卖所得');
  // Guangsha has held no activity: the section says so under its heading.
  const activities = page.getByRole('tabpanel', { name: '社区生活' }).getByRole('heading', { name: '社区活动' });
  await expect(activities.locator('xpath=following-sibling::*[1]')).toHaveText('暂无');

  await page.getByRole('tab', { name: '小区' }).click();
  await page.getByRole('link', { name: '龙和华府' }).click();
  await expect(page.getByRole('heading', { name: '龙和华府' })).toBeVisible();
  await expect(page.getByTestId('property-history')).toContainText('更换物业');
  await screen(page, 'compound');

  // A heating project is listed by its compound's name, and its link opens its page.
  await page.getByRole('link', { name: '社区概览' }).click();
  await page.getByTestId('community-guangsha').click();
  await page.getByRole('tab', { name: '供暖改造' }).click();
  await page.getByRole('tabpanel', { name: '供暖改造' }).getByRole('link', { name: '常庄小区 供暖改造' }).click();
  await expect(page).toHaveURL(/\/heating\/changzhuang-heating-2023$/);
  await expect(page.getByText('楼栋主管道打眼')).toBeVisible();
  // Places go by their names, not their ids.
  await expect(page.getByRole('heading', { name: '常庄小区 供暖改造' })).toBeVisible();
  await expect(page.getByRole('link', { name: '广厦社区', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: '常庄小区', exact: true })).toBeVisible();
  await screen(page, 'heating');

  await page.getByRole('link', { name: '事件看板' }).click();
  await expect(page.getByRole('link', { name: '龙和华府小区大门口视线盲区' })).toBeVisible();
  await screen(page, 'board');

  await page.getByRole('link', { name: '龙和华府小区大门口视线盲区' }).click();
  await expect(page.getByTestId('timeline')).toContainText('办结');
  await expect(page.getByRole('link', { name: '龙和华府', exact: true })).toBeVisible();
  await screen(page, 'issue');

  await page.getByRole('link', { name: '账号管理' }).click();
  await expect(page.getByRole('cell', { name: 'guangsha-grid', exact: true })).toBeVisible();
  await screen(page, 'accounts');
  // Grant the grid worker Hemei as well.
  await page.getByRole('button', { name: '调整权限 guangsha-grid' }).click();
  const grant = page.getByRole('dialog', { name: '调整权限' });
  await grant.getByLabel('社区').click();
  await page.locator('.ant-select-item-option[title="和美社区"]').click();
  // Close the dropdown (Escape would close the dialog) and submit.
  await grant.getByText('角色').click();
  await grant.getByRole('button', { name: '提交' }).click();
  await expect(grant).toBeHidden();
  await expect(page.getByRole('row').filter({ hasText: 'guangsha-grid' })).toContainText('广厦社区、和美社区');

  await page.getByRole('link', { name: '登录设备' }).click();
  await expect(page.getByRole('button', { name: '退出该设备' }).first()).toBeVisible();
  await screen(page, 'sessions');

  await page.getByRole('link', { name: '审计日志' }).click();
  await expect(page.getByText('链头哈希')).toBeVisible();
  await screen(page, 'audit-log');

  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
  await screen(page, 'sign-in');
});
