// The Settings tab of the staff console, end to end: the head of the Mary office closes the
// branch for half an hour tomorrow night. The first check finds no booking there; a booking this
// test made then moves into the span, so confirming with the old count is refused (409) and the
// console counts again: 1. The head confirms, and the booking is cancelled as its citizen sees
// it. A weak password for a new account is refused next to its field.
//
// Bookings can only be made for open slots, so the test books a free reception visit and moves
// its slot with SQL to 03:07 tomorrow (Ashgabat), where nothing else is: it needs the server's
// database as NOBAT_E2E_DATABASE_URL (scripts/test.sh passes it) and `psql`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { BASE, launch, openPage, screenshot, texts } from './support.mjs';

const DATABASE_URL = process.env.NOBAT_E2E_DATABASE_URL;
const BRANCH = 'mary';
const SERVICE = 'reception';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const scriptErrors = (problems) => problems.filter((p) => !/Failed to load resource/.test(p));

async function api(path, init = {}) {
  const response = await fetch(`${BASE}/api/v1${path}`, init);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Books the last free reception start at Mary in the next 30 days (the least likely shared). */
async function bookFreeReception() {
  const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
  const free = await api(`/branches/${BRANCH}/availability?service=${SERVICE}&from=${day(0)}&to=${day(30)}`);
  assert.equal(free.status, 200, 'availability');
  const starts = free.body.days
    .filter((d) => d.status === 'open')
    .flatMap((d) => d.slots.filter((s) => s.remaining > 0).map((s) => s.start));
  assert.ok(starts.length > 0, 'a free reception slot at Mary');
  const { status, body } = await api('/bookings', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
    body: JSON.stringify({
      branch: BRANCH,
      service: SERVICE,
      start: starts[starts.length - 1],
      language: 'tk',
      applicant: {
        surname: 'Baýramowa',
        given_name: 'Ogulgerek',
        patronymic: 'Annaýewna',
        date_of_birth: '1979-07-30',
        phone: '+993 65 112233',
        passport: {
          number: `S${String(Date.now() % 10000000).padStart(7, '0')}`,
          issued_on: '2021-03-01', issued_by: 'Mary', expires_on: '2031-03-01',
        },
      },
    }),
  });
  assert.equal(status, 201, `booking: ${JSON.stringify(body)}`);
  return { reference: body.reference, token: body.manage_token };
}

/** Moves the slot of booking `reference` to start at `at` (RFC 3339). */
function moveSlotTo(reference, at) {
  assert.ok(DATABASE_URL, 'NOBAT_E2E_DATABASE_URL names the database of the server under test');
  const sql = `UPDATE slots SET starts_at = :'at'::timestamptz,
                 ends_at = :'at'::timestamptz + interval '15 minutes'
               WHERE id = (SELECT slot_id FROM bookings WHERE reference = :'reference');`;
  execFileSync('psql', [DATABASE_URL, '-X', '-q', '-v', 'ON_ERROR_STOP=1',
    '-v', `reference=${reference}`, '-v', `at=${at}`], { input: sql, encoding: 'utf8' });
}

test('a branch head closes the branch for a span and the booking in it is cancelled', async () => {
  const en = texts('en');
  // Tomorrow in Ashgabat (UTC+5).
  const tomorrow = new Date(Date.now() + (24 * 60 + 5 * 60) * 60000).toISOString().slice(0, 10);
  const booking = await bookFreeReception();

  const { context, page, problems } = await openPage(browser, { viewport: { width: 1280, height: 800 } });
  try {
    await page.goto(`${BASE}/staff`);
    await page.locator('[data-testid="login"]').waitFor();
    await page.evaluate(() => localStorage.setItem('nobat.language', JSON.stringify('en')));
    await page.reload();
    await page.locator('#staff-username').fill('head.mary');
    await page.locator('#staff-password').fill('demo-head-2026');
    await page.locator('[data-testid="login"] button[type="submit"]').click();
    await page.locator('[data-testid="tab-settings"]').click();
    const panel = page.locator('[data-testid="closure-panel"]');
    await panel.waitFor();
    await page.locator('[data-testid="accounts-table"]').waitFor();
    await page.locator('[data-testid="counters-table"]').waitFor();

    await page.locator('#closure-from').fill(`${tomorrow}T03:00`);
    await page.locator('#closure-to').fill(`${tomorrow}T03:30`);
    await page.locator('#reason-tk').fill('Elektrik işleri');
    await page.locator('#reason-ru').fill('Электромонтажные работы');
    await page.locator('#reason-en').fill('Electrical works');
    await page.locator('[data-testid="closure-check"]').click();
    await page.locator('[data-testid="closure-preview"][data-count="0"]').waitFor();

    // The booking moves into the span after the check: the count confirmed is stale.
    moveSlotTo(booking.reference, `${tomorrow}T03:07:00+05:00`);
    await page.locator('[data-testid="closure-confirm"]').click();
    await panel.locator('[data-testid="closure-recount"]').waitFor();
    const preview = page.locator('[data-testid="closure-preview"][data-count="1"]');
    await preview.waitFor();
    assert.match(await preview.innerText(), /This cancels 1 booking/);
    await screenshot(page, 'staff-settings');

    await page.locator('[data-testid="closure-confirm"]').click();
    const done = page.locator('[data-testid="closure-done"]');
    await done.waitFor();
    assert.match(await done.innerText(), /1 booking\(s\) cancelled/);
    assert.ok(en['settings.closure_done'], 'the English text exists');

    // A weak first password is refused next to its field.
    await page.locator('#account-username').fill('operator.mary9');
    await page.locator('#account-display_name').fill('Jeren Operatorowa');
    await page.locator('#account-password').fill('short');
    await page.locator('[data-testid="accounts-panel"] button[type="submit"]').click();
    await page.locator('[data-testid="accounts-panel"] [data-field="password"]').waitFor();

    const seen = await api(`/bookings/${booking.reference}`, {
      headers: { 'X-Booking-Token': booking.token },
    });
    assert.equal(seen.status, 200, JSON.stringify(seen.body));
    assert.equal(seen.body.status, 'cancelled', 'the closure cancelled the booking');
    assert.deepEqual(scriptErrors(problems), []);
  } finally {
    await context.close();
  }
});
