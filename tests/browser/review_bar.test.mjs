// The review screen on a phone (issue 18): the answer bar stays in the thumb zone, in the same
// place for a one-word answer and a long one, at 390 × 844 and 360 × 640 and at 150 % text;
// the card scrolls above it; Undo, Edit, Bury and Suspend are never under a bar; and Bury and
// Suspend come back off the one undo stack, and so does deleting a card's note (which no longer
// asks first: Browse says what went and offers it back, with the card's progress).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startPreview, launchBrowser, newPage, openApp, tab, screenshot, tempDataDir, assertTapTargets,
  assertAccessible, waitForReviewKeys, answerCard, PHONE,
} from './lib.mjs';

const dataDir = tempDataDir('review-bar');
const LONG = Array.from({ length: 14 }, (_, i) =>
  `Sentence ${i + 1} of a long answer that runs well past one screen on a small phone.`).join(' ');
const SIZES = [
  { name: '390x844', viewport: PHONE },
  { name: '360x640', viewport: { width: 360, height: 640 } },
];
let preview;
let browser;

before(async () => {
  preview = await startPreview(dataDir);
  browser = await launchBrowser();
  // A deck of two cards: a one-word answer, then a long one.
  const page = await newPage(browser, PHONE);
  await openApp(page, preview.url);
  await tab(page, 'Cards');
  await page.locator('#deck-name').fill('Bar test');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByText('Deck "Bar test" created.').waitFor();
  for (const [front, back] of [['Short question', 'Yes'], ['Long question', LONG]]) {
    await page.goto(`${preview.url}/add`);
    await page.locator('#card-form').waitFor();
    await page.locator('#deck-select').selectOption({ label: 'Bar test' });
    await page.locator('#kind-basic').check();
    await page.locator('#field-front').fill(front);
    await page.locator('#field-back').fill(back);
    await page.locator('#save-card').click();
    await page.getByText(/Added 1 card/).waitFor();
  }
  await page.context().close();
});

after(async () => {
  await browser?.close();
  await preview?.stop();
});

async function setTextSize(percent) {
  const page = await newPage(browser, PHONE);
  await openApp(page, preview.url);
  await tab(page, 'Settings');
  await page.locator('#text-size').selectOption(String(percent));
  await page.getByText('Text size changed.').waitFor();
  await page.context().close();
}

// Where the bar and the bottom navigation are, and whether each of `ids` is on screen,
// uncovered and above the bar.
async function layout(page, ids) {
  return page.evaluate((ids) => {
    const bar = document.querySelector('#answer-bar').getBoundingClientRect();
    const nav = document.querySelector('.bottom-nav').getBoundingClientRect();
    const buttons = [...document.querySelectorAll('#answer-bar button')].map((b) => {
      const r = b.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return { id: b.id, top: r.top, bottom: r.bottom, uncovered: b.contains(hit) };
    });
    const actions = ids.map((sel) => {
      const el = document.querySelector(sel);
      el.scrollIntoView({ block: 'nearest' });
      const r = el.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return { sel, bottom: r.bottom, uncovered: el.contains(hit) };
    });
    window.scrollTo(0, 0);
    return { barTop: bar.top, barBottom: bar.bottom, navTop: nav.top, height: innerHeight, buttons, actions };
  }, ids);
}

// After scrolling to the end, the card's last line is above the bar, not behind it.
async function cardEndsAboveBar(page) {
  return page.evaluate(() => {
    window.scrollTo(0, document.documentElement.scrollHeight);
    const card = document.querySelector('#card').getBoundingClientRect();
    const bar = document.querySelector('#answer-bar').getBoundingClientRect();
    window.scrollTo(0, 0);
    return { cardBottom: card.bottom, barTop: bar.top };
  });
}

const ACTIONS = ['#undo', 'a[aria-label="Edit this card"]', 'button[aria-label="Bury this card until tomorrow"]',
  'button[aria-label="Suspend this card"]'];

async function measureCard(page, label, seen) {
  await page.locator('#reveal').waitFor();
  seen.push({ label: `${label} question`, ...(await layout(page, ACTIONS)) });
  await page.locator('#reveal').click();
  await page.locator('#answer-easy').waitFor();
  seen.push({ label: `${label} answer`, ...(await layout(page, ACTIONS)) });
  const end = await cardEndsAboveBar(page);
  assert.ok(end.cardBottom <= end.barTop + 0.5, `${label}: the card's end is hidden under the bar (${JSON.stringify(end)})`);
}

for (const percent of [100, 150]) {
  for (const { name, viewport } of SIZES) {
    test(`the answer bar stays put at ${name}, ${percent} % text`, async () => {
      await setTextSize(percent);
      const page = await newPage(browser, viewport);
      await openApp(page, preview.url);
      await tab(page, 'Cards');
      await page.getByRole('button', { name: 'Study Bar test' }).click();
      await waitForReviewKeys(page);
      const seen = [];
      // The two new cards come in the deck's order; either may be first.
      for (const round of [1, 2]) {
        await page.locator('#reveal').waitFor();
        const label = /Short/.test(await page.locator('#question').innerText()) ? 'short' : 'long';
        await measureCard(page, label, seen);
        assert.match(await page.locator('#answer').innerText(), label === 'short' ? /^\s*Yes\s*$/ : /Sentence 14/);
        await screenshot(page, `review-bar-${name}-${percent}-${label}`);
        if (round === 1) {
          // Bury the first card: the other comes next.
          await page.getByRole('button', { name: 'Bury this card until tomorrow' }).click();
          await page.getByText('Card buried until tomorrow.').waitFor();
        }
      }
      assert.deepEqual(seen.map((s) => s.label.split(' ')[0]).sort(), ['long', 'long', 'short', 'short']);
      const firstQuestion = seen[0].label.startsWith('short') ? /Short question/ : /Long question/;
      await assertTapTargets(page, `review at ${name}, ${percent} %`);
      await assertAccessible(page, `review at ${name}, ${percent} %`);

      const first = seen[0];
      assert.ok(first.barTop > viewport.height / 2, `the bar is in the lower half (top ${first.barTop})`);
      for (const s of seen) {
        assert.ok(Math.abs(s.barTop - first.barTop) < 0.5 && Math.abs(s.barBottom - first.barBottom) < 0.5,
          `${s.label}: the bar moved (${s.barTop}–${s.barBottom} vs ${first.barTop}–${first.barBottom})`);
        assert.ok(Math.abs(s.barBottom - s.navTop) < 1, `${s.label}: the bar sits on the bottom bar (${s.barBottom} vs ${s.navTop})`);
        assert.ok(s.navTop <= s.height + 0.5, `${s.label}: the bottom bar is on screen`);
        for (const b of s.buttons) {
          assert.ok(b.uncovered && b.top >= s.barTop && b.bottom <= s.barBottom + 0.5, `${s.label}: ${b.id} is not fully in the bar`);
        }
        for (const a of s.actions) {
          assert.ok(a.uncovered && a.bottom <= s.barTop, `${s.label}: ${a.sel} is under a bar (${a.bottom} vs ${s.barTop})`);
        }
      }
      // The four ratings sit on one row, in the bar.
      const answers = seen.find((s) => s.label === 'long answer').buttons;
      assert.equal(answers.length, 4);
      assert.ok(answers.every((b) => Math.abs(b.top - answers[0].top) < 0.5), 'the four ratings are on one row');

      // Undo brings the buried card back (one stack for every card action), and the session
      // is as it was; suspending the long one is undone the same way.
      await page.locator('#undo').click();
      await page.getByText('Bury undone: the card is back.').waitFor();
      assert.match(await page.locator('#question').innerText(), firstQuestion);
      await page.locator('#reveal').click();
      await page.getByRole('button', { name: 'Suspend this card' }).click();
      await page.getByText('Card suspended.').waitFor();
      await page.keyboard.press('u');
      await page.getByText('Suspension undone: the card is back.').waitFor();
      assert.match(await page.locator('#question').innerText(), firstQuestion);
      await page.context().close();
    });
  }
}

test('a suspension and a deletion in Browse are undone from the same stack', async () => {
  await setTextSize(100);
  const page = await newPage(browser, PHONE);
  // Both cards answered first, so the one deleted below has progress to lose.
  await openApp(page, preview.url);
  await tab(page, 'Cards');
  await page.getByRole('button', { name: 'Study Bar test' }).click();
  await waitForReviewKeys(page);
  await answerCard(page, 'good');
  await answerCard(page, 'good');
  await page.goto(`${preview.url}/browse`);
  await page.locator('#search-text').fill('Long question');
  await page.waitForFunction(() => document.querySelector('#hit-count')?.textContent === '1 card');
  await page.getByRole('button', { name: /^Suspend card:/ }).click();
  await page.getByText('Card suspended.').waitFor();
  await page.locator('#results').getByText('Suspended', { exact: true }).waitFor();
  await page.locator('#browse-undo').click();
  await page.getByText('Suspension undone: the card is back.').waitFor();
  await page.locator('#results').getByText('Suspended', { exact: true }).waitFor({ state: 'detached' });
  const row = page.locator('#results li').first();
  const status = await row.locator('p.small.muted').last().innerText();
  assert.doesNotMatch(status, /^New$/, 'the card has been answered');

  // Deleting is on the same stack: no question first, and Browse offers it back.
  await page.getByRole('button', { name: /^Edit card:/ }).click();
  await page.locator('#delete-note').click();
  await page.locator('#deleted-note').waitFor();
  assert.match(await page.locator('#deleted-note').innerText(), /Deleted “Long question” and its cards\. Undo brings them back/);
  await page.locator('#search-text').fill('Long question');
  await page.waitForFunction(() => document.querySelector('#hit-count')?.textContent === '0 cards');
  await assertAccessible(page, 'browse after a deletion');
  await screenshot(page, 'review-bar-browse-deleted');
  await page.locator('#browse-undo').click();
  await page.getByText('Deletion undone: the note and its cards are back, with their progress.').waitFor();
  await page.waitForFunction(() => document.querySelector('#hit-count')?.textContent === '1 card');
  assert.equal(await page.locator('#deleted-note').count(), 0, 'nothing left to offer back');
  assert.equal(await row.locator('p.small.muted').last().innerText(), status, 'its progress is back');
  await page.context().close();
});
