// "Ready by" on a phone (390 × 844): the learner sets an assessment date on a unit and sees
// when the unit will be ready, the daily plan and the chart, there and on Today.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startPreview, launchBrowser, newPage, openApp, tab, screenshot, tempDataDir,
  assertNoHorizontalScroll, PHONE, explainFailures,
} from './lib.mjs';

let preview;
let browser;
let page;
explainFailures(() => ({ page, preview }));

before(async () => {
  preview = await startPreview(tempDataDir('ready-by'));
  browser = await launchBrowser();
  page = await newPage(browser, PHONE);
});

after(async () => {
  await browser?.close();
  await preview?.stop();
});

test('set an assessment date and see the plan', async () => {
  await openApp(page, preview.url);
  await tab(page, 'Units');
  await page.getByRole('link', { name: 'Criteria of Negotiate in a business environment: knowledge and evidence' }).click();
  const date = page.locator('#assessment-date');
  await date.waitFor();
  const inSixWeeks = new Date(Date.now() + 42 * 86_400_000).toISOString().slice(0, 10);
  await date.fill(inSixWeeks);
  const summary = page.locator('#ready-by .ready-summary');
  await summary.waitFor();
  assert.match(await summary.innerText(), /^Ready by .* your assessment on /);
  const plan = await page.locator('#ready-by .daily-plan').innerText();
  assert.match(plan, /Study about \d+ cards a day/);
  assert.match(plan, /Evidence still missing for/);
  assert.ok(await page.locator('#ready-by svg.ready-chart polyline').count() > 0, 'a line per criterion');
  await assertNoHorizontalScroll(page, 'unit with a forecast');
  await page.locator('#ready-by').scrollIntoViewIfNeeded();
  await screenshot(page, 'ready-by-unit');

  await tab(page, 'Today');
  const today = page.locator('#assessments');
  await today.waitFor();
  assert.match(await today.innerText(), /Ready by /);
  await screenshot(page, 'ready-by-today');
});
