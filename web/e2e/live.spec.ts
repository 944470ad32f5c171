import { api, expect, newPage, signIn, test } from './support';

test('the board and an issue page follow another client’s changes without a reload', async ({ browser, civic }) => {
  const page = await newPage(browser);
  await signIn(page, civic, 'guangsha-staff');
  await page.getByRole('link', { name: '事件看板' }).click();
  await expect(page.getByRole('link', { name: '龙和华府小区大门口视线盲区' })).toBeVisible();
  const open = page.locator('.ant-statistic').filter({ hasText: '未办结' });
  await expect(open).toContainText('0');
  // Mark the document: a reload would lose the mark.
  await page.evaluate(() => ((window as unknown as { unreloaded: boolean }).unreloaded = true));

  await api(
    civic,
    `mutation { reportIssue(input: { id: "live-bench", communityId: "guangsha", category: "设施维修",
      title: "广场长椅损坏", description: "长椅木板断裂", location: "社区广场", channel: HOTLINE,
      reporter: "热线", reportedAt: "2023-10-08T10:00:00+08:00" }) { position } }`,
  );
  await expect(page.getByRole('link', { name: '广场长椅损坏' })).toBeVisible();
  await expect(open).toContainText('1');

  await page.getByRole('link', { name: '广场长椅损坏' }).click();
  await expect(page.getByText('待派单')).toBeVisible();
  await api(civic, `mutation { assignIssue(input: { id: "live-bench", assignee: "网格员李明", dueBy: "2030-01-01" }) { position } }`);
  await expect(page.getByText('办理中')).toBeVisible();
  await expect(page.getByTestId('timeline')).toContainText('派单');
  expect(await page.evaluate(() => (window as unknown as { unreloaded?: boolean }).unreloaded)).toBe(true);
});
