import { expect, newPage, signIn, test } from './support';

test('the app and GraphiQL load nothing from outside the server (an intranet with no internet)', async ({ browser, civic }) => {
  const page = await newPage(browser);
  const outside: string[] = [];
  await page.context().route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== new URL(civic.url).origin) {
      outside.push(url.href);
      return route.abort();
    }
    return route.continue();
  });
  await signIn(page, civic, 'street-admin');
  await expect(page.getByTestId('community-guangsha')).toBeVisible();

  await page.goto(`${civic.url}/graphiql`);
  await expect(page.locator('.graphiql-container')).toBeVisible();
  await expect(page.locator('.graphiql-query-editor .CodeMirror, .graphiql-query-editor [role=textbox]').first()).toBeVisible();
  await expect(page.getByText('Loading...')).toHaveCount(0);
  expect(outside).toEqual([]);

  // A deep link is the app (history-API fallback); a missing bundle is a 404.
  const deep = await page.request.get(`${civic.url}/communities/guangsha`);
  expect(deep.status()).toBe(200);
  expect(await deep.text()).toContain('<div id="root">');
  expect((await page.request.get(`${civic.url}/assets/missing.js`)).status()).toBe(404);
});
