// Booking, steps 1-3: region, office, service, a day in the calendar, a time, and the summary
// with the rule about arriving early; the choices live in the address bar, so Back works. Also:
// closed days say why (weekends, the New Year holiday by its Turkmen name).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, openPage, screenshot, texts } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const calendar = (page) => page.locator('[data-testid="calendar"]');

/** Waits until the calendar shows `month` (YYYY-MM) with its days loaded. */
async function monthLoaded(page, month) {
  await page.locator(`[data-testid="calendar"][data-month="${month}"]`).waitFor();
  await page.locator(`[data-testid="calendar"] [aria-busy="false"]`).waitFor();
}

/** Clicks "next month" until the calendar shows `month` (YYYY-MM); at most `max` clicks. */
async function goToMonth(page, month, max = 6) {
  for (let i = 0; i < max; i += 1) {
    const shown = await calendar(page).getAttribute('data-month');
    if (shown === month) break;
    await page.locator('[data-testid="month-next"]').click();
    await page.locator(`[data-testid="calendar"]:not([data-month="${shown}"])`).waitFor();
  }
  await monthLoaded(page, month);
}

test('a citizen chooses an office, a service, a day and a time and sees the summary', async () => {
  const tk = texts('tk');
  const { context, page, problems } = await openPage(browser);
  await page.goto(`${BASE}/book`);
  await page.getByRole('heading', { level: 1, name: tk['book.title'] }).waitFor();
  assert.equal(await page.locator('[data-region]').count(), 7, 'the seven regions');
  await screenshot(page, 'book-1-regions');

  await page.locator('[data-region="dashoguz"] a').click();
  const office = page.locator('article[data-code="dashoguz"]');
  await office.waitFor();
  assert.equal(new URL(page.url()).searchParams.get('region'), 'dashoguz');
  await page.waitForFunction(() => document.activeElement?.id === 'branch-title');
  assert.match(await office.locator('h3').innerText(), /Daşoguz/);

  // The search finds the office without Turkmen letters, and hides it for other words.
  const search = page.getByLabel(tk['book.search']);
  await search.fill('dasoguz');
  await office.waitFor();
  await search.fill('no such office anywhere');
  await page.locator('article[data-code]').first().waitFor({ state: 'detached' });
  await search.fill('');
  await office.waitFor();
  await screenshot(page, 'book-2-branches');

  await office.locator('a.choose').click();
  const service = page.locator('article[data-service="passport-international"]');
  await service.waitFor();
  assert.equal(new URL(page.url()).searchParams.get('branch'), 'dashoguz');
  const card = await service.innerText();
  assert.match(card, /\d+,\d\d TMT|Mugt/, 'the fee, or free');
  assert.ok(await service.locator('.documents li').count() > 0, 'documents to bring');
  await screenshot(page, 'book-3-services');

  await service.locator('a.choose').click();
  await calendar(page).waitFor();
  assert.equal(new URL(page.url()).searchParams.get('service'), 'passport-international');
  await page.locator('[data-testid="calendar"] [aria-busy="false"]').waitFor();
  assert.equal(await calendar(page).locator('thead th').count(), 7);
  assert.equal(await calendar(page).locator('thead th').first().innerText(), tk['weekday_short.1']);

  // Find the first month with an open day (the window reaches into the next month).
  let open = calendar(page).locator('button.day[data-status="open"]');
  for (let i = 0; i < 3 && (await open.count()) === 0; i += 1) {
    const shown = await calendar(page).getAttribute('data-month');
    await page.locator('[data-testid="month-next"]').click();
    await page.locator(`[data-testid="calendar"]:not([data-month="${shown}"])`).waitFor();
    await page.locator('[data-testid="calendar"] [aria-busy="false"]').waitFor();
    open = calendar(page).locator('button.day[data-status="open"]');
  }
  assert.ok((await open.count()) > 0, 'some day is open');
  const day = open.first();
  const date = await day.getAttribute('data-date');
  const label = await day.getAttribute('aria-label');
  const [y, m, d] = date.split('-');
  assert.ok(label.includes(`${d}.${m}.${y}`), `the label has the full date: ${label}`);
  assert.ok(label.includes(tk['day.open']), `the label has the status: ${label}`);
  await screenshot(page, 'book-4-calendar');

  await day.click();
  await page.locator(`[data-testid="times"][data-date="${date}"]`).waitFor();
  assert.equal(await day.getAttribute('aria-pressed'), 'true');
  assert.equal(new URL(page.url()).searchParams.get('date'), date);
  const time = page.locator('[data-testid="times"] button.time:not([disabled])').first();
  await time.waitFor();
  const hhmm = await time.getAttribute('data-time');
  assert.match(hhmm, /^\d\d:\d\d$/);
  await screenshot(page, 'book-5-times');

  await time.click();
  const summary = page.locator('[data-testid="summary"]');
  await summary.waitFor();
  assert.equal(await time.getAttribute('aria-pressed'), 'true');
  assert.equal(await summary.locator('[data-testid="summary-date"]').innerText().then((s) => s.slice(0, 10)), `${d}.${m}.${y}`);
  assert.match(await summary.locator('[data-testid="summary-time"]').innerText(), new RegExp(`^${hhmm}`));
  const arrive = await summary.locator('[data-testid="arrive"]').innerText();
  assert.match(arrive, /10 minut/, 'arrive 10 minutes early');
  assert.equal(arrive.trim(), tk['book.arrive'].replace('{n}', '10'));
  assert.equal(await summary.locator('button[type="submit"], form').count(), 0, 'nothing pretends to book');
  await screenshot(page, 'book-6-summary');

  // Back returns to the times of the same day, without the summary.
  await page.goBack();
  await summary.waitFor({ state: 'detached' });
  await page.locator(`[data-testid="times"][data-date="${date}"]`).waitFor();
  assert.equal(new URL(page.url()).searchParams.get('time'), null);

  // The page fits a phone: nothing scrolls sideways.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling (${overflow}px)`);
  assert.deepEqual(problems, [], 'no script errors');
  await context.close();
});

test('closed days say why: weekends and the New Year holiday', async () => {
  const tk = texts('tk');
  const { context, page, problems } = await openPage(browser);
  await page.goto(`${BASE}/book?region=dashoguz&branch=dashoguz&service=passport-international`);
  await calendar(page).waitFor();
  await page.locator('[data-testid="calendar"] [aria-busy="false"]').waitFor();

  await goToMonth(page, '2026-12');
  assert.equal(await page.locator('#month-title').innerText(), `${tk['month.12']} 2026`);
  for (const weekend of ['2026-12-05', '2026-12-06', '2026-12-13']) {
    const cell = calendar(page).locator(`[data-date="${weekend}"]`);
    assert.equal(await cell.getAttribute('data-status'), 'closed', `${weekend} is closed`);
    assert.ok((await cell.getAttribute('aria-label')).includes(tk['day.closed']));
  }

  await goToMonth(page, '2027-01');
  assert.equal(await page.locator('#month-title').innerText(), `${tk['month.1']} 2027`);
  const newYear = calendar(page).locator('[data-date="2027-01-01"]');
  assert.equal(await newYear.getAttribute('data-status'), 'closed');
  assert.match(await newYear.getAttribute('aria-label'), /Täze ýyl/);
  assert.match(await newYear.getAttribute('title'), /Täze ýyl/);
  await screenshot(page, 'book-7-january');

  // Arrow keys move between days like on paper.
  await calendar(page).locator('[data-date="2027-01-04"]').focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.date), '2027-01-05');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.date), '2027-01-12');

  // Choosing it says why it cannot be booked; a later working day says when booking opens.
  await newYear.click();
  const detail = page.locator('[data-testid="times"][data-date="2027-01-01"]');
  await detail.waitFor();
  assert.match(await detail.innerText(), /Täze ýyl/);
  assert.equal(await detail.locator('button.time').count(), 0);
  const later = calendar(page).locator('button.day[data-status="not_yet_open"]').first();
  if (await later.count()) {
    await later.click();
    const when = page.locator('[data-testid="times"]');
    await when.locator('.notice').waitFor();
    assert.match(await when.innerText(), /\d\d\.\d\d\.\d{4}/, 'the date booking opens');
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('the booking flow speaks Russian too', async () => {
  const ru = texts('ru');
  const { context, page, problems } = await openPage(browser);
  await page.goto(`${BASE}/book`);
  await page.locator('button[data-language="ru"]').click();
  await page.getByRole('heading', { level: 1, name: ru['book.title'] }).waitFor();
  assert.match(await page.locator('[data-region="dashoguz"]').innerText(), /Дашогуз/);
  await page.locator('[data-region="dashoguz"] a').click();
  await page.locator('article[data-code="dashoguz"] a.choose').click();
  const service = page.locator('article[data-service="passport-international"]');
  await service.waitFor();
  assert.match(await service.innerText(), new RegExp(ru['book.documents']));
  await screenshot(page, 'book-services-ru');
  assert.deepEqual(problems, []);
  await context.close();
});
