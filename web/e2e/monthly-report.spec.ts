import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

import { expect, newPage, screen, signIn, test } from './support';

async function pdfText(pdf: Buffer): Promise<string> {
  const document = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= document.numPages; n++) {
    const content = await (await document.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(''));
  }
  // Fonts map some ideographs to their Kangxi radical forms (⼴ for 广); NFKC folds them back.
  return pages.join('\n').normalize('NFKC');
}

test('a community’s monthly report prints to an A4 PDF that holds the month’s figures', async ({ browser, civic }) => {
  const page = await newPage(browser);
  await signIn(page, civic, 'guangsha-staff');
  await page.getByRole('link', { name: '社区月报' }).click();
  await page.goto(`${civic.url}/reports?community=guangsha&month=2023-07`);
  const figures = page.getByTestId('report-figures');
  await expect(page.getByRole('heading', { name: '广厦社区 2023年7月社区月报' })).toBeVisible();
  // July 2023: the Longhe Huafu gate issue was reported and resolved, and the property
  // deliberation met three times.
  await expect(figures.getByRole('row').filter({ hasText: '本月上报事件' })).toContainText('1 件');
  await expect(page.getByRole('cell', { name: '龙和华府小区大门口视线盲区' })).toBeVisible();
  await expect(page.getByRole('cell', { name: '召开会议' }).first()).toBeVisible();
  await screen(page, 'monthly-report');

  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  const text = (await pdfText(pdf)).replace(/\s+/g, '');
  expect(text).toContain('广厦社区2023年7月社区月报');
  expect(text).toContain('本月上报事件1件');
  // (Radical-supplement forms such as ⻰ for 龙 do not fold back; the rest of the title does.)
  expect(text).toContain('视线盲区');
  expect(text).not.toContain('退出登录');

  // Another month has its own figures.
  await page.emulateMedia({ media: 'screen' });
  await page.goto(`${civic.url}/reports?community=guangsha&month=2023-08`);
  await expect(page.getByTestId('report-figures').getByRole('row').filter({ hasText: '本月上报事件' })).toContainText('0 件');
  await expect(page.getByRole('cell', { name: '更换物业' })).toBeVisible();

  // October: the heating milestone is listed under its compound's name, not its id.
  await page.goto(`${civic.url}/reports?community=guangsha&month=2023-10`);
  const heating = page.getByRole('region', { name: '供暖改造' });
  await expect(heating.getByRole('row').filter({ hasText: '楼栋主管道打眼' })).toContainText('常庄小区');
  await expect(heating).not.toContainText('changzhuang');
});

test('the monthly report reads on a phone: its tables scroll inside themselves, words whole', async ({ browser, civic }) => {
  const page = await newPage(browser, true);
  await signIn(page, civic, 'guangsha-staff');
  await page.goto(`${civic.url}/reports?community=guangsha&month=2023-07`);
  const title = page.getByRole('cell', { name: '龙和华府小区大门口视线盲区' });
  await expect(title).toBeVisible();
  const lines = await title.evaluate((cell) => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
  });
  expect(lines, 'the title on one line').toBe(1);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, 'the page itself does not scroll sideways at 375 px').toBeLessThanOrEqual(375);
  await screen(page, 'phone-monthly-report');
});
