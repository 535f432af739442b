// Speed against a large store: 100,000 cards with a year of history. The store is seeded by
// one run of the preview, then a second launch is timed as a learner would meet it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startPreview, launchBrowser, newPage, tempDataDir, skipFirstRun, answerCardTimed, median, report, screenshot, PHONE,
} from './lib.mjs';

const CARDS = Number(process.env.PF_SEED_CARDS || 100000);
let preview;
let browser;

after(async () => {
  await browser?.close();
  await preview?.stop();
});

test(`launch and answer speed with ${CARDS} cards`, { timeout: 900_000 }, async () => {
  const dataDir = tempDataDir('speed');
  const seedStart = performance.now();
  // Seeding 100,000 cards in a debug build takes about two minutes on a busy 2-core machine.
  preview = await startPreview(dataDir, ['--seed-cards', String(CARDS)], undefined, { readyWithinMs: 600_000 });
  report(`seed_${CARDS}_cards`, (performance.now() - seedStart) / 1000, 's');
  await preview.stop();

  browser = await launchBrowser();
  const page = await newPage(browser, PHONE);
  page.setDefaultTimeout(120_000);
  preview = await startPreview(dataDir);
  await page.goto(`${preview.url}/review/all/-`);
  await page.locator('#reveal').waitFor();
  report(`large_${CARDS}_launch_to_first_card`, performance.now() - preview.startedAt, 'ms');

  const times = [];
  const ratings = ['good', 'again', 'good', 'easy', 'hard', 'good', 'good', 'again', 'easy', 'good', 'good'];
  for (const r of ratings) times.push(await answerCardTimed(page, r));
  report(`large_${CARDS}_answer_to_next_card_median`, median(times), 'ms');
  assert.match(await page.locator('#progress-text').innerText(), /^11 done/);
  await screenshot(page, 'phone-review-large-store');

  // Today, Browse and Stats stay usable on the large store (past the first-run questions,
  // which a learner meets once).
  await page.goto(`${preview.url}/`);
  await page.waitForSelector('.app .bottom-nav');
  await skipFirstRun(page);
  let t = performance.now();
  await page.goto(`${preview.url}/`);
  await page.locator('#start-review').waitFor();
  report(`large_${CARDS}_open_today`, performance.now() - t, 'ms');

  await page.goto(`${preview.url}/browse`);
  await page.locator('#hit-count').waitFor();
  t = performance.now();
  await page.locator('#search-text').fill(`question ${CARDS - 1}`);
  await page.waitForFunction(() => document.querySelector('#hit-count')?.textContent === '1 card');
  report(`large_${CARDS}_search_to_results`, performance.now() - t, 'ms');

  const t0 = performance.now();
  await page.goto(`${preview.url}/stats`);
  await page.locator('#heatmap svg').waitFor();
  report(`large_${CARDS}_open_stats`, performance.now() - t0, 'ms');
  assert.match(await page.locator('#heatmap svg').getAttribute('aria-label'), /Review heatmap: [1-9]/);
});
