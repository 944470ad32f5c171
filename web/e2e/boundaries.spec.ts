import { api, expect, newPage, screen, signIn, test } from './support';

test('community staff cannot reach another community’s issue by URL', async ({ browser, civic }) => {
  await api(
    civic,
    `mutation { reportIssue(input: { id: "hemei-drain", communityId: "hemei", category: "市容环境",
      title: "和美社区排水沟堵塞", description: "雨后积水", location: "和美路口", channel: RESIDENT,
      reporter: "居民", reportedAt: "2023-09-01T08:00:00+08:00" }) { position } }`,
  );
  const page = await newPage(browser);
  await signIn(page, civic, 'guangsha-staff');
  await page.goto(`${civic.url}/issues/hemei-drain`);
  await expect(page.getByText('找不到该内容，或它不在您负责的范围内。')).toBeVisible();
  await expect(page.getByText('和美社区排水沟堵塞')).toHaveCount(0);
  await screen(page, 'not-found');
  await page.goto(`${civic.url}/communities/hemei`);
  await expect(page.getByText('找不到该内容，或它不在您负责的范围内。')).toBeVisible();
  await page.goto(`${civic.url}/issues?community=hemei`);
  await expect(page.getByText('和美社区排水沟堵塞')).toHaveCount(0);
});

test('a suspended grid worker’s next action is refused in plain words', async ({ browser, civic }) => {
  const worker = await newPage(browser, true);
  await signIn(worker, civic, 'guangsha-grid');
  await expect(worker).toHaveURL(/\/my-issues$/);

  const admin = await newPage(browser);
  await signIn(admin, civic, 'street-admin');
  await admin.getByRole('link', { name: '账号管理' }).click();
  await admin.getByRole('button', { name: '停用 guangsha-grid' }).click();
  const dialog = admin.getByRole('dialog', { name: '停用' });
  await dialog.getByLabel('停用原因').fill('调岗');
  await dialog.getByRole('button', { name: '停用' }).click();
  await expect(admin.getByRole('row').filter({ hasText: 'guangsha-grid' })).toContainText('已停用');
  await expect(admin.getByRole('button', { name: '恢复 guangsha-grid' })).toBeVisible();
  await screen(admin, 'accounts-suspended');

  // The worker's screen was open; their next action is refused and they are told why.
  await worker.getByRole('button', { name: '上报事件' }).click();
  await expect(worker.getByText('您的账号已被停用，无法继续操作。如有疑问请联系街道管理员。')).toBeVisible();
  await expect(worker.getByRole('button', { name: '登录' })).toBeVisible();
  await screen(worker, 'phone-suspended');
});
