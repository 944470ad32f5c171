import { api, expect, newPage, screen, signIn, test } from './support';

test('the street dashboard shows the read models’ figures in charts and follows new issues live', async ({ browser, civic }) => {
  const page = await newPage(browser);
  await signIn(page, civic, 'street-admin');
  await page.getByRole('link', { name: '数据看板' }).click();
  await expect(page.getByRole('heading', { name: '数据看板' })).toBeVisible();
  for (const chart of ['weekly', 'resolution', 'profiles', 'heating']) {
    await expect(page.getByTestId(`chart-${chart}`).locator('[role="img"]')).toBeVisible();
    await expect(page.getByTestId(`chart-${chart}`).locator('svg').first()).toBeVisible();
  }
  const figures = (await api(
    civic,
    `{ communities { id name households residents issueStats { open overdue resolved meanHoursToResolve }
        issueFigures { weeks { reported resolved } resolutionHistogram { count } }
        videos { views } stars { star } } }`,
  )) as {
    communities: {
      id: string;
      households: number;
      residents: number;
      issueStats: { open: number; overdue: number; resolved: number; meanHoursToResolve: number | null };
      issueFigures: { weeks: { reported: number; resolved: number }[]; resolutionHistogram: { count: number }[] };
      videos: { views: number }[];
      stars: { star: string }[];
    }[];
  };
  const guangsha = figures.communities.find((c) => c.id === 'guangsha');
  if (!guangsha) throw new Error('no Guangsha');
  // Guangsha has no open issue, no newsroom and no star in view: those charts say there is
  // nothing to show rather than draw empty axes or a ring of zeros.
  expect(guangsha.issueStats.open).toBe(0);
  expect(guangsha.videos).toHaveLength(0);
  expect(guangsha.stars).toHaveLength(0);
  for (const chart of ['categories', 'plays', 'stars']) {
    await expect(page.getByTestId(`chart-${chart}`)).toContainText('暂无数据');
    await expect(page.getByTestId(`chart-${chart}`).locator('[role="img"]')).toHaveCount(0);
  }
  // A heating project is named by its compound, as people know it.
  const heating = page.getByTestId('chart-heating');
  await heating.locator('summary').click();
  await expect(heating.getByRole('row').filter({ hasText: '常庄小区' })).toContainText('%');
  await expect(heating.locator('[role="img"]')).toContainText('常庄小区');

  const stat = (key: string) => page.getByTestId(`stat-${key}`);
  await expect(stat('open')).toContainText(String(guangsha.issueStats.open));
  await expect(stat('resolved')).toContainText(String(guangsha.issueStats.resolved));
  await expect(stat('mean')).toContainText((guangsha.issueStats.meanHoursToResolve ?? 0).toFixed(1));

  // The tables behind the charts hold the same numbers, and a keyboard reaches them.
  const profiles = page.getByTestId('chart-profiles');
  await profiles.locator('summary').focus();
  await page.keyboard.press('Enter');
  const row = profiles.getByRole('row').filter({ hasText: '广厦社区' });
  await expect(row).toContainText(String(guangsha.households));
  await expect(row).toContainText(String(guangsha.residents));
  const resolution = page.getByTestId('chart-resolution');
  await resolution.locator('summary').click();
  const counts = (await resolution.locator('tbody td').allTextContents()).map(Number);
  expect(counts).toEqual(guangsha.issueFigures.resolutionHistogram.map((b) => b.count));
  const weekly = page.getByTestId('chart-weekly');
  await weekly.locator('summary').click();
  const reported = guangsha.issueFigures.weeks.reduce((n, w) => n + w.reported, 0);
  const shown = await weekly.locator('tbody tr').evaluateAll((rows) =>
    rows.map((r) => Number(r.querySelectorAll('td')[0]?.textContent ?? 0)).reduce((a, b) => a + b, 0),
  );
  expect(shown).toBe(reported);
  await screen(page, 'dashboard');

  // Hemei's newsroom: the plays shown are its videos' plays.
  const hemei = figures.communities.find((c) => c.id === 'hemei');
  if (!hemei || hemei.videos.length === 0) throw new Error('the demo gives Hemei videos');
  await page.getByRole('radiogroup', { name: '社区' }).getByText('和美社区').click();
  const plays = page.getByTestId('chart-plays');
  await expect(plays.locator('tbody tr')).toHaveCount(hemei.videos.length);
  const views = (await plays.locator('tbody td:last-child').allTextContents()).map(Number).sort((a, b) => a - b);
  expect(views).toEqual(hemei.videos.map((v) => v.views).sort((a, b) => a - b));
  // Hemei aims for a star: the ring is drawn, and its table says the star is being sought.
  const star = hemei.stars[0]?.star;
  if (!star) throw new Error('the demo gives Hemei a star to aim for');
  const stars = page.getByTestId('chart-stars');
  await expect(stars.locator('[role="img"]')).toBeVisible();
  await stars.locator('summary').click();
  await expect(stars.getByRole('row').filter({ hasText: star })).toContainText('创建中');
  await page.getByRole('radiogroup', { name: '社区' }).getByText('广厦社区').click();

  // Another client reports an issue: the open count moves without a reload.
  await page.evaluate(() => ((window as unknown as { unreloaded: boolean }).unreloaded = true));
  const before = guangsha.issueStats.open;
  await api(
    civic,
    `mutation { reportIssue(input: { id: "dashboard-live", communityId: "guangsha", category: "市容环境",
      title: "垃圾桶满溢", description: "3号垃圾点满溢", location: "常庄小区", channel: PATROL,
      reporter: "网格员", reportedAt: "2023-10-09T08:00:00+08:00" }) { position } }`,
  );
  await expect(stat('open')).toContainText(String(before + 1));
  await expect(page.getByText(`广厦社区有新的事件，未办结 ${before + 1} 件`)).toBeVisible();
  // The first open issue draws the chart that had nothing to show.
  await expect(page.getByTestId('chart-categories').locator('[role="img"]')).toBeVisible();
  await expect(page.getByTestId('chart-categories')).not.toContainText('暂无数据');
  await page.getByTestId('chart-categories').locator('summary').click();
  await expect(page.getByTestId('chart-categories').getByRole('row').filter({ hasText: '市容环境' })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { unreloaded?: boolean }).unreloaded)).toBe(true);
});

test('a dashboard open while the server restarts says it is offline, reconnects and shows what changed meanwhile', async ({ browser, civic }) => {
  const page = await newPage(browser);
  await signIn(page, civic, 'street-admin');
  await page.getByRole('link', { name: '数据看板' }).click();
  const open = page.getByTestId('stat-open');
  await expect(open).toContainText('0');
  await page.evaluate(() => ((window as unknown as { unreloaded: boolean }).unreloaded = true));

  await civic.kill();
  await expect(page.getByRole('status').filter({ hasText: '连接已断开，正在重连…' })).toBeVisible();
  await civic.start();
  // Changed while the dashboard was away: reported before it reconnects.
  await api(
    civic,
    `mutation { reportIssue(input: { id: "while-away", communityId: "guangsha", category: "设施维修",
      title: "单元门禁损坏", description: "门禁无法刷卡", location: "常庄小区2号楼", channel: RESIDENT,
      reporter: "居民", reportedAt: "2023-10-10T08:00:00+08:00" }) { position } }`,
  );
  await expect(page.getByRole('status').filter({ hasText: '连接已断开' })).toHaveCount(0);
  await expect(open).toContainText('1');
  expect(await page.evaluate(() => (window as unknown as { unreloaded?: boolean }).unreloaded)).toBe(true);
});
