// The SPA shell: home page in three languages with the live API status, the remembered
// language, the not-found page, keyboard access, and Swagger UI listing the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, openPage, screenshot, texts } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('home page renders in Turkmen by default and shows the API as up', async () => {
  const tk = texts('tk');
  const { context, page, problems } = await openPage(browser);
  await page.goto(`${BASE}/`);
  await page.getByRole('heading', { level: 1, name: tk['home.title'] }).waitFor();
  const status = page.locator('main [data-testid="health"]');
  await status.and(page.locator('[data-state="up"]')).waitFor();
  assert.match(await status.innerText(), new RegExp(tk['status.up']));
  assert.equal(await page.getAttribute('html', 'lang'), 'tk');
  assert.equal(await page.locator('.steps li').count(), 5);
  assert.match(await page.locator('.notice').innerText(), /10/);
  await screenshot(page, 'home-tk');
  assert.deepEqual(problems, [], 'no script errors or CSP violations');
  await context.close();
});

for (const language of ['ru', 'en']) {
  test(`switching to ${language} translates the page and is remembered`, async () => {
    const t = texts(language);
    const { context, page, problems } = await openPage(browser);
    await page.goto(`${BASE}/`);
    await page.locator(`button[data-language="${language}"]`).click();
    await page.getByRole('heading', { level: 1, name: t['home.title'] }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), language);
    assert.equal(
      await page.locator(`button[data-language="${language}"]`).getAttribute('aria-pressed'),
      'true',
    );
    await page.locator('main [data-testid="health"][data-state="up"]').waitFor();
    await screenshot(page, `home-${language}`);

    await page.reload();
    await page.getByRole('heading', { level: 1, name: t['home.title'] }).waitFor();
    await page.locator('nav.site-nav').getByRole('link', { name: t['nav.media'], exact: true }).click();
    await page.getByRole('heading', { level: 1, name: t['nav.media'] }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/media');
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('an unknown address shows the not-found page', async () => {
  const tk = texts('tk');
  const { context, page, problems } = await openPage(browser);
  const response = await page.goto(`${BASE}/no/such/page`);
  assert.equal(response.status(), 200, 'the SPA answers and routes on the client');
  const heading = page.locator('[data-testid="not-found"]');
  await heading.waitFor();
  assert.equal(await heading.innerText(), tk['notfound.title']);
  await screenshot(page, 'not-found');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the skip link is the first keyboard stop and leads to the content', async () => {
  const tk = texts('tk');
  const { context, page } = await openPage(browser);
  await page.goto(`${BASE}/`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
  assert.equal(focused, tk['skip']);
  await page.keyboard.press('Enter');
  assert.equal(new URL(page.url()).hash, '#main');
  await context.close();
});

test('Swagger UI renders and lists the health endpoint', async () => {
  const { context, page, problems } = await openPage(browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(`${BASE}/swagger-ui/`);
  await page.locator('.opblock-summary-path', { hasText: '/api/v1/health' }).first().waitFor();
  assert.match(await page.locator('.title').first().innerText(), /Nobat API/);
  await screenshot(page, 'swagger-ui');
  assert.deepEqual(problems.filter((p) => /Content Security Policy|Refused/.test(p)), []);
  await context.close();
});
