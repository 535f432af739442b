// The same app at desktop size (1280 × 800), driven by the keyboard alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startPreview, launchBrowser, newPage, openApp, tab, screenshot, tempDataDir, waitForReviewKeys,
  assertNoHorizontalScroll, DESKTOP, explainFailures,
} from './lib.mjs';

let preview;
let browser;
let page;
explainFailures(() => ({ page, preview }));

before(async () => {
  preview = await startPreview(tempDataDir('desktop'));
  browser = await launchBrowser();
  page = await newPage(browser, DESKTOP);
});

after(async () => {
  await browser?.close();
  await preview?.stop();
});

test('review by keyboard at desktop size', async () => {
  await openApp(page, preview.url);
  await screenshot(page, 'desktop-today');
  await page.locator('#start-review').click();
  await page.locator('#reveal').waitFor();
  await waitForReviewKeys(page);
  for (const key of ['1', '2', '3', '4']) {
    const before = await page.locator('#progress-text').innerText();
    await page.keyboard.press('Space');
    await page.locator('#answer-good').waitFor();
    await page.keyboard.press(key);
    await page.waitForFunction((prev) => document.querySelector('#progress-text')?.textContent !== prev, before);
  }
  assert.match(await page.locator('#progress-text').innerText(), /^4 done/);
  await page.keyboard.press('Space');
  await page.locator('#answer-good').waitFor();
  await screenshot(page, 'desktop-review');
  await page.keyboard.press('u');
  await page.waitForFunction(() => /^3 done/.test(document.querySelector('#progress-text')?.textContent || ''));
  // Mouse and keys mixed: after clicking "Show answer" (which then disappears) a number key
  // still answers.
  await page.locator('#reveal').click();
  await page.locator('#answer-good').waitFor();
  await page.keyboard.press('3');
  await page.waitForFunction(() => /^4 done/.test(document.querySelector('#progress-text')?.textContent || ''));
  // The content column stays readable on a wide window.
  const width = await page.locator('main.screen').evaluate((el) => el.getBoundingClientRect().width);
  assert.ok(width <= 720, `content column is ${width}px wide`);
  await assertNoHorizontalScroll(page, 'desktop review');
  // Leaving the review screen removes its key listener: space on Today does nothing.
  await tab(page, 'Today');
  await page.waitForSelector('html:not([data-review-keys])', { state: 'attached' });
});

test('every tab at desktop size', async () => {
  await openApp(page, preview.url);
  for (const name of ['Cards', 'Units', 'Stats', 'Settings']) {
    await tab(page, name);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.waitForTimeout(100);
    await assertNoHorizontalScroll(page, `${name} at desktop size`);
    await screenshot(page, `desktop-${name.toLowerCase()}`);
  }
});
