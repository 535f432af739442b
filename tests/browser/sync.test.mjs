// Sync at phone size (390×844) against the real centre binary: sign in from Settings, review a
// card, "Sync now" says Synced, an item made on another device arrives, the assessor refers it
// back on the centre's pages, and after the next sync Today shows the feedback badge; opening
// the feedback marks it read. Then the centre goes down (offline, waiting), comes back (synced
// by the backoff retries), and signing out keeps or removes the data. Screenshots in
// test-output/sync-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  tempDataDir, startPreview, launchBrowser, newPage, openApp, tab, screenshot, skipFirstRun,
  assertNoHorizontalScroll, assertNamedControls, assertTapTargets, assertAccessible, explainFailures,
} from './lib.mjs';
import {
  startCentre, serveCentre, stopCentre, submitFromTablet, decideOnCentre,
  syncNowUntilNothingWaits as syncNow,
} from './centre.mjs';

let centre;
let preview;
let browser;
let page;
explainFailures(() => ({ page, preview }));

const syncNowUntilNothingWaits = () => syncNow(page);

before(async () => {
  centre = await startCentre();
  preview = await startPreview(tempDataDir('sync'));
  browser = await launchBrowser();
  page = await newPage(browser);
});

after(async () => {
  await browser?.close();
  await preview?.stop();
  centre?.child.kill('SIGTERM');
});

test('sign-in mistakes get a clear message', async () => {
  await openApp(page, preview.url);
  await tab(page, 'Settings');
  await page.locator('#centre-url').fill('centre.example');
  await page.locator('#centre-user').fill('lee');
  await page.locator('#centre-password').fill('learner password');
  await page.locator('#sign-in').click();
  await page.getByRole('alert').filter({ hasText: "isn't a centre address" }).waitFor();

  await page.locator('#centre-url').fill(centre.url);
  await page.locator('#centre-password').fill('wrong');
  await page.locator('#sign-in').click();
  await page.getByRole('alert').filter({ hasText: 'The username or password is wrong.' }).waitFor();
  await assertNamedControls(page, 'settings signed out');
  await assertTapTargets(page, 'settings signed out');
  await assertAccessible(page, 'settings signed out');
  await screenshot(page, 'sync-sign-in-wrong-password');
});

test('sign in, review, sync, and the assessor\'s feedback comes back to Today', async () => {
  await page.locator('#centre-url').fill(centre.url);
  await page.locator('#centre-user').fill('lee');
  await page.locator('#centre-password').fill('learner password');
  await page.locator('#sign-in').click();
  await page.locator('#signed-in-as').waitFor();
  assert.match(await page.locator('#signed-in-as').innerText(), /as Lee Learner \(lee\)/);
  assert.doesNotMatch(await page.locator('main').innerText(), /token/i);
  await page.waitForFunction(() => /^Synced/.test(document.querySelector('#sync-state')?.textContent || ''), null, { timeout: 30_000 });
  assert.match(await page.locator('#fsrs-parameters').innerText(), /Cards come back on the standard schedule/);
  await assertNoHorizontalScroll(page, 'settings signed in');
  await screenshot(page, 'sync-settings-signed-in');

  // Review one card: the answer waits to be sent.
  await reviewOneCard();
  assert.match(await page.locator('#sync-state').innerText(), /1 change waiting|^Sync/);
  await syncNowUntilNothingWaits();
  await screenshot(page, 'sync-today-synced');

  // An item from Lee's tablet arrives; the assessor refers it back on the centre's pages.
  const title = 'Agreed a later delivery date';
  await submitFromTablet(centre, title);
  await decideOnCentre(browser, centre, title, 'Refer back', 'Say what you offered in exchange.');

  // The next sync brings the feedback: a badge on Today.
  await page.locator('#sync-now').click();
  await page.locator('#feedback-badge').waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('#feedback-count').innerText(), '1');
  assert.match(await page.locator('#feedback-badge').innerText(), /Say what you offered in exchange/);
  await assertNoHorizontalScroll(page, 'today with feedback');
  await assertNamedControls(page, 'today with feedback');
  await assertTapTargets(page, 'today with feedback');
  await assertAccessible(page, 'today with feedback');
  await screenshot(page, 'sync-today-feedback-badge');

  // Opening it marks it read: the badge goes.
  await page.getByRole('button', { name: `${title}: open the feedback` }).click();
  await page.waitForURL(/\/evidence\/item\//);
  await tab(page, 'Today');
  await page.locator('#sync-state').waitFor();
  assert.equal(await page.locator('#feedback-badge').count(), 0);
});

// Answers one card from Today and comes back to Today.
async function reviewOneCard() {
  await tab(page, 'Today');
  await page.locator('#start-review').click();
  await page.locator('#reveal').click();
  await page.locator('#answer-good').click();
  await tab(page, 'Today');
}

test('work done while the centre is down waits, and goes when it is back', async () => {
  await stopCentre(centre);
  await reviewOneCard();
  await page.waitForFunction(() => /^Offline — will retry in \d+s · 1 change waiting/
    .test(document.querySelector('#sync-state')?.textContent || ''), null, { timeout: 30_000 });
  assert.equal(await page.locator('#sync-now').innerText(), 'Retry');
  await screenshot(page, 'sync-today-offline');

  // The centre comes back; the backoff retries find it without the learner doing anything.
  centre = await serveCentre(centre.env, centre.port);
  assert.ok(centre, 'the centre restarts on its port');
  await page.waitForFunction(() => {
    const text = document.querySelector('#sync-state')?.textContent || '';
    return /^Synced/.test(text) && !/waiting/.test(text);
  }, null, { timeout: 60_000 });
});

test('sign out keeps this device\'s work', async () => {
  await tab(page, 'Settings');
  await page.locator('#sign-out').click();
  await page.getByText('Signed out. Your work stays on this device.').waitFor();
  await page.locator('#centre-url').waitFor();
  await tab(page, 'Today');
  assert.match(await page.locator('#sync-state').innerText(), /Saved on this phone — no centre connected/);
  assert.match(await page.locator('#revise-heading + *').innerText(), /[1-9]\s*learning/);
});

test('signing out with "also remove this device\'s data" asks first, then starts afresh', async () => {
  await tab(page, 'Settings');
  await page.locator('#centre-url').fill(centre.url);
  await page.locator('#centre-user').fill('lee');
  await page.locator('#centre-password').fill('learner password');
  await page.locator('#sign-in').click();
  await page.locator('#signed-in-as').waitFor();
  await page.locator('#remove-data').check();
  await page.locator('#sign-out').click();
  await page.locator('#confirm-remove').waitFor();
  await screenshot(page, 'sync-remove-data-confirm');
  await page.locator('#confirm-remove').click();
  await page.getByText("Signed out and removed this device's data.").waitFor({ timeout: 30_000 });
  await tab(page, 'Today');
  // Afresh means a new learner's first run again, with no centre; skipped here.
  await page.locator('#first-run').waitFor();
  await skipFirstRun(page);
  await page.locator('#sync-state').waitFor();
  assert.match(await page.locator('#sync-state').innerText(), /Saved on this phone — no centre connected/);
  assert.match(await page.locator('#revise-heading + *').innerText(), /0\s*learning/);
  assert.equal(await page.locator('#feedback-badge').count(), 0);
});
