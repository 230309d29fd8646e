// A passport application, end to end: a citizen on a phone fills in the wizard (errors show per
// field, by the domain's own parser; the printed name is suggested by ICAO transliteration), the
// draft is saved as they go and a reload continues it, uploads a 600×800 PNG made here, pays the
// fee on the sandbox card page and comes back to the status and the receipt. Tracking by number
// and date of birth says "submitted" (and a wrong date finds nothing). The admin finds it in the
// console's Applications tab, sees the photo, and moves it to under review, in production and
// ready; tracking then says "ready".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { BASE, launch, openPage, screenshot, texts } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const scriptErrors = (problems) => problems.filter((p) => !/Failed to load resource/.test(p));

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A `width`×`height` RGB PNG: a light background with a darker oval, like a face. */
function portraitPng(width, height) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  const rows = [];
  for (let y = 0; y < height; y += 1) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x += 1) {
      const dx = (x - width / 2) / (width * 0.3);
      const dy = (y - height * 0.45) / (height * 0.3);
      const face = dx * dx + dy * dy < 1;
      row[1 + x * 3] = face ? 200 : 235;
      row[2 + x * 3] = face ? 160 : 240;
      row[3 + x * 3] = face ? 130 : 245;
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function signIn(page, username, password) {
  await page.goto(`${BASE}/staff`);
  const form = page.locator('[data-testid="login"]');
  await form.waitFor();
  await page.locator('#staff-username').fill(username);
  await page.locator('#staff-password').fill(password);
  await form.locator('button[type="submit"]').click();
  await page.locator('[data-testid="staff-bar"]').waitFor();
}

const BORN = '1990-04-12';

async function next(page, step) {
  await page.locator('[data-testid="apply-next"]').click();
  await page.locator(`form#apply-form[data-step="${step}"]`).waitFor();
}

/** Tracks `number` on a fresh page: the result's status, or the failure's test id. */
async function track(number, born) {
  const { context, page } = await openPage(browser);
  await page.goto(`${BASE}/track`);
  await page.locator('#track-number').fill(number.toLowerCase());
  await page.locator('#track-born').fill(born);
  await page.locator('[data-testid="track-submit"]').click();
  const shown = page.locator('[data-testid="track-result"], [data-testid="track-not-found"], [data-testid="track-too-many"], [data-testid="api-error"]');
  await shown.first().waitFor();
  const result = page.locator('[data-testid="track-result"]');
  const status = (await result.count()) > 0 ? await result.getAttribute('data-status') : await shown.first().getAttribute('data-testid');
  return { context, page, status };
}

test('a citizen applies for a passport, pays, and staff move it to ready', async () => {
  const tk = texts('tk');
  const { context, page, problems } = await openPage(browser);
  // What the wizard sends: one create, then saves of the same draft, the token in a header only.
  const sent = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/v1/passport-applications')) {
      sent.push({ method: request.method(), path: url.pathname, search: url.search, headers: request.headers() });
    }
  });
  await page.goto(`${BASE}/apply`);
  await page.locator('form#apply-form[data-step="reason"]').waitFor();
  assert.equal(await page.locator('.site-nav a.active').innerText(), tk['nav.apply']);

  // Going on without a reason: the parser's message, on the reason.
  await page.locator('[data-testid="apply-next"]').click();
  await page.locator('.field-error[data-field="reason"]').waitFor();
  assert.equal(await page.locator('form#apply-form').getAttribute('data-step'), 'reason');
  await page.locator('#apply-reason-renewal_expiring').check();
  await next(page, 'person');
  // The draft exists now: its number is in the address and its token only in localStorage.
  await page.waitForURL((url) => /^\/apply\/P-/.test(url.pathname));
  const number = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
  assert.match(number, /^P-\d\d-[0-9A-Z]{4}-\d\d$/, `an application number: ${number}`);
  const tokens = JSON.parse(await page.evaluate(() => localStorage.getItem('nobat.applications')) || '{}');
  assert.ok(tokens[number], 'the token is kept on this device');
  assert.ok(!page.url().includes(tokens[number]), 'and never in the address');

  // Personal data: errors show once a field is left; the printed name follows ICAO 9303.
  const surname = page.locator('#apply-applicant-surname');
  await surname.focus();
  await page.locator('#apply-applicant-given-names').focus();
  await page.locator('#apply-applicant-surname-error').waitFor();
  assert.equal(await surname.getAttribute('aria-invalid'), 'true');
  await surname.fill('Öwezgeldiýewa');
  assert.equal(await page.locator('#apply-applicant-surname-error').count(), 0, 'fixed as typed');
  await page.locator('#apply-applicant-given-names').fill('Aýna');
  assert.equal(await page.locator('#apply-applicant-printed-surname').inputValue(), 'OEWEZGELDIYEWA');
  assert.equal(await page.locator('#apply-applicant-printed-given-names').inputValue(), 'AYNA');
  assert.match(await page.locator('[data-testid="mrz"]').innerText(), /^OEWEZGELDIYEWA<<AYNA<+$/);
  await page.locator('#apply-applicant-patronymic').fill('Merdanowna');
  await page.locator('#apply-applicant-date-of-birth').fill(BORN);
  await page.locator('#apply-applicant-place-of-birth').fill('Aşgabat');
  await page.locator('#apply-sex-F').check();
  await page.locator('#apply-applicant-national-id').fill('I-AŞ 123456');
  await screenshot(page, 'passport-1-person-phone');
  await next(page, 'address');

  // Address and contacts: a bad phone is refused by the same rule as the server's.
  await page.locator('#apply-address-velayat').selectOption('ashgabat');
  await page.locator('#apply-address-locality').fill('Aşgabat');
  await page.locator('#apply-address-street').fill('Magtymguly şaýoly 12, 5');
  await page.locator('#apply-phone').fill('12345');
  await page.locator('#apply-phone').blur();
  await page.locator('#apply-phone-error').waitFor();
  await page.locator('#apply-phone').fill('+993 65 123456');
  const offices = page.locator('#apply-collection-branch option:not([value=""])');
  assert.ok((await offices.count()) > 0, 'Ashgabat offices to collect from');
  const office = await offices.first().getAttribute('value');
  await page.locator('#apply-collection-branch').selectOption(office);
  await next(page, 'previous');

  // The passport being replaced.
  await page.locator('[data-testid="previous-passport"]').waitFor();
  await page.locator('#apply-previous-passport-number').fill('A1234567');
  await page.locator('#apply-previous-passport-issued-on').fill('2016-07-01');
  await next(page, 'photo');

  // A reload continues where something is missing: the photo.
  await page.reload();
  await page.locator('form#apply-form[data-step="photo"]').waitFor();
  assert.equal(await page.locator('[data-testid="apply-number"]').getAttribute('data-number'), number);
  // Going on without a photo is refused.
  await page.locator('[data-testid="apply-next"]').click();
  await page.locator('.field-error[data-field="photo"]').waitFor();
  // A file that is not an image is refused before it is sent.
  await page.locator('#photo-file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await page.locator('[data-testid="photo-refused"]').waitFor();
  await page.locator('#photo-file').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: portraitPng(600, 800) });
  await page.locator('[data-testid="photo-uploaded"]').waitFor();
  await page.locator('[data-testid="photo-preview"]').waitFor();
  assert.match(await page.locator('[data-testid="photo-meta"]').innerText(), /600×800/);
  await screenshot(page, 'passport-2-photo-phone');
  await next(page, 'documents');
  assert.ok((await page.locator('[data-testid="apply-checklist"] li').count()) >= 3, 'documents to bring');
  await next(page, 'review');

  const creates = sent.filter((r) => r.method === 'POST' && r.path === '/api/v1/passport-applications');
  assert.equal(creates.length, 1, 'the draft is created once');
  assert.ok(creates[0].headers['idempotency-key'], 'with an Idempotency-Key');
  const saves = sent.filter((r) => r.method === 'PUT' && r.path === `/api/v1/passport-applications/${number}`);
  assert.ok(saves.length >= 3, `then saved as the citizen goes (${saves.length} saves)`);
  const owned = sent.filter((r) => r.path.startsWith(`/api/v1/passport-applications/${number}`));
  assert.ok(owned.every((r) => r.headers['x-application-token'] === tokens[number]), 'the token goes in its header');
  assert.ok(sent.every((r) => !`${r.path}${r.search}`.includes(tokens[number])), 'and never in a URL');

  // The review: the data, the fee, nothing missing.
  const review = page.locator('[data-testid="review-facts"]');
  assert.match(await review.innerText(), /Öwezgeldiýewa Aýna Merdanowna/);
  assert.match(await page.locator('[data-testid="review-printed"]').innerText(), /OEWEZGELDIYEWA AYNA/);
  const fee = (await page.locator('[data-testid="apply-fee"] strong').innerText()).trim();
  assert.match(fee, /^60[.,]00 TMT$/, `the state fee: ${fee}`);
  assert.equal(await page.locator('[data-testid="apply-problems"]').count(), 0, 'nothing blocks submitting');
  await screenshot(page, 'passport-3-review-phone');
  await page.setViewportSize({ width: 1280, height: 800 });
  await screenshot(page, 'passport-3-review-desktop');
  await page.setViewportSize({ width: 390, height: 844 });

  // Submitting leaves for the bank's card page; paying comes back to the application.
  await page.locator('[data-testid="apply-submit"]').click();
  await page.locator('#pan').waitFor({ timeout: 15000 });
  await page.locator('#pan').fill('4111 1111 1111 1111');
  await page.locator('#expiry').fill('12/30');
  await page.locator('#cvc').fill('123');
  await page.locator('#holder').fill('AYNA OEWEZGELDIYEWA');
  await page.locator('button[type="submit"]:not(.secondary)').first().click();
  await page.locator('#code').waitFor();
  await page.locator('#code').fill('000000');
  await page.locator('button[type="submit"]:not(.secondary)').first().click();
  await page.waitForURL((url) => url.pathname === `/apply/${number}`, { timeout: 15000 });
  const status = page.locator('[data-testid="application-status"][data-status="submitted"]');
  await status.waitFor({ timeout: 20000 });
  assert.equal((await page.locator('[data-testid="application-number"]').innerText()).trim(), number);
  await page.locator('[data-testid="application-receipt"]').waitFor();
  assert.match(await page.locator('[data-testid="application-receipt"]').getAttribute('src'), /^blob:/, 'the receipt is fetched with the token');
  assert.ok((await page.locator('[data-testid="timeline"] li').count()) >= 2, 'draft, then submitted');
  await screenshot(page, 'passport-4-submitted-phone');
  assert.deepEqual(scriptErrors(problems), [], 'no script errors in the wizard');
  await context.close();

  // Tracking: the right date of birth finds it, a wrong one finds nothing.
  let tracked = await track(number, BORN);
  assert.equal(tracked.status, 'submitted');
  await screenshot(tracked.page, 'passport-5-track-phone');
  await tracked.context.close();
  tracked = await track(number, '1991-04-12');
  assert.equal(tracked.status, 'track-not-found');
  await tracked.context.close();

  // The admin finds it in the Applications tab and moves it on.
  const staff = await openPage(browser, { viewport: { width: 1280, height: 900 } });
  await signIn(staff.page, 'admin', 'demo-admin-2026');
  await staff.page.locator('[data-testid="tab-applications"]').click();
  await staff.page.locator('[data-testid="applications-filters"]').waitFor();
  await staff.page.locator('#apps-q').fill(number);
  await staff.page.locator('#apps-status').selectOption('submitted');
  await staff.page.locator('[data-testid="applications-search"]').click();
  // The list answers the filters (the query it was loaded for is on the table).
  const filtered = staff.page.locator(
    `[data-testid="applications-table"][data-query*="status=submitted"][data-query*="q=${number}"]`,
  );
  await filtered.waitFor();
  const row = filtered.locator(`tr[data-number="${number}"]`);
  await row.waitFor();
  assert.equal(await filtered.locator('tbody tr').count(), 1, 'found by its number');
  await row.locator('button').click();
  const detail = staff.page.locator(`[data-testid="application-detail"][data-number="${number}"]`);
  await detail.locator('[data-testid="application-photo"]').waitFor();
  assert.match(await detail.locator('[data-testid="application-photo"]').getAttribute('src'), /^blob:/);
  for (const next of ['under_review', 'in_production', 'ready']) {
    const button = detail.locator(`[data-testid="status-actions"] button[data-status="${next}"]`);
    await button.waitFor();
    await staff.page.locator('#status-note').fill(`e2e: ${next}`);
    await button.click();
    await detail.locator(`[data-testid="application-detail-status"][data-status="${next}"]`).waitFor();
  }
  assert.ok((await detail.locator('[data-testid="timeline"] li').count()) >= 5);
  await screenshot(staff.page, 'passport-6-console-desktop');
  await staff.page.setViewportSize({ width: 390, height: 844 });
  await screenshot(staff.page, 'passport-6-console-phone');
  assert.deepEqual(scriptErrors(staff.problems), [], 'no script errors in the console');
  await staff.context.close();

  tracked = await track(number, BORN);
  assert.equal(tracked.status, 'ready');
  await screenshot(tracked.page, 'passport-7-track-ready-phone');
  await tracked.context.close();
});
