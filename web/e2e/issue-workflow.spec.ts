import type { Page } from '@playwright/test';

import { expect, newPage, screen, signIn, test } from './support';

async function step(page: Page, action: string, fill: (page: Page) => Promise<void>) {
  await page.getByTestId('actions').getByRole('button', { name: action, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: action });
  await expect(dialog).toBeVisible();
  await fill(page);
  await dialog.getByRole('button', { name: '提交' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('timeline')).toContainText(action === '办结' ? '办结' : action);
}

test('community staff assign, survey, resolve and close an issue; the timeline names who did each step', async ({ browser, civic }) => {
  const page = await newPage(browser);
  await signIn(page, civic, 'guangsha-staff');
  await expect(page).toHaveURL(/\/communities\/guangsha$/);

  await page.getByRole('link', { name: '上报事件' }).click();
  await page.getByLabel('类别').fill('设施维修');
  await page.getByLabel('标题').fill('常庄小区路灯不亮');
  await page.getByLabel('地点').fill('常庄小区南门');
  await page.getByLabel('情况描述').fill('南门路灯连续三晚不亮，居民夜间出行不便。');
  await page.getByRole('button', { name: '提交上报' }).click();
  await expect(page.getByRole('heading', { name: '常庄小区路灯不亮' })).toBeVisible();
  await expect(page.getByText('待派单')).toBeVisible();
  // Only what the workflow allows now is offered: no resolving an unassigned issue.
  await expect(page.getByTestId('actions').getByRole('button', { name: '办结', exact: true })).toHaveCount(0);

  await step(page, '派单', async (p) => {
    await p.getByLabel('承办人').fill('网格员李明');
    await p.getByLabel('办理期限').fill('2030-12-31');
  });
  await expect(page.getByText('办理中')).toBeVisible();
  await step(page, '现场查看', async (p) => {
    await p.getByLabel('会同人员').fill('物业');
    await p.getByLabel('查看情况').fill('灯具老化损坏');
  });
  await step(page, '办结', async (p) => {
    await p.getByLabel('处理措施').fill('更换了2盏路灯');
  });
  await expect(page.getByText('已解决')).toBeVisible();
  await page.getByTestId('actions').getByRole('button', { name: '关闭', exact: true }).click();
  await page.getByRole('dialog', { name: '关闭' }).getByRole('button', { name: '提交' }).click();
  await expect(page.getByText('已关闭')).toBeVisible();
  await screen(page, 'issue-closed');

  const timeline = page.getByTestId('timeline');
  for (const label of ['上报', '派单', '现场查看', '办结', '关闭']) {
    await expect(timeline).toContainText(label);
  }
  // Each step in the words recorded, its due date in the reader's language.
  await expect(timeline).toContainText('网格员李明办理期限：2030年12月31日');
  await expect(timeline).not.toContainText('due');
  // Each step names who took it as their account shows them, not by their login.
  const actors = await timeline.getByTestId('actor').allTextContents();
  expect(actors).toEqual(Array(5).fill('广厦社区工作人员'));
  // A closed issue may only be reopened.
  await expect(page.getByTestId('actions').getByRole('button', { name: '重新打开' })).toBeVisible();
  await expect(page.getByTestId('actions').getByRole('button', { name: '派单', exact: true })).toHaveCount(0);
});
