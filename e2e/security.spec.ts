import { expect, test } from './fixtures';

test.describe('browser shape security', () => {
  test.beforeEach(() => {
    test.skip(test.info().project.name !== 'web', 'Only the browser shape has an HTTP server.');
  });

  test('a request without the token is refused, with the token it is served', async ({ served, request }) => {
    const refused = await request.get(`${served.origin}/`, { failOnStatusCode: false });
    expect(refused.status()).toBe(401);
    expect(await refused.text()).toContain('token');
    const wrong = await request.get(`${served.origin}/?token=nope`, { failOnStatusCode: false });
    expect(wrong.status()).toBe(401);
    const ok = await request.get(served.url);
    expect(ok.status()).toBe(200);
  });

  test('the page cannot open the RPC socket without the token cookie', async ({ served, browser }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.route('**/*', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<html></html>' }));
    await page.goto(`${served.origin}/blank`);
    const result = await page.evaluate((origin) => new Promise<string>((resolve) => {
      const ws = new WebSocket(`${origin.replace('http', 'ws')}/rpc`);
      ws.onopen = () => resolve('open');
      ws.onerror = () => resolve('refused');
    }), served.origin);
    expect(result).toBe('refused');
    await context.close();
  });
});
