// Witness mode (issue 18): once the learner hands the phone over, the witness sees their form
// and nothing else — no bottom bar, and neither the back button nor a typed-in route leads
// into the learner's side — until they sign or cancel, which gives the phone back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startPreview, launchBrowser, newPage, openApp, tempDataDir, screenshot, assertAccessible, PHONE, explainFailures,
} from './lib.mjs';

const dataDir = tempDataDir('witness-mode');
let preview;
let browser;
let page;
explainFailures(() => ({ page, preview }));

before(async () => {
  preview = await startPreview(dataDir);
  browser = await launchBrowser();
  page = await newPage(browser, PHONE);
});

after(async () => {
  await browser?.close();
  await preview?.stop();
});

// The app's own route change, as a stale link or the Android back gesture would make it,
// without reloading the page (a reload is a new app session).
async function routeTo(path) {
  await page.evaluate((p) => {
    history.pushState({}, '', p);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

async function stillWitnessForm(what) {
  await page.waitForTimeout(400);
  assert.equal(await page.locator('#witness-heading').count(), 1, `${what}: the witness form is gone`);
  assert.equal(await page.locator('.bottom-nav').count(), 0, `${what}: the bottom bar is back`);
  assert.equal(await page.locator('#feedback, #history, #submit-heading').count(), 0, `${what}: learner controls show`);
}

test('a handed-over phone stays on the witness form until they cancel', async () => {
  await openApp(page, preview.url);
  await page.goto(`${preview.url}/evidence`);
  await page.locator('#start-witness-testimony').click();
  await page.locator('#evidence-heading').waitFor();
  // Under load the address bar can follow the screen a moment later.
  await page.waitForURL(/\/evidence\/item\//);
  const itemUrl = page.url();
  await page.locator('#criteria-picker summary').click();
  await page.locator('#criteria-picker input[value="negotiate/lo3/ac3.1"]').check();
  await page.locator('#chosen-criteria li[data-criterion="negotiate/lo3/ac3.1"]').waitFor();
  await page.locator('#witness-next').click();
  assert.equal(await page.locator('.bottom-nav').count(), 1, 'the learner still has the bottom bar');
  await page.locator('#hand-over').click();
  await page.locator('#witness-heading').waitFor();
  await page.locator('.app[data-witness-mode="on"]').waitFor();
  await stillWitnessForm('handed over');
  // No link on the screen leads anywhere else.
  const links = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links.filter((h) => !itemUrl.endsWith(h)), [], 'links out of witness mode');
  await assertAccessible(page, 'witness mode');
  await screenshot(page, 'witness-mode');

  // The back button, and routes into the learner's side, lead back to the form.
  await page.goBack();
  await stillWitnessForm('back button');
  assert.equal(page.url(), itemUrl);
  for (const path of ['/', '/settings', '/evidence', '/review/all/-']) {
    await routeTo(path);
    await stillWitnessForm(`route ${path}`);
    assert.equal(page.url(), itemUrl, `route ${path} was not sent back`);
  }
  // What the witness typed is kept across those attempts.
  await page.locator('#field-witness_name').fill('Dana Okoro');
  await page.locator('#save-state', { hasText: 'Saved on this device' }).waitFor();
  await routeTo('/');
  await stillWitnessForm('after typing');
  assert.equal(await page.locator('#field-witness_name').inputValue(), 'Dana Okoro');

  // Cancelling gives the phone back: the learner's screen and bar return, and routes work.
  await page.locator('#witness-cancel').click();
  await page.locator('#hand-over').waitFor();
  await page.locator('.bottom-nav').waitFor();
  await page.locator('.app[data-witness-mode="off"]').waitFor();
  await routeTo('/settings');
  await page.locator('#text-size').waitFor();
});
