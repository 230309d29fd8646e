// The catalog in the console's Settings tab, end to end: the admin creates a service (its fee
// typed in manat goes out in teňňe) and a branch (a bad phone is refused next to its field, by
// the server), edits the new branch's name, takes it out of service and back (citizens stop
// and start seeing it; the console keeps showing it), gives it an opening plan (a day that closes before
// it opens is refused on its row; fixed, the plan is saved and listed, and the API holds it),
// and sets the two new booking settings of the branch in the bar, which load again after a
// reload. Each run uses fresh codes, so it can run again on the same database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, openPage, screenshot, texts } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Script errors, less the browser's own line for each 4xx answer (those are part of the test). */
const scriptErrors = (problems) => problems.filter((p) => !/Failed to load resource/.test(p));

async function signIn(page, username, password) {
  await page.goto(`${BASE}/staff`);
  const form = page.locator('[data-testid="login"]');
  await form.waitFor();
  await page.locator('#staff-username').fill(username);
  await page.locator('#staff-password').fill(password);
  await form.locator('button[type="submit"]').click();
  await page.locator('[data-testid="staff-bar"]').waitFor();
}

/** Tomorrow in Ashgabat (UTC+5), `YYYY-MM-DD`. */
const tomorrow = () => new Date(Date.now() + (24 * 60 + 5 * 60) * 60000).toISOString().slice(0, 10);

test('an admin creates a service and a branch, and gives the branch opening hours', async () => {
  const en = texts('en');
  const { context, page, problems } = await openPage(browser, { viewport: { width: 1280, height: 900 } });
  await page.addInitScript(() => localStorage.setItem('nobat.language', JSON.stringify('en')));
  const suffix = Date.now().toString(36).slice(-6);
  const serviceCode = `e2e-svc-${suffix}`;
  const branchCode = `e2e-br-${suffix}`;

  await signIn(page, 'admin', 'demo-admin-2026');
  await page.locator('[data-testid="tab-settings"]').click();
  const services = page.locator('[data-testid="services-panel"]');
  await services.locator('[data-testid="services-table"]').waitFor();

  // A new service.
  await services.locator('[data-testid="service-new"]').click();
  await page.locator('#service-code').fill(serviceCode);
  await page.locator('#service-prefix').fill('x');
  await page.locator('#service-duration').fill('20');
  await page.locator('#service-fee').fill('12,50');
  await page.locator('#service_name-tk').fill('Synag hyzmaty');
  await page.locator('#service_name-ru').fill('Тестовая услуга');
  await page.locator('#service_name-en').fill('Test service');
  await page.locator('#description-tk').fill('Awtomatik synag üçin.');
  await page.locator('#documents-tk').fill('Pasport\nSurat');
  await page.locator('#documents-en').fill('Passport\nPhoto');
  await services.locator('input[name="exemptions"][value="veteran"]').check();
  await services.locator('[data-testid="service-save"]').click();
  await services.locator('[data-testid="service-saved"]').waitFor();
  const serviceRow = services.locator(`tr[data-service="${serviceCode}"]`);
  await serviceRow.waitFor();
  assert.match(await serviceRow.innerText(), /12,50 TMT/, 'the fee, typed in manat, is shown back');
  assert.match(await serviceRow.innerText(), /X/, 'the queue letter is upper case');
  assert.match(await services.locator('[data-testid="service-form-title"]').innerText(), new RegExp(serviceCode));
  const listed = await page.request.get(`${BASE}/api/v1/staff/services`);
  assert.equal(listed.status(), 200);
  const created = (await listed.json()).find((s) => s.code === serviceCode);
  assert.ok(created, 'the API lists the new service');
  const fee = created.fee_minor ?? created.fee?.amount_minor;
  assert.equal(fee, 1250, 'sent in teňňe');
  assert.deepEqual(created.documents.en, ['Passport', 'Photo'], 'one document a line');
  assert.deepEqual(created.exemptions, ['veteran']);

  // A new branch: the server refuses a bad phone, next to the field.
  const branches = page.locator('[data-testid="branches-panel"]');
  await branches.locator('[data-testid="branch-new"]').click();
  await page.locator('#branch-code').fill(branchCode);
  await page.locator('#branch-region').selectOption('mary');
  await page.locator('#branch-phone').fill('123');
  await page.locator('#branch_name-tk').fill(`Synag bölümi ${suffix}`);
  await page.locator('#branch_name-ru').fill(`Тестовый отдел ${suffix}`);
  await page.locator('#branch_name-en').fill(`Test office ${suffix}`);
  await page.locator('#branch_address-tk').fill('Mary, Magtymguly köçesi 1');
  await page.locator('#branch_address-ru').fill('Мары, улица Махтумкули 1');
  await page.locator('#branch_address-en').fill('Mary, Magtymguly street 1');
  await page.locator('#branch-latitude').fill('37.6');
  await page.locator('#branch-longitude').fill('61.83');
  await branches.locator('[data-testid="branch-save"]').click();
  const phoneError = branches.locator('.field-error[data-field="phone"]');
  await phoneError.waitFor();
  assert.ok((await phoneError.innerText()).trim().length > 3, 'the phone\'s error says why');
  assert.equal(await branches.locator('[data-testid="branch-saved"]').count(), 0);
  await page.locator('#branch-phone').fill('+993 522 12345');
  await branches.locator('[data-testid="branch-save"]').click();
  await branches.locator('[data-testid="branch-saved"]').waitFor();
  const branchRow = branches.locator(`tr[data-branch="${branchCode}"]`);
  await branches.locator(`tr[data-branch="${branchCode}"][data-listed="true"]`).waitFor();
  assert.match(await branchRow.innerText(), new RegExp(`Test office ${suffix}`));
  assert.equal(await page.locator('#branch-phone').inputValue(), '+993 522 12345', 'the form now edits it');
  await screenshot(page, 'admin-1-catalog-desktop');

  // Editing it: the English name changes.
  await branchRow.locator('button[data-action="edit"]').click();
  await page.locator('#branch_name-en').fill(`Test office ${suffix} (edited)`);
  await branches.locator('[data-testid="branch-save"]').click();
  await branches.locator('[data-testid="branch-saved"]').waitFor();
  await branches.locator(`tr[data-branch="${branchCode}"][data-listed="true"]:has-text("(edited)")`).waitFor();
  const publicBranch = await (await page.request.get(`${BASE}/api/v1/branches/${branchCode}`)).json();
  assert.equal(publicBranch.name.en, `Test office ${suffix} (edited)`);
  assert.equal(publicBranch.name.ru, `Тестовый отдел ${suffix}`, 'the other languages stay');

  // Out of service: citizens no longer see it; the console keeps listing it, to be put back.
  const active = page.locator('[data-testid="branch-form"] input[name="active"]');
  assert.equal(await active.isChecked(), true);
  await active.uncheck();
  await branches.locator('[data-testid="branch-save"]').click();
  await branches.locator(`tr[data-branch="${branchCode}"][data-active="false"][data-listed="true"]`).waitFor();
  const offered = await (await page.request.get(`${BASE}/api/v1/branches?per_page=100`)).json();
  assert.ok(!offered.items.some((b) => b.code === branchCode), 'not offered to citizens');
  assert.equal(await active.isChecked(), false);
  // The console lists branches out of service too (GET /staff/branches), after a reload as well.
  await page.reload();
  await page.locator('[data-testid="tab-settings"]').click();
  const outOfService = branches.locator(`tr[data-branch="${branchCode}"][data-active="false"][data-listed="true"]`);
  await outOfService.waitFor();
  await outOfService.locator('button[data-action="edit"]').click();
  assert.equal(await active.isChecked(), false);
  await active.check();
  await branches.locator('[data-testid="branch-save"]').click();
  // Listed by the server again (the row takes its place in the list).
  await branches.locator(`tr[data-branch="${branchCode}"][data-active="true"][data-listed="true"]`).waitFor();
  const back = await (await page.request.get(`${BASE}/api/v1/branches?per_page=100`)).json();
  assert.ok(back.items.some((b) => b.code === branchCode), 'offered again');

  // Its opening hours: none yet.
  await branchRow.locator('button[data-action="plans"]').click();
  const plans = page.locator(`[data-testid="plans-panel"][data-branch="${branchCode}"]`);
  await plans.waitFor();
  await plans.locator('[data-testid="plans-none"]').waitFor();
  assert.equal(await page.locator('#plan-from').inputValue(), tomorrow(), 'from tomorrow by default');
  for (const day of [0, 1, 2, 3, 4]) await page.locator(`#plan-${day}-open`).check();
  await plans.locator('li.plan-day[data-weekday="1"] button[data-action="add-break"]').click();
  assert.equal(await page.locator('#plan-0-break-0-starts').inputValue(), '13:00');
  await plans.locator('li.plan-day[data-weekday="2"] button[data-action="add-break"]').click();
  await plans.locator('li.plan-day[data-weekday="2"] button[data-action="remove-break"]').click();
  assert.equal(await plans.locator('li.plan-day[data-weekday="2"] li.plan-break').count(), 0, 'a break is removed');
  // Tuesday closes before it opens: refused on Tuesday's row.
  await page.locator('#plan-1-closes').fill('08:00');
  await page.locator('#plan-1-closes').dispatchEvent('change');
  await plans.locator('[data-testid="plan-save"]').click();
  const rowError = plans.locator('li.plan-day[data-weekday="2"] .field-error');
  await rowError.waitFor();
  assert.equal(await plans.locator('[data-testid="plan-saved"]').count(), 0);
  await page.locator('#plan-1-closes').fill('17:00');
  await page.locator('#plan-1-closes').dispatchEvent('change');
  await page.locator('#plan-4-closes').fill('16:00');
  await page.locator('#plan-4-closes').dispatchEvent('change');
  await plans.locator('[data-testid="plan-save"]').click();
  await plans.locator('[data-testid="plan-saved"]').waitFor();
  await plans.locator(`[data-testid="plans-list"] li[data-from="${tomorrow()}"]`).waitFor();
  const saved = await (await page.request.get(`${BASE}/api/v1/staff/branches/${branchCode}/opening-plans`)).json();
  assert.equal(saved.length, 1);
  assert.equal(saved[0].effective_from, tomorrow());
  assert.deepEqual(saved[0].days.map((d) => d.weekday), [1, 2, 3, 4, 5], 'Monday to Friday');
  const hhmm = (t) => t.slice(0, 5);
  assert.equal(hhmm(saved[0].days[1].closes), '17:00');
  assert.equal(hhmm(saved[0].days[4].closes), '16:00');
  assert.deepEqual(saved[0].days[0].breaks.map((b) => [hhmm(b.starts), hhmm(b.ends)]), [['13:00', '14:00']]);
  await screenshot(page, 'admin-2-plan-desktop');

  // The booking settings of the branch in the bar: the two new fields.
  const panel = page.locator('[data-testid="settings-panel"][data-loaded="true"]');
  await panel.waitFor();
  const before = {
    checkin: await page.locator('#settings-checkin-opens-minutes').inputValue(),
    calls: await page.locator('#settings-max-calls').inputValue(),
  };
  assert.match(before.checkin, /^\d+$/, 'loaded from the server');
  assert.match(before.calls, /^\d+$/, 'loaded from the server');
  await page.locator('#settings-checkin-opens-minutes').fill('45');
  await page.locator('#settings-max-calls').fill('4');
  await panel.locator('button[type="submit"]').click();
  await panel.locator('[data-testid="settings-now-checkin"]').waitFor();
  assert.equal((await panel.locator('[data-testid="settings-now-checkin"]').innerText()).trim(), '45');
  assert.equal((await panel.locator('[data-testid="settings-now-max-calls"]').innerText()).trim(), '4');
  // They load again after a reload.
  await page.reload();
  await page.locator('[data-testid="tab-settings"]').click();
  await page.locator('[data-testid="settings-panel"][data-loaded="true"]').waitFor();
  assert.equal(await page.locator('#settings-checkin-opens-minutes').inputValue(), '45');
  assert.equal(await page.locator('#settings-max-calls').inputValue(), '4');
  // Out of range: refused next to the field (the browser's own check is bypassed).
  await page.locator('#settings-max-calls').evaluate((input) => input.removeAttribute('max'));
  await page.locator('#settings-max-calls').fill('11');
  await page.locator('[data-testid="settings-panel"] button[type="submit"]').click();
  await page.locator('[data-testid="settings-panel"] .field-error[data-field="max_calls"]').waitFor();
  // Put them back for the other tests.
  await page.locator('#settings-checkin-opens-minutes').fill(before.checkin);
  await page.locator('#settings-max-calls').fill(before.calls);
  await page.locator('[data-testid="settings-panel"] button[type="submit"]').click();
  await page.locator('[data-testid="settings-now-checkin"]').waitFor();

  // The same tab on a phone.
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'admin-3-settings-phone');
  assert.ok(en['catalog.branches_title'].length > 0);
  assert.deepEqual(scriptErrors(problems), [], 'no script errors');
  await context.close();
});
