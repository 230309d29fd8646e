// The Multimedia section, end to end: an editor signs in to the staff console (an editor sees
// only the Multimedia tab), writes an instruction in Turkmen, Russian and English (the Markdown
// preview renders as they type) and publishes it; makes a photo album with a Turkmen and a
// Russian title only, uploads two PNGs drawn here (1600×1000, so the server makes 320 and 1280
// wide copies), sees a text file posing as a PNG refused with the server's reason, watches a
// third upload's progress bar on a throttled line and removes that file, and publishes the
// album. A citizen then finds both in /media, filters by kind, reads the
// instruction in English and in Russian, sees the album marked "not yet translated" in English,
// and pages through the album's lightbox with the keyboard and a swipe; focus stays in the
// lightbox and returns to the thumbnail that opened it. Screenshots of a phone and a desktop go to
// /work/notes/shots (or NOBAT_E2E_SHOTS).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { BASE, launch, openPage, screenshot, texts } from './support.mjs';

const SHOTS = process.env.NOBAT_E2E_SHOTS || '/work/notes/shots';
const run = Date.now().toString(36);
const INSTRUCTION = `print-ticket-${run}`;
const ALBUM = `new-hall-${run}`;
const tk = texts('tk');
const en = texts('en');

const instruction = {
  title: { tk: `Talony çap etmek ${run}`, ru: `Как распечатать талон ${run}`, en: `Printing your ticket ${run}` },
  summary: { tk: 'Üç ädimde.', ru: 'В три шага.', en: 'In three steps.' },
  body: {
    tk: '## Ädimler\n\n1. **Nobatym** sahypasyny açyň.\n2. *Çap et* düwmesine basyň.\n3. Talony ýanyňyz bilen alyň.',
    ru: '## Шаги\n\n1. Откройте страницу **Моя запись**.\n2. Нажмите *Распечатать*.\n3. Возьмите талон с собой.',
    en: '## Steps\n\n1. Open **My booking**.\n2. Press *Print*.\n3. Bring the ticket with you.',
  },
};
const album = {
  title: { tk: `Täze kabul zaly ${run}`, ru: `Новый зал приёма ${run}` },
  summary: { tk: 'Daşoguz bölüminiň täze zaly.', ru: 'Новый зал отдела в Дашогузе.' },
};

let browser;
let dir;
before(async () => {
  browser = await launch();
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(path.join(tmpdir(), 'nobat-media-'));
});
after(async () => { await browser?.close(); });

/** Script errors, less the browser's own line for each 4xx answer (those are part of the test). */
const scriptErrors = (problems) => problems.filter((p) => !/Failed to load resource/.test(p));

async function shot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  await screenshot(page, name);
}

// --- A PNG drawn here: a sky gradient over green ground, with a sun. ----------------------------
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
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
function png(width, height, sun) {
  const row = width * 3 + 1;
  const raw = Buffer.alloc(row * height);
  for (let y = 0; y < height; y += 1) {
    raw[y * row] = 0;
    for (let x = 0; x < width; x += 1) {
      const at = y * row + 1 + x * 3;
      const ground = y > height * 0.7;
      const inSun = (x - sun.x) ** 2 + (y - sun.y) ** 2 < 110 ** 2;
      const [r, g, b] = inSun ? [255, 205, 60]
        : ground ? [40, 130 + ((x >> 5) & 1) * 20, 70]
          : [60 + (y * 120) / height, 140 + (y * 80) / height, 220];
      raw[at] = r; raw[at + 1] = g; raw[at + 2] = b;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; header[9] = 2; header[10] = 0; header[11] = 0; header[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A PNG of random pixels: it does not compress, so it is big enough to watch upload. */
function noisePng(width, height) {
  const row = width * 3 + 1;
  const raw = Buffer.alloc(row * height);
  for (let i = 0; i < raw.length; i += 1) raw[i] = i % row === 0 ? 0 : (Math.random() * 256) | 0;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; header[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 0 })),
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

/** Fills the open editor's texts: `texts.title.tk`, … (languages left out stay empty). */
async function fillTexts(page, fields) {
  for (const [field, byLanguage] of Object.entries(fields)) {
    for (const [language, value] of Object.entries(byLanguage)) {
      await page.locator(`#media-${field}-${language}`).fill(value);
    }
  }
}

async function publish(page) {
  const bar = page.locator('[data-testid="media-status-bar"]');
  await bar.locator('[data-testid="media-to-published"]').click();
  await page.locator('[data-testid="media-status-bar"][data-status="published"]').waitFor();
}

async function upload(page, name, bytes, caption) {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  await page.locator('#media-file').setInputFiles(file);
  if (caption) await page.locator('#media-caption').fill(caption);
  await page.locator('[data-testid="media-upload"]').click();
}

test('an editor writes and publishes an instruction and an album; a citizen reads and browses them', async () => {
  // --- The editor. -----------------------------------------------------------------------------
  const editor = await openPage(browser, { viewport: { width: 1280, height: 900 } });
  const page = editor.page;
  await signIn(page, 'editor', 'demo-editor-2026');
  assert.equal(await page.locator('[data-testid="tab-queue"]').count(), 0, 'an editor has no queue');
  await page.locator('[data-testid="media-list"], .media-editor .muted').first().waitFor();

  await page.locator('[data-testid="media-new"]').click();
  await page.locator('[data-testid="media-editor"]').waitFor();
  await page.locator('#media-kind').selectOption('instruction');
  await page.locator('#media-slug').fill(INSTRUCTION);
  await fillTexts(page, instruction);
  await page.locator('#media-tags').fill('print, e2e');
  // The preview is the server's rendering of the Markdown, a moment after typing stops.
  await page.locator('[data-testid="preview-en"] strong', { hasText: 'My booking' }).waitFor({ timeout: 5000 });
  await page.locator('[data-testid="preview-ru"] h2', { hasText: 'Шаги' }).waitFor();
  await shot(page, 'media-editor-desktop');
  await page.locator('[data-testid="media-save"]').click();
  await page.locator(`[data-testid="media-editor"][data-slug="${INSTRUCTION}"]`).waitFor();
  await page.locator('[data-testid="media-status-bar"][data-status="draft"]').waitFor();
  await publish(page);
  await page.locator(`tr[data-slug="${INSTRUCTION}"][data-status="published"]`).waitFor();

  await page.locator('[data-testid="media-new"]').click();
  await page.locator('[data-testid="media-editor"][data-slug=""]').waitFor();
  await page.locator('#media-kind').selectOption('photo');
  await page.locator('#media-slug').fill(ALBUM);
  await fillTexts(page, album);
  await page.locator('#media-tags').fill('daşoguz, e2e');
  await page.locator('[data-testid="media-save"]').click();
  await page.locator(`[data-testid="media-editor"][data-slug="${ALBUM}"]`).waitFor();
  const bar = page.locator('[data-testid="media-status-bar"]');
  assert.match(await bar.innerText(), /English/, 'the English title is missing');

  // A text file with a PNG's name is refused with the server's reason.
  await upload(page, 'not-a-picture.png', Buffer.from('hello, this is text\n'.repeat(10)));
  const refused = page.locator('[data-testid="upload-failed"]');
  await refused.waitFor();
  assert.ok((await refused.innerText()).startsWith(tk['media_ed.wrong_type'].split(':')[0]), await refused.innerText());

  await upload(page, 'hall-1.png', png(1600, 1000, { x: 1250, y: 220 }), 'Zal, günorta');
  await page.locator('[data-testid="upload-done"]').waitFor();
  await page.locator('[data-testid="media-files"] li').first().waitFor();
  await upload(page, 'hall-2.png', png(1600, 1000, { x: 300, y: 260 }));
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="media-files"] li').length === 2);

  // On a slow line the upload shows its progress; the file can then be removed again.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 256 * 1024,
  });
  await upload(page, 'noise.png', noisePng(700, 500));
  await page.waitForFunction(() => {
    const bar = document.querySelector('[data-testid="upload-progress"] progress');
    return bar && bar.value > 0 && bar.value < 100;
  }, null, { timeout: 10000 });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1,
  });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="media-files"] li').length === 3, null, { timeout: 20000 });
  await page.locator('[data-testid="media-files"] li').nth(2).locator('[data-testid="media-remove-file"]').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="media-files"] li').length === 2);
  await publish(page);
  await shot(page, 'media-editor-album-desktop');
  // The editor on a phone: the languages one under another (the same session, narrower; one
  // login only, as logins are rate-limited).
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator(`tr[data-slug="${INSTRUCTION}"] [data-testid="media-edit"]`).click();
  await page.locator(`[data-testid="media-editor"][data-slug="${INSTRUCTION}"]`).waitFor();
  await page.locator('[data-testid="preview-en"] strong', { hasText: 'My booking' }).waitFor({ timeout: 5000 });
  await shot(page, 'media-editor-phone');
  assert.deepEqual(scriptErrors(editor.problems), []);
  await editor.context.close();

  // --- A citizen on a phone. -------------------------------------------------------------------
  const citizen = await openPage(browser, { hasTouch: true });
  const phone = citizen.page;
  await phone.goto(`${BASE}/media`);
  const grid = phone.locator('[data-testid="media-grid"]');
  await grid.waitFor();
  const card = (slug) => phone.locator(`.media-card[data-slug="${slug}"]`);
  await card(INSTRUCTION).waitFor();
  await card(ALBUM).waitFor();
  const cover = card(ALBUM).locator('img');
  assert.equal(await cover.getAttribute('loading'), 'lazy');
  assert.equal(await cover.getAttribute('width'), '320', 'the cover is the 320 px copy');
  assert.equal(await cover.getAttribute('height'), '200');
  assert.match(await cover.getAttribute('srcset'), /320w, .* 1280w/);
  await shot(phone, 'media-phone');

  // Filters: photos only.
  await phone.locator('.filter[data-kind="photo"]').click();
  await phone.waitForURL(/kind=photo/);
  await card(ALBUM).waitFor();
  await phone.waitForFunction(() => [...document.querySelectorAll('.media-card')].every((c) => c.dataset.kind === 'photo'));
  assert.equal(await card(INSTRUCTION).count(), 0);
  await phone.locator('.filter[data-kind="all"]').click();
  await card(INSTRUCTION).waitFor();

  // English: the album has no English title yet.
  await phone.locator('.languages [data-language="en"]').click();
  await phone.locator(`.media-card[data-slug="${ALBUM}"][data-fallback="true"]`).waitFor();
  assert.equal((await card(ALBUM).locator('.badge.untranslated').innerText()).trim(), en['media.untranslated']);
  assert.equal(await card(INSTRUCTION).getAttribute('data-fallback'), 'false');
  await shot(phone, 'media-phone-en');

  await card(INSTRUCTION).locator('h3 a').click();
  const title = phone.locator('[data-testid="media-title"]');
  await phone.locator('[data-testid="media-title"]', { hasText: instruction.title.en }).waitFor();
  await phone.locator('[data-testid="instruction-body"] strong', { hasText: 'My booking' }).waitFor();
  assert.equal(await phone.locator('[data-testid="untranslated"]').count(), 0);
  assert.equal((await phone.locator('[data-testid="print"]').innerText()).trim(), en['media.print']);
  await shot(phone, 'media-instruction-phone-en');
  await phone.locator('.languages [data-language="ru"]').click();
  await phone.locator('[data-testid="media-title"]', { hasText: instruction.title.ru }).waitFor();
  await phone.locator('[data-testid="instruction-body"] h2', { hasText: 'Шаги' }).waitFor();
  assert.equal((await title.innerText()).trim(), instruction.title.ru);
  // The print stylesheet keeps the text only.
  await phone.emulateMedia({ media: 'print' });
  assert.equal(await phone.locator('.site-header').isVisible(), false);
  assert.equal(await phone.locator('[data-testid="print"]').isVisible(), false);
  assert.equal(await phone.locator('[data-testid="instruction-body"]').isVisible(), true);
  await phone.emulateMedia({ media: 'screen' });

  // The album and its lightbox, with the keyboard.
  await phone.goto(`${BASE}/media/${ALBUM}`);
  await phone.locator('[data-testid="media-title"]', { hasText: album.title.ru }).waitFor();
  const thumbs = phone.locator('.album-thumb');
  await phone.waitForFunction(() => document.querySelectorAll('.album-thumb').length === 2);
  await shot(phone, 'media-album-phone');
  await thumbs.first().focus();
  await phone.keyboard.press('Enter');
  const box = phone.locator('[data-testid="lightbox"]');
  await box.waitFor();
  assert.equal(await box.getAttribute('data-index'), '0');
  assert.equal(await phone.evaluate(() => document.activeElement?.dataset.testid), 'lightbox-close');
  await phone.locator('[data-testid="lightbox-image"]').evaluate((img) => img.decode().catch(() => {}));
  await shot(phone, 'media-lightbox-phone');
  await phone.keyboard.press('ArrowRight');
  await phone.locator('[data-testid="lightbox"][data-index="1"]').waitFor();
  assert.equal((await phone.locator('[data-testid="lightbox-counter"]').innerText()).trim(), '2 / 2');
  await phone.keyboard.press('ArrowRight');
  await phone.locator('[data-testid="lightbox"][data-index="0"]').waitFor();
  await phone.keyboard.press('ArrowLeft');
  await phone.locator('[data-testid="lightbox"][data-index="1"]').waitFor();
  // Tab goes round the lightbox's buttons and never leaves it.
  for (let i = 0; i < 5; i += 1) {
    await phone.keyboard.press('Tab');
    assert.ok(await phone.evaluate(() => !!document.activeElement?.closest('[data-testid="lightbox"]')), `Tab ${i + 1} stays in the lightbox`);
  }
  await phone.keyboard.press('Shift+Tab');
  assert.ok(await phone.evaluate(() => !!document.activeElement?.closest('[data-testid="lightbox"]')));
  await phone.keyboard.press('Escape');
  await box.waitFor({ state: 'detached' });
  assert.equal(await phone.evaluate(() => document.activeElement?.id), 'photo-thumb-0', 'focus returns to the opener');
  // A swipe to the left shows the next photo.
  await thumbs.first().click();
  await box.waitFor();
  const touch = await phone.context().newCDPSession(phone);
  const finger = (type, x) => touch.send('Input.dispatchTouchEvent', {
    type, touchPoints: type === 'touchEnd' ? [] : [{ x, y: 420 }],
  });
  await finger('touchStart', 320);
  await finger('touchMove', 200);
  await finger('touchMove', 80);
  await finger('touchEnd', 80);
  await phone.locator('[data-testid="lightbox"][data-index="1"]').waitFor();
  await phone.keyboard.press('Escape');
  await box.waitFor({ state: 'detached' });
  assert.deepEqual(scriptErrors(citizen.problems), []);
  await citizen.context.close();

  // --- The same on a desktop, and the home page's latest items. -----------------------------
  const desk = await openPage(browser, { viewport: { width: 1280, height: 900 } });
  await desk.page.goto(`${BASE}/media`);
  await desk.page.locator(`.media-card[data-slug="${ALBUM}"]`).waitFor();
  await desk.page.evaluate(async () => {
    await Promise.all([...document.images].map((img) => { img.loading = 'eager'; return img.decode().catch(() => {}); }));
  });
  await shot(desk.page, 'media-desktop');
  await desk.page.goto(`${BASE}/media/${INSTRUCTION}`);
  await desk.page.locator('[data-testid="instruction-body"]').waitFor();
  await shot(desk.page, 'media-instruction-desktop');
  await desk.page.goto(`${BASE}/media/${ALBUM}`);
  await desk.page.locator('.album-thumb').first().click();
  await desk.page.locator('[data-testid="lightbox"]').waitFor();
  await desk.page.locator('[data-testid="lightbox-image"]').evaluate((img) => img.decode().catch(() => {}));
  await shot(desk.page, 'media-lightbox-desktop');
  await desk.page.keyboard.press('Escape');
  await desk.page.goto(`${BASE}/`);
  const latest = desk.page.locator('[data-testid="latest-media"]');
  await latest.waitFor();
  assert.ok((await latest.locator('.media-card').count()) >= 2);
  await shot(desk.page, 'media-home-desktop');
  assert.deepEqual(scriptErrors(desk.problems), []);
  await desk.context.close();
});
