import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

import { expect, newPage, screen, signIn, test } from './support';

const civicBin = process.env.CIVIC_BIN ?? resolve(import.meta.dirname, '../../target/debug/civic');

test('the auditor verifies the chain, reads a stream’s history and state, and exports a log that verifies offline', async ({ browser, civic }, testInfo) => {
  const page = await newPage(browser);
  await signIn(page, civic, 'auditor');
  await expect(page).toHaveURL(/\/audit$/);
  await expect(page.getByText('尚未校验')).toBeVisible();

  await page.getByRole('button', { name: '立即校验' }).click();
  await expect(page.getByRole('status').filter({ hasText: '校验通过' })).toBeVisible();
  await expect(page.getByText('尚未校验')).toHaveCount(0);
  // The verification's connection closed on purpose: not a lost connection.
  await expect(page.getByText('连接已断开，正在重连…')).toHaveCount(0);
  await screen(page, 'audit-verified');

  // Who recorded each event: the auditor's own password change names her as her account
  // does, with the login to filter by; the account's opening, by the command line, its id.
  await page.getByLabel('数据流').fill('account-auditor');
  await page.getByRole('button', { name: '查询' }).click();
  const own = page.getByRole('row').filter({ hasText: 'PasswordSet' }).getByTestId('actor').filter({ hasText: '审计员' });
  await expect(own.first()).toHaveText('审计员auditor');
  const opened = page.getByRole('row').filter({ hasText: 'AccountOpened' }).getByTestId('actor');
  await expect(opened).toHaveCount(1);
  await expect(opened).not.toContainText('审计员');
  await screen(page, 'audit-actors');

  // A stream's events and its state as recorded.
  await page.getByLabel('数据流').fill('compound-longhe-huafu');
  await page.getByRole('button', { name: '查询' }).click();
  await page.getByRole('button', { name: 'compound-longhe-huafu' }).first().click();
  const drawer = page.getByRole('dialog');
  await expect(drawer.getByRole('cell', { name: 'PropertyReplaced' })).toBeVisible();
  // Time travel on the happened axis: the company changed on 4 August 2023.
  const company = drawer.getByTestId('travel-company');
  await expect(company).toContainText('龙和华府新选聘物业服务企业');
  await drawer.getByRole('textbox', { name: '日期' }).fill('2023-08-03');
  await drawer.getByRole('textbox', { name: '日期' }).press('Enter');
  await expect(company).toContainText('龙和华府原物业服务企业');
  await drawer.getByRole('slider', { name: '日期' }).press('ArrowRight');
  await expect(drawer.getByRole('textbox', { name: '日期' })).toHaveValue('2023-08-04');
  await expect(company).toContainText('龙和华府新选聘物业服务企业');
  await drawer.getByRole('slider', { name: '日期' }).press('ArrowLeft');
  await expect(company).toContainText('龙和华府原物业服务企业');
  await screen(page, 'audit-time-travel');
  // The recorded axis: before the demo was loaded there was nothing; after, the new company.
  await drawer.getByText('按记录时间').click();
  await expect(company).toContainText('龙和华府新选聘物业服务企业');
  await drawer.getByRole('slider', { name: '记录时刻' }).press('Home');
  await expect(drawer.getByRole('status').filter({ hasText: '该时刻这个数据流还没有任何事件' })).toBeVisible();
  await drawer.getByRole('slider', { name: '记录时刻' }).press('End');
  await expect(company).toContainText('龙和华府新选聘物业服务企业');
  await drawer.getByRole('button', { name: /close|关闭/i }).click();

  // Guangsha as it stood: the property companies on 3 and 4 August 2023.
  const asOf = page.getByRole('region', { name: '社区当时的样子' });
  const longhe = asOf.getByRole('row').filter({ hasText: '龙和华府' });
  await expect(asOf.getByTestId('community-as-of')).toBeVisible();
  await asOf.getByRole('textbox', { name: '日期' }).fill('2023-08-03');
  await asOf.getByRole('textbox', { name: '日期' }).press('Enter');
  await expect(longhe).toContainText('龙和华府原物业服务企业');
  await asOf.getByRole('slider', { name: '日期' }).press('ArrowRight');
  await expect(longhe).toContainText('龙和华府新选聘物业服务企业');
  await screen(page, 'audit-community-as-of');

  // Who held which role over Guangsha now, as recorded.
  const access = page.getByRole('region', { name: '某一时刻的权限' });
  await expect(access.getByRole('cell', { name: 'guangsha-staff', exact: true })).toBeVisible();
  // The log up to a day before anything was recorded is empty.
  await page.getByLabel('记录截至').fill('2020-01-01');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByRole('button', { name: 'compound-longhe-huafu' })).toHaveCount(0);
  await page.getByLabel('记录截至').fill('');

  // The whole log as JSONL, verified offline by the CLI.
  await page.getByLabel('数据流').fill('');
  await page.getByRole('button', { name: '查询' }).click();
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出 JSONL' }).click();
  const file = testInfo.outputPath('civic-log.jsonl');
  await (await downloading).saveAs(file);
  const verdict = execFileSync(civicBin, ['audit', 'verify', '--file', file], { encoding: 'utf8' });
  expect(verdict).toMatch(/intact|verified|ok/i);

  // The export's own filters: nothing was recorded by 2020; a bad moment is refused.
  const exported = (query: string) =>
    fetch(`${civic.url}/audit/export?${query}`, { headers: { authorization: `Bearer ${civic.token}` } });
  const before = await exported(`until=${encodeURIComponent('2020-01-01T00:00:00+08:00')}`);
  expect(before.status).toBe(200);
  expect(await before.text()).toBe('');
  expect((await exported('until=yesterday')).status).toBe(400);
  const csv = await (await exported('format=csv&stream=compound-longhe-huafu')).text();
  expect(csv.trim().split('\n')).toHaveLength(10); // a header and nine events
});
