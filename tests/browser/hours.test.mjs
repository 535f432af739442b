// The apprentice's off-the-job hours at phone size (390×844), offline first: set the
// programme, log an entry, see an overlapping one refused at its field, delete and undo, link
// an entry to the evidence it produced, then sign in to the real centre, sync, have the
// assessor confirm the entry on the centre's pages, and see the confirmation come back after
// the next sync; the employer, by a one-time link, queries an entry the assessor has not
// decided (a query without a reason refused first), and the phone shows it. A revision
// session is logged with one tap from its summary. The provider records a progress review,
// and the phone's next due date moves on. The same screen is
// checked at 360×640. Screenshots in test-output/hours-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  newPage, openApp, tab, screenshot, assertAccessible, checkPhoneScreen as checkScreen, explainFailures,
} from './lib.mjs';
import { startCentreAndPhone, syncNowUntilNothingWaits as syncNow } from './centre.mjs';

let session;
let centre;
let preview;
let browser;
let page;
explainFailures(() => ({ page, preview }));

// A date `days` from today as the date inputs take it (local time, as the app counts days).
function isoDay(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

async function fillEntry({ date, start, hours, minutes, activity, description }) {
  await page.locator('#hours-date').fill(date);
  await page.locator('#hours-start').fill(start);
  await page.locator('#hours-duration').fill(hours);
  await page.locator('#hours-minutes').fill(minutes);
  await page.locator('#hours-activity').selectOption({ label: activity });
  await page.locator('#hours-description').fill(description);
}

async function syncNowUntilNothingWaits() {
  await tab(page, 'Today');
  await syncNow(page);
}

before(async () => {
  session = await startCentreAndPhone('hours');
  ({ centre, preview, browser, page } = session);
});

after(() => session?.stop());

const yesterday = isoDay(-1);

test('hours are reached from Today and start with the programme', async () => {
  await openApp(page, preview.url);
  await page.locator('#hours-link').click();
  await page.waitForURL(/\/hours$/);
  await page.locator('#programme-form').waitFor();
  await checkScreen(page, 'hours without a programme');
  await page.locator('#programme-start').fill(isoDay(-70));
  await page.locator('#programme-end').fill(isoDay(300));
  await page.locator('#programme-hours').fill('187');
  await page.locator('#save-programme').click();
  await page.locator('#hours-progress').waitFor();
  assert.match(await page.locator('#programme-facts').innerText(), /187 h in all/);
  assert.match(await page.locator('#review-standing').innerText(), /^The next progress review is due by /);
  // Ten weeks in with nothing logged is behind the plan, and the chart says so in words.
  assert.match(await page.locator('#behind-plan').innerText(), /^You are .* behind your plan/);
  assert.match(await page.locator('#hours-chart').getAttribute('aria-label'), /^Hours chart over 1[01] weeks: 0 min logged/);
});

test('an entry is logged, an overlapping one is refused at its field, and undo works', async () => {
  await page.locator('#log-hours').click();
  await fillEntry({
    date: yesterday, start: '09:00', hours: '1', minutes: '0',
    activity: 'Taught session', description: 'Negotiation workshop at college',
  });
  await page.locator('#save-hours').click();
  await page.locator('#hours-notice').getByText(/^Logged 1 h of taught session on /).waitFor();
  await page.locator('#hours-list > li').first().getByText('Waiting for your assessor').waitFor();
  assert.equal(await page.locator('#hours-logged').innerText(), '1 h');

  await page.locator('#log-hours').click();
  await fillEntry({
    date: yesterday, start: '09:30', hours: '0', minutes: '45',
    activity: 'Self-study', description: 'Read the negotiation notes',
  });
  const overlap = page.locator('#hours-start-problems');
  await overlap.getByText(/^This entry overlaps your taught session entry on .* from 09:00 to 10:00\./).waitFor();
  assert.equal(await page.locator('#hours-start').getAttribute('aria-invalid'), 'true');
  await checkScreen(page, 'hours form with an overlap');
  await screenshot(page, 'hours-overlap-refused');
  await page.locator('#save-hours').click();
  await page.locator('#hours-save-error').getByText(/^This entry overlaps/).waitFor();
  assert.equal(await page.locator('#hours-list > li').count(), 1, 'the refused entry is not saved');

  // A date in the future is said at the date.
  await page.locator('#hours-date').fill(isoDay(2));
  await page.locator('#hours-date-problems').getByText(/is in the future\. Log hours once they have happened\./).waitFor();
  await page.locator('#cancel-hours').click();

  // Delete, then Undo brings it back.
  await page.getByRole('button', { name: /^Delete Taught session on / }).click();
  await page.locator('#no-hours').waitFor();
  await page.locator('#undo-hours').click();
  await page.locator('#hours-notice').getByText('Undone: the entry is back.').waitFor();
  assert.equal(await page.locator('#hours-list > li').count(), 1);
  await checkScreen(page, 'hours list');
  await screenshot(page, 'hours-list-offline');
});

test('the hours screen fits a small phone', async () => {
  const small = await newPage(browser, { width: 360, height: 640 });
  await small.goto(`${preview.url}/hours`);
  await small.locator('#hours-list').waitFor();
  await small.locator('#log-hours').click();
  await checkScreen(small, 'hours at 360×640');
  await small.close();
});

test('an entry links the evidence the training produced, and the link opens it', async () => {
  await tab(page, 'Today');
  await page.locator('#capture').click();
  await page.waitForFunction(() => document.activeElement?.id === 'field-note');
  await page.keyboard.type('Practised the negotiation role play with my mentor.');
  await page.locator('#save-state', { hasText: 'Saved on this device' }).waitFor();
  const itemPath = new URL(page.url()).pathname;
  await tab(page, 'Today');
  await page.locator('#hours-link').click();
  await page.getByRole('button', { name: /^Change Taught session on / }).click();
  await page.locator('#hours-evidence summary').click();
  await page.getByLabel(/^Practised the negotiation role play/).check();
  await page.locator('#hours-evidence summary').getByText('Evidence from this training (1 linked)').waitFor();
  await checkScreen(page, 'hours form with evidence to link');
  await page.locator('#save-hours').click();
  const link = page.locator('#hours-list > li').filter({ hasText: 'Negotiation workshop at college' })
    .locator('.hours-evidence-links a');
  await link.getByText(/^Practised the negotiation role play/).waitFor();
  await checkScreen(page, 'hours list with a linked item');
  await link.click();
  await page.waitForURL((u) => u.pathname === itemPath);
  // Changing the entry again keeps the link ticked.
  await tab(page, 'Today');
  await page.locator('#hours-link').click();
  await page.getByRole('button', { name: /^Change Taught session on / }).click();
  assert.notEqual(await page.locator('#hours-evidence').getAttribute('open'), null, 'open while the entry has links');
  assert.equal(await page.getByLabel(/^Practised the negotiation role play/).isChecked(), true);
  await page.locator('#cancel-hours').click();
});

test('a revision session is logged with one tap, its time taken from the session', async () => {
  // Revision happens at any hour; widen the working day so the check passes whenever this
  // runs (only a session ending in the minute before midnight would still be refused).
  await page.locator('#change-programme').click();
  await page.locator('#programme-day-start').fill('00:00');
  await page.locator('#programme-day-end').fill('23:59');
  await page.locator('#save-programme').click();
  await page.locator('#change-programme').waitFor();
  assert.match(await page.locator('#programme-facts').innerText(), /00:00 to 23:59/);

  await tab(page, 'Cards');
  await page.locator('#deck-name').fill('My revision');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByText('Deck "My revision" created.').waitFor();
  await page.locator('#add-card-link').click();
  await page.locator('#deck-select').selectOption({ label: 'My revision' });
  await page.locator('#kind-cloze').check();
  await page.locator('#field-text').fill('Know your {{c1::BATNA}} before you negotiate.');
  await page.locator('#save-card').click();
  await page.getByText('Added 1 card.').waitFor();
  await tab(page, 'Cards');
  await page.getByRole('button', { name: 'Study My revision' }).click();
  await page.locator('#reveal').click();
  await page.locator('#answer-easy').click();
  await page.locator('#summary').waitFor();
  assert.match(await page.locator('#log-session-what').innerText(), /^As off-the-job hours: 1 min of self-study, \d\d:\d\d to \d\d:\d\d\.$/);
  await checkScreen(page, 'review summary with log session');
  await page.locator('#log-session-hours').click();
  await page.locator('#log-session').getByText(/^Logged as off-the-job hours: 1 min of self-study/).waitFor();
  await page.getByRole('link', { name: 'See your hours' }).click();
  const logged = page.locator('#hours-list > li').filter({ hasText: 'Revision in Pocketfolio: 1 card studied.' });
  await logged.getByText('Self-study').waitFor();
  assert.equal(await page.locator('#hours-list > li').count(), 2);
});

test('synced to the centre, confirmed by the assessor, and the confirmation comes back', async () => {
  await tab(page, 'Settings');
  await page.locator('#centre-url').fill(centre.url);
  await page.locator('#centre-user').fill('lee');
  await page.locator('#centre-password').fill('learner password');
  await page.locator('#sign-in').click();
  await page.locator('#signed-in-as').waitFor();
  await syncNowUntilNothingWaits();

  const assessor = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await assessor.goto(`${centre.url}/`);
  await assessor.getByLabel('User name').fill('ann');
  await assessor.getByLabel('Password').fill('assessor password');
  await assessor.getByRole('button', { name: 'Sign in' }).click();
  await assessor.getByRole('link', { name: 'Hours', exact: true }).click();
  await assessor.getByRole('link', { name: 'Lee Learner' }).click();
  const row = assessor.locator('tr[data-entry]').filter({ hasText: 'Negotiation workshop at college' });
  await row.getByRole('button', { name: 'Confirm' }).click();
  await assessor.locator('tr[data-entry] .state').getByText('Confirmed by Ann Assessor').waitFor();
  // The provider sets the programme and records a progress review held today.
  await assessor.locator('input[name="start"]').fill(isoDay(-70));
  await assessor.locator('input[name="planned_end"]').fill(isoDay(300));
  await assessor.getByRole('button', { name: 'Save programme' }).click();
  await assessor.locator('input[name="held_on"]').fill(isoDay(0));
  await assessor.locator('textarea[name="progress"]').fill('Negotiation unit under way');
  await assessor.locator('textarea[name="targets"]').fill('Finish the negotiation unit');
  await assessor.getByRole('button', { name: 'Record review' }).click();
  await assessor.locator('#review-standing').getByText(/^The next progress review is due by /).waitFor();
  // The employer is recorded, then asked by a one-time link about the hours still waiting.
  await assessor.locator('input[name="name"]').fill('Erin Shaw');
  await assessor.locator('input[name="organisation"]').fill("Shaw's Stores");
  await assessor.locator('input[name="email"]').fill('erin@shaws.example');
  await assessor.getByRole('button', { name: 'Save the employer' }).click();
  await assessor.locator('#employer-hours-form')
    .getByRole('button', { name: 'Make a link for the employer' }).click();
  const link = await assessor.locator('#employer-hours-link').inputValue();
  await assessor.close();

  // The employer, with no account: a query without a reason is refused beside its entry,
  // with every choice kept; then the answers go in, once.
  // bypassCSP lets axe's script in; the page's own policy forbids inline scripts.
  const employerContext = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
  const employer = await employerContext.newPage();
  await employer.goto(link);
  const asked = employer.locator('fieldset.hours-answer');
  assert.ok(await asked.count() >= 1);
  assert.equal(await asked.filter({ hasText: 'Negotiation workshop at college' }).count(), 0,
    'hours the assessor confirmed are not asked about');
  for (const f of await asked.all()) await f.getByLabel('They did this training').check();
  const revision = asked.filter({ hasText: 'Revision in Pocketfolio' });
  await revision.getByLabel('Query it').check();
  await employer.getByRole('button', { name: 'Send my answers' }).click();
  await revision.locator('p.error').getByText(/^Say what is wrong with the hours on /).waitFor();
  assert.ok(await revision.getByLabel('Query it').isChecked(), 'the choice is kept');
  await assertAccessible(employer, 'employer hours link refused');
  await revision.getByLabel('What is wrong (for a query)').fill('Not on the rota that day');
  await employer.getByRole('button', { name: 'Send my answers' }).click();
  await employer.locator('#answered').waitFor();
  await employerContext.close();

  await syncNowUntilNothingWaits();
  await page.locator('#hours-link').click();
  await page.locator('#hours-list > li').filter({ hasText: 'Negotiation workshop at college' })
    .getByText('Confirmed by Ann Assessor').waitFor();
  await page.locator('#hours-list > li').filter({ hasText: 'Revision in Pocketfolio' })
    .getByText('Waiting for your assessor').waitFor();
  // The employer's word is shown beside the assessor's, not in place of it.
  await page.locator('#hours-list > li').filter({ hasText: 'Revision in Pocketfolio' })
    .getByText('Queried by the employer, Erin Shaw: Not on the rota that day').waitFor();
  assert.equal(await page.locator('#hours-confirmed').innerText(), '1 h');
  // The review held today moves the next one three months on, on the phone too.
  // Calendar months as the core counts them: 30 November gives 28 February, not 2 March.
  const now = new Date();
  const next = new Date(now.getFullYear(), now.getMonth() + 3, 1);
  const lastDay = new Date(next.getFullYear(), next.getMonth() + 1, 0).getDate();
  next.setDate(Math.min(now.getDate(), lastDay));
  const long = next.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
  assert.equal(await page.locator('#review-standing').innerText(), `The next progress review is due by ${long}.`);
  await checkScreen(page, 'hours confirmed');
  await screenshot(page, 'hours-confirmed');
});
