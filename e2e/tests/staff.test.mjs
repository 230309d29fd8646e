// Branch operations, end to end: an operator signs in to the staff console, checks in a citizen
// booked for a slot a little ahead (the number is shown big), opens a counter and calls the next
// citizen; the display board, open in another tab, shows that number at that counter through
// its event stream within a second or two; the citizen's My booking page shows their number, and
// once called, the counter. The branch head then finds the served visit in the Reports tab. A
// citizen whose slot has started cannot be checked in: the console says that the booking is lost
// and that they must book again.
//
// Slots within the booking cut-off cannot be booked through the API, so the test books free
// reception visits at the Mary office for later days and moves their slots with SQL: it needs
// the server's database as NOBAT_E2E_DATABASE_URL (scripts/test.sh passes it) and `psql`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { BASE, launch, openPage, screenshot, texts } from './support.mjs';

const DATABASE_URL = process.env.NOBAT_E2E_DATABASE_URL;
const BRANCH = 'mary';
const SERVICE = 'reception';
// The demo Mary office has three passport counters, then one for receptions.
const RECEPTION_COUNTER = '4';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Script errors, less the browser's own line for each 4xx answer (those are part of the test). */
const scriptErrors = (problems) => problems.filter((p) => !/Failed to load resource/.test(p));

async function api(path, init = {}) {
  const response = await fetch(`${BASE}/api/v1${path}`, init);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** The first `count` free reception starts at the Mary office. */
async function freeStarts(count) {
  const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
  const { status, body } = await api(
    `/branches/${BRANCH}/availability?service=${SERVICE}&from=${day(0)}&to=${day(30)}`,
  );
  assert.equal(status, 200, 'availability');
  const starts = body.days
    .filter((d) => d.status === 'open')
    .flatMap((d) => d.slots.filter((s) => s.remaining > 0).map((s) => s.start));
  assert.ok(starts.length >= count, `${count} free reception slots at Mary`);
  return starts.slice(0, count);
}

/** Books a free reception visit starting at `start`; its reference and manage token. */
async function book(start, passport) {
  const { status, body } = await api('/bookings', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
    body: JSON.stringify({
      branch: BRANCH,
      service: SERVICE,
      start,
      language: 'tk',
      applicant: {
        surname: 'Orazowa',
        given_name: 'Maýsa',
        patronymic: 'Nurmuhammedowna',
        date_of_birth: '1986-02-11',
        phone: '+993 65 765432',
        passport: { number: passport, issued_on: '2020-01-15', issued_by: 'Mary', expires_on: '2030-01-15' },
      },
    }),
  });
  assert.equal(status, 201, `booking: ${JSON.stringify(body)}`);
  assert.equal(body.status, 'confirmed', 'a free visit is confirmed at once');
  return { reference: body.reference, token: body.manage_token };
}

/** Today's date in Ashgabat (UTC+5), `minutes` from now: `YYYY-MM-DD`. */
const ashgabatDay = (minutes = 0) =>
  new Date(Date.now() + (minutes + 5 * 60) * 60000).toISOString().slice(0, 10);

/** Moves the slot of booking `reference` to start `minutes` from now (negative: in the past). */
function moveSlot(reference, minutes) {
  assert.ok(DATABASE_URL, 'NOBAT_E2E_DATABASE_URL names the database of the server under test');
  const sql = `UPDATE slots SET starts_at = now() + make_interval(mins => :minutes),
                 ends_at = now() + make_interval(mins => :minutes + 15)
               WHERE id = (SELECT slot_id FROM bookings WHERE reference = :'reference');`;
  const out = execFileSync('psql', [DATABASE_URL, '-X', '-q', '-v', 'ON_ERROR_STOP=1',
    '-v', `reference=${reference}`, '-v', `minutes=${minutes}`], { input: sql, encoding: 'utf8' });
  return out;
}

const passportNumber = (letter) => `${letter}${String(Date.now() % 10000000).padStart(7, '0')}`;

async function signIn(page, username, password) {
  await page.goto(`${BASE}/staff`);
  const form = page.locator('[data-testid="login"]');
  await form.waitFor();
  await page.locator('#staff-username').fill(username);
  await page.locator('#staff-password').fill(password);
  await form.locator('button[type="submit"]').click();
  await page.locator('[data-testid="staff-bar"]').waitFor();
}

test('an operator checks a citizen in and calls them; the board shows it live', async () => {
  const tk = texts('tk');
  const [start] = await freeStarts(1);
  const { reference, token } = await book(start, passportNumber('M'));
  moveSlot(reference, 20);

  // The board, in its own tab, is connected to the stream before anything happens.
  const board = await openPage(browser, { viewport: { width: 1280, height: 800 } });
  await board.page.goto(`${BASE}/board/${BRANCH}`);
  await board.page.locator('[data-testid="board"][data-live="true"]').waitFor({ timeout: 10000 });
  assert.equal(await board.page.locator('.site-header').count(), 0, 'no site header on the board');
  assert.equal(await board.page.locator('[data-testid="board"]').getAttribute('data-heard'), '0');

  const console_ = await openPage(browser, { viewport: { width: 1280, height: 800 } });
  const { page } = console_;
  // A wrong password is refused with the same words for either field.
  await page.goto(`${BASE}/staff`);
  await page.locator('#staff-username').fill('operator.mary');
  await page.locator('#staff-password').fill('not-the-password');
  await page.locator('[data-testid="login"] button[type="submit"]').click();
  await page.locator('[data-testid="login-wrong"]').waitFor();
  assert.equal((await page.locator('[data-testid="login-wrong"]').innerText()).trim(), tk['staff.wrong_login']);
  await signIn(page, 'operator.mary', 'demo-operator-2026');
  assert.equal(await page.locator('#staff-branch').getAttribute('data-code'), BRANCH, 'the operator works at Mary');

  // Check-in by the reference as people type it.
  await page.locator('#check-in-reference').fill(reference.toLowerCase().replaceAll('-', ' '));
  await page.locator('[data-testid="check-in"]').click();
  const issued = page.locator('[data-testid="issued-number"]');
  await issued.waitFor();
  const number = (await issued.innerText()).trim();
  assert.match(number, /^R-\d{3}$/, `a reception number: ${number}`);
  assert.equal(await page.locator('#check-in-reference').inputValue(), reference, 'normalised');
  await page.locator(`table.queue tr[data-number="${number}"][data-status="waiting"]`).waitFor();

  // The citizen, on their phone, sees their number on My booking (the manage link's token).
  const citizen = await openPage(browser);
  await citizen.page.goto(`${BASE}/my-booking/${reference}#token=${token}`);
  const place = citizen.page.locator('[data-testid="queue-place"]');
  await place.waitFor();
  assert.equal((await place.locator('[data-testid="queue-number"]').innerText()).trim(), number);
  assert.equal(await place.getAttribute('data-status'), 'waiting');
  assert.ok((await place.locator('[data-testid="queue-ahead"]').innerText()).trim().length > 0);
  await screenshot(citizen.page, 'staff-5-citizen-waiting-phone');

  // The counter is picked from the branch's list (label and services); it says who has it open.
  const counterSelect = page.locator('select#counter-number');
  await counterSelect.locator(`option[value="${RECEPTION_COUNTER}"]`).waitFor({ state: 'attached' });
  assert.ok((await counterSelect.locator('option').count()) >= 4, 'the Mary counters are listed');
  const receptionName = (await api(`/services`)).body.items?.find((s) => s.code === SERVICE)?.name?.tk;
  const receptionOption = counterSelect.locator(`option[value="${RECEPTION_COUNTER}"]`);
  if (receptionName) assert.ok((await receptionOption.innerText()).includes(receptionName), 'named by its service');
  await counterSelect.selectOption(RECEPTION_COUNTER);
  assert.equal(await page.evaluate(() => localStorage.getItem('nobat.staff.counter')), RECEPTION_COUNTER);
  await page.locator('[data-testid="counter-open"]').click();
  await page.locator('[data-testid="counter-state"]').waitFor();
  await counterSelect.locator(`option[value="${RECEPTION_COUNTER}"][data-open="true"]`).waitFor({ state: 'attached' });
  assert.ok((await receptionOption.innerText()).includes(tk['staff.counter_open_mine']), 'marked open by me');
  const calledAt = Date.now();
  await page.locator('[data-testid="call-next"]').click();
  await page.locator('[data-testid="called-number"]').waitFor();
  assert.equal((await page.locator('[data-testid="called-number"]').innerText()).trim(), number);
  const row = page.locator(`table.queue tr[data-number="${number}"][data-status="called"]`);
  await row.waitFor();
  assert.equal(await row.locator('button[data-action]').count(), 3, 'recall, served, no-show');
  await screenshot(page, 'staff-1-console-desktop');

  // The board hears the call on its stream (the snapshot reloads only every 30 s).
  const shown = board.page.locator(
    `[data-testid="now-serving"] li[data-number="${number}"][data-counter="${RECEPTION_COUNTER}"]`,
  );
  await shown.waitFor({ timeout: 3000 });
  const heardWithin = Date.now() - calledAt;
  assert.equal(await board.page.locator('[data-testid="board"]').getAttribute('data-heard'), '1');
  assert.ok(heardWithin < 3000, `on the board ${heardWithin} ms after the call`);
  // The citizen's page (reloaded here rather than waiting for its 15-second refresh) says where to go.
  await citizen.page.reload();
  const go = citizen.page.locator('[data-testid="queue-go"]');
  await go.waitFor();
  assert.equal((await go.innerText()).trim(), tk['my.queue_go'].replace('{n}', RECEPTION_COUNTER));
  await screenshot(citizen.page, 'staff-6-citizen-called-phone');
  assert.deepEqual(scriptErrors(citizen.problems), [], 'no script errors on My booking');
  await citizen.context.close();
  const said = await board.page.locator('[data-testid="announcement"]').innerText();
  assert.ok(said.includes(number) && said.includes(RECEPTION_COUNTER), `announced: ${said}`);
  assert.equal(await board.page.locator(`[data-testid="last-calls"] li[data-number="${number}"]`).count(), 1);
  await screenshot(board.page, 'staff-2-board');

  // A recall is heard again; marking served leaves the queue.
  await row.locator('button[data-action="recall"]').click();
  await board.page.locator('[data-testid="board"][data-heard="2"]').waitFor({ timeout: 3000 });
  await row.locator('button[data-action="served"]').click();
  await page.locator(`table.queue tr[data-number="${number}"]`).waitFor({ state: 'detached' });

  // The console on a phone.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('#check-in-reference').fill('');
  await screenshot(page, 'staff-3-console-phone');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling on a phone (${overflow}px)`);

  assert.deepEqual(scriptErrors(console_.problems), [], 'no script errors in the console');
  assert.deepEqual(scriptErrors(board.problems), [], 'no script errors on the board');
  await board.context.close();
  await console_.context.close();

  // The branch head's Reports tab counts the served visit and draws the days.
  const head = await openPage(browser, { viewport: { width: 1280, height: 800 } });
  await signIn(head.page, 'head.mary', 'demo-head-2026');
  await head.page.locator('[data-testid="tab-reports"]').click();
  const reports = head.page.locator('[data-testid="reports"]');
  await reports.waitFor();
  const today = ashgabatDay();
  assert.equal(await head.page.locator('#report-to').inputValue(), today, 'up to today');
  assert.equal(await head.page.locator('#report-from').inputValue(), ashgabatDay(-6 * 24 * 60), 'the last 7 days');
  // The slot was moved to 20 minutes from now: on a later day only just before midnight.
  const slotDay = ashgabatDay(20);
  if (slotDay !== today) await head.page.locator('#report-to').fill(slotDay);
  const served = reports.locator('[data-testid="figure-served"]');
  await served.waitFor();
  assert.ok(Number(await served.getAttribute('data-value')) >= 1, 'at least one served');
  assert.equal(await reports.locator('[data-testid="report-chart"] svg').count(), 1, 'the chart is drawn');
  assert.ok(await reports.locator(`[data-testid="report-chart"] g[data-date="${slotDay}"] rect.served`).count() === 1,
    'a served bar on the day of the visit');
  assert.ok(await reports.locator(`[data-testid="report-counters"] tr[data-counter="${RECEPTION_COUNTER}"]`).count() === 1);
  const csv = await reports.locator('[data-testid="report-csv"]').getAttribute('href');
  assert.match(csv, /\/reports\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}&format=csv$/);
  const download = await head.page.evaluate(async (href) => {
    const response = await fetch(href);
    return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
  }, csv);
  assert.equal(download.status, 200, 'the session cookie opens the CSV link');
  assert.match(download.text, /^date,booked,paid,checked_in,missed,no_show,served,cancelled\n/);
  await screenshot(head.page, 'staff-7-reports-desktop');
  await head.page.setViewportSize({ width: 390, height: 844 });
  await screenshot(head.page, 'staff-8-reports-phone');
  const reportOverflow = await head.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(reportOverflow <= 0, `no horizontal scrolling of the reports on a phone (${reportOverflow}px)`);
  assert.deepEqual(scriptErrors(head.problems), [], 'no script errors in the reports');
  await head.context.close();
});

test('a citizen whose slot has started must book again', async () => {
  const tk = texts('tk');
  const [, start] = await freeStarts(2);
  const { reference } = await book(start, passportNumber('L'));
  const { context, page, problems } = await openPage(browser);
  await signIn(page, 'operator.mary', 'demo-operator-2026');
  await page.locator('#check-in-reference').fill(reference);
  // The slot started a minute ago; the check-in follows at once, before the server's sweep
  // (every 30 s) marks the booking missed.
  moveSlot(reference, -1);
  await page.locator('[data-testid="check-in"]').click();
  const late = page.locator('[data-testid="late"]');
  await late.waitFor();
  const text = await late.innerText();
  assert.ok(text.includes(tk['staff.late_title']), text);
  assert.ok(text.includes(tk['staff.book_again']), text);
  assert.match(text, /[Tt]äzeden ýazylmaly/, 'the server says so too, in Turkmen');
  assert.equal(await late.locator('[data-testid="override"]').count(), 0, 'an operator cannot override');
  assert.equal(await page.locator('[data-testid="issued"]').count(), 0);
  await screenshot(page, 'staff-4-late-phone');
  assert.deepEqual(scriptErrors(problems), []);
  await context.close();
});
