// Anki in and out on a phone (390 × 844): import a deck Anki itself wrote (pictures, a sound,
// answers and due dates), see Anki's due dates in Browse and the picture on the card, review
// it, list what a bad file left out, and export the deck as text and everything as .apkg.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  startPreview, launchBrowser, newPage, openApp, tab, screenshot, tempDataDir, answerCard,
  assertNoHorizontalScroll, assertTapTargets, PHONE, repoRoot, explainFailures,
} from './lib.mjs';

const fixtures = join(repoRoot, 'crates/core/tests/fixtures/anki');
const expected = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8'));
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

let preview;
let browser;
let page;
explainFailures(() => ({ page, preview }));

before(async () => {
  preview = await startPreview(tempDataDir('anki'));
  browser = await launchBrowser();
  page = await newPage(browser, PHONE);
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
});

after(async () => {
  await browser?.close();
  await preview?.stop();
});

// The date Browse should show for an Anki review card: Anki says it is due in (due − Anki's
// today) days, counted from the learner's today (days roll over at 04:00); overdue is today.
function dueDateShown(card, importedAtMs) {
  const ankiToday = Math.floor((importedAtMs / 1000 - expected.anki_created_secs) / 86_400);
  const days = Math.max(card.due - ankiToday, 0);
  const learnerToday = new Date(importedAtMs - 4 * 3_600_000);
  const d = new Date(learnerToday.getFullYear(), learnerToday.getMonth(), learnerToday.getDate() + days);
  return `${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}`;
}

async function openImport() {
  await tab(page, 'Cards');
  await page.locator('#import-link').click();
  await page.locator('#import-file:enabled').waitFor();
}

async function searchBrowse(text) {
  await tab(page, 'Cards');
  await page.getByRole('link', { name: 'Browse and search cards' }).click();
  await page.locator('#search-text').fill(text);
  await page.waitForFunction(() => /^1 card|^\d+ cards/.test(document.querySelector('#hit-count')?.textContent ?? ''));
}

test('an Anki deck with a picture, a sound and history: due dates, picture, review, export', async () => {
  await openApp(page, preview.url);
  await openImport();
  const importedAt = Date.now();
  await page.locator('#import-file').setInputFiles({
    name: 'Retail.apkg',
    mimeType: 'application/octet-stream',
    buffer: readFileSync(join(fixtures, 'anki-26-modern.apkg')),
  });
  await page.getByText('Imported 10 new notes (14 cards) into 4 decks, 9 reviews, 2 media files.').waitFor();
  await assertNoHorizontalScroll(page, 'import report');
  await screenshot(page, 'anki-import-report');

  // Due dates as Anki had them, for every review card of the file.
  const reviewCards = expected.cards.filter((c) => c.due_in_days !== undefined);
  assert.ok(reviewCards.length >= 2);
  const search = { batna: ['BATNA', 'What is a BATNA?'], markup: ['Markup', 'Profit ÷ cost'] };
  for (const card of reviewCards) {
    const [words, text] = search[card.note];
    await searchBrowse(words);
    const result = page.locator('#results li.result').filter({ hasText: text }).filter({ hasText: /Review · due/ });
    assert.equal(await result.count(), 1, `${card.note}: one review card`);
    const status = await result.innerText();
    assert.match(status, new RegExp(`due ${dueDateShown(card, importedAt)}`), `${card.note}: ${status}`);
  }

  // The picture is on the card in Browse, and the sound has a control.
  await searchBrowse('Shelf-edge');
  const thumb = page.locator('#results img.card-image');
  await thumb.waitFor();
  assert.ok(await thumb.evaluate((img) => img.complete && img.naturalWidth > 0), 'the picture decodes');
  assert.match(await thumb.getAttribute('src'), /^data:image\/png;base64,/);
  await searchBrowse('bad scan');
  const sound = page.locator('#results audio.card-sound');
  await sound.waitFor();
  assert.match(await sound.getAttribute('src'), /^data:audio\/mpeg;base64,/);
  await screenshot(page, 'anki-browse-media');

  // Review the deck: the picture shows on the cloze's answer, the sound on its card.
  await tab(page, 'Cards');
  await page.getByRole('button', { name: 'Study Retail::Stock' }).click();
  await page.locator('#reveal').waitFor();
  let sawPicture = false;
  let sawSound = false;
  for (let i = 0; i < 12 && await page.locator('#reveal').count(); i += 1) {
    if (await page.locator('#card audio.card-sound').count()) sawSound = true;
    await page.locator('#reveal').click();
    await page.locator('#answer-good').waitFor();
    const picture = page.locator('#card img.card-image');
    if (await picture.count()) {
      sawPicture = true;
      assert.ok(await picture.evaluate((img) => img.complete && img.naturalWidth > 0));
      await assertNoHorizontalScroll(page, 'review with a picture');
      await assertTapTargets(page, 'review with a picture');
      await screenshot(page, 'anki-review-picture');
    }
    await page.locator('#answer-good').click();
    await page.waitForFunction(() => document.querySelector('#reveal') || document.querySelector('#summary'));
  }
  assert.ok(sawPicture, 'the cloze with a picture was reviewed and showed it');
  assert.ok(sawSound, 'the card with a sound had its play control');

  // Export the deck as Anki text, then everything as a package; both download.
  await openImport();
  const retail = await page.locator('#export-scope option', { hasText: /^Retail::Stock / }).getAttribute('value');
  await page.locator('#export-scope').selectOption(retail);
  await page.locator('#export-format').selectOption('tsv');
  await page.locator('#export-anki').click();
  await page.locator('#anki-export-done').getByText(/Exported 5 notes \(5 cards\) as text/).waitFor();
  const textUrl = await page.locator('#anki-export-download').getAttribute('href');
  const text = await (await fetch(new URL(textUrl, preview.url))).text();
  assert.deepEqual(text.split('\n').slice(0, 6), [
    '#separator:tab', '#html:true', '#guid column:1', '#notetype column:2', '#deck column:3', '#tags column:6',
  ]);
  assert.match(text, /Shelf-edge label: \{\{c1::<img src=""label.png"">\}\}/);
  assert.equal(text.trim().split('\n').length, 6 + 5, 'one row per note of the deck');

  await page.locator('#export-scope').selectOption('');
  await page.locator('#export-format').selectOption('apkg');
  await page.locator('#export-anki').click();
  await page.locator('#anki-export-done').getByText(/Exported \d+ notes \(\d+ cards\) in \d+ decks, \d+ reviews and 2 media files/).waitFor();
  const apkgUrl = await page.locator('#anki-export-download').getAttribute('href');
  assert.match(apkgUrl, /\.apkg$/);
  const apkg = Buffer.from(await (await fetch(new URL(apkgUrl, preview.url))).arrayBuffer());
  assert.equal(apkg.subarray(0, 2).toString(), 'PK', 'the download is the package');
  await assertNoHorizontalScroll(page, 'export');
  await screenshot(page, 'anki-export');
});

test('what an import left out is listed line by line', async () => {
  await openApp(page, preview.url);
  await openImport();
  await page.locator('#import-file').setInputFiles({
    name: 'Partly.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('Till float,The cash in the till at opening\n,An answer with no question\nShrinkage,Stock lost\n'),
  });
  await page.getByText('Imported 2 new notes (2 cards) into 1 deck. 1 thing not imported as it was; see the list.').waitFor();
  await page.locator('#import-skipped summary').click();
  const item = page.locator('#import-skipped li');
  assert.equal(await item.count(), 1);
  assert.match(await item.innerText(), /line 2: its first field \(the question\) is empty/);
  await screenshot(page, 'anki-import-skipped');
});
