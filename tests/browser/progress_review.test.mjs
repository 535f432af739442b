// The apprentice signs a progress review on the phone at 390×844: the provider records a
// review on the centre; after a sync Today says it waits for the learner's signature; the
// review page shows what it says and who signs next; a name that is not theirs is refused at
// the box; their name signs it (keyboard only), and the employer is next, on the phone and on
// the centre after the next sync. The provider then corrects the review: the phone says so in
// words, shows the learner's signature set aside, and the learner signs again.
// The review form on the centre opens pre-filled with what changed since the last signed
// review (here the programme's start): the period, hours against the plan, and the knowledge
// strength the phone measured and sent; the phone shows the same figures, frozen into the
// review it signs.
// Axe finds nothing serious on each screen. Screenshots in test-output/progress-review-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, tab, screenshot, assertAccessible, checkPhoneScreen as checkScreen, explainFailures } from './lib.mjs';
import { startCentreAndPhone, signInOnPhone, syncNowUntilNothingWaits } from './centre.mjs';

let session;
let centre;
let preview;
let browser;
let page;
let staff;
explainFailures(() => ({ page, preview }));

// A day as the core writes it: "5 January 2026".
function longDay(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
}

// The period the first review covers, as the core says it.
const firstPeriod = () =>
  `Since the programme started (no signed review before): ${longDay(-70)} to ${longDay(0)}.`;

function isoDay(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

async function sync() {
  await tab(page, 'Today');
  await syncNowUntilNothingWaits(page);
}

// The assessor's page for Lee's review (the only one), on the centre.
async function openReviewOnCentre() {
  await staff.goto(`${centre.url}/`);
  await staff.getByRole('link', { name: 'Hours', exact: true }).click();
  await staff.getByRole('link', { name: 'Lee Learner' }).click();
  await staff.locator('a[href*="/reviews/"]').first().click();
  await staff.locator('#signing').waitFor();
}

before(async () => {
  session = await startCentreAndPhone('progress-review');
  ({ centre, preview, browser, page } = session);
  // bypassCSP lets axe's script in; the centre's own policy forbids inline scripts.
  staff = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
});

after(() => session?.stop());

test('a review recorded on the centre reaches the phone, waiting for the learner', async () => {
  await openApp(page, preview.url);
  await signInOnPhone(page, centre);
  await sync();
  await tab(page, 'Today');
  assert.equal(await page.locator('#reviews-notice').count(), 0, 'nothing to sign, nothing shown');
  // Enrolled by the centre, the phone sends each unit's knowledge strength when it syncs (once
  // a day): the first sync brings the enrolment, the next measures and sends.
  centre.admin(['enrol', 'lee', 'proqual-cs-l2', '--unit', 'negotiate']);
  await sync();
  await sync();

  await staff.goto(`${centre.url}/`);
  await staff.getByLabel('User name').fill('ann');
  await staff.getByLabel('Password').fill('assessor password');
  await staff.getByRole('button', { name: 'Sign in' }).click();
  await staff.getByRole('link', { name: 'Hours', exact: true }).click();
  await staff.getByRole('link', { name: 'Lee Learner' }).click();
  await staff.locator('input[name="start"]').fill(isoDay(-70));
  await staff.locator('input[name="planned_end"]').fill(isoDay(300));
  await staff.getByRole('button', { name: 'Save programme' }).click();
  // The form opens with what changed since the last signed review: none yet, so since the start.
  const since = staff.locator('section.since-last');
  await since.waitFor();
  assert.equal(await since.locator('.since-period').innerText(), firstPeriod());
  assert.match(await since.locator('.since-hours').innerText(),
    /^0 min logged in this period \(0 min confirmed\) against \d+ h( \d+ min)? planned; 0 min logged to date against \d+ h( \d+ min)? planned\.$/);
  const unit = since.locator('.since-unit[data-unit="negotiate"]');
  assert.equal(await unit.locator('.since-submitted').innerText(), 'Submitted: 0');
  assert.equal(await unit.locator('.since-strength').innerText(),
    `Knowledge strength: 0% on ${longDay(0)} (not measured before this period)`);
  assert.match(await since.innerText(), /None: there is no signed review before this one\./);
  assert.equal(await staff.locator('input[name="held_on"]').inputValue(), isoDay(0), 'held today unless changed');
  await assertAccessible(staff, 'the review form, pre-filled');
  await staff.locator('input[name="held_on"]').fill(isoDay(0));
  await staff.locator('textarea[name="progress"]').fill('Negotiation unit under way');
  await staff.locator('textarea[name="targets"]').fill('Finish the negotiation unit');
  await staff.getByRole('button', { name: 'Record review' }).click();
  await staff.locator('#review-standing').waitFor();

  await sync();
  await page.locator('#reviews-to-sign-link').getByText('1 review is waiting for your signature').waitFor();
  await checkScreen(page, 'Today with a review to sign');
  await page.locator('#reviews-to-sign-link').click();
  await page.waitForURL(/\/progress-reviews$/);
  const row = page.locator('#review-list li');
  assert.equal(await row.count(), 1);
  assert.match(await row.locator('.review-turn').innerText(), /^Waiting for your signature: you sign first, then your employer, then your training provider\.$/);
  await checkScreen(page, 'the list of reviews');
  await screenshot(page, 'progress-review-list');
});

test('the review shows what it says; a wrong name is refused, the learner signs by keyboard', async () => {
  await page.locator('#review-list a').first().click();
  await page.waitForURL(/\/progress-reviews\/[^/]+$/);
  const says = await page.locator('#review-says').innerText();
  assert.match(says, /Negotiation unit under way/);
  assert.match(says, /Finish the negotiation unit/);
  assert.equal(await page.locator('#review-signing').innerText(), 'Waiting for the learner to sign.');
  assert.match(await page.locator('#review-sign-hint').innerText(), /Lee Learner/);
  // The figures the form opened with, frozen into the review the learner signs.
  assert.equal(await page.locator('#since-period').innerText(), firstPeriod());
  assert.equal(await page.locator('.since-unit[data-unit="negotiate"] .since-strength').innerText(),
    `Knowledge strength: 0% on ${longDay(0)} (not measured before this period)`);
  assert.match(await page.locator('#since-hours').innerText(), /^0 min logged in this period/);
  await checkScreen(page, 'a review to sign');
  await screenshot(page, 'progress-review-to-sign');

  // Keyboard only: focus the box, type, press Enter.
  await page.locator('#review-sign-name').focus();
  await page.keyboard.type('Lee');
  await page.keyboard.press('Enter');
  await page.locator('#review-sign-error').getByText('Type your name exactly as it is given above ("Lee Learner") to sign.').waitFor();
  assert.equal(await page.locator('#review-sign-name').getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#review-sign-name').getAttribute('aria-describedby'), /review-sign-error/);
  await checkScreen(page, 'a refused name');

  await page.locator('#review-sign-name').fill('');
  await page.locator('#review-sign-name').focus();
  await page.keyboard.type('Lee Learner');
  await page.keyboard.press('Enter');
  await page.locator('#review-turn').getByText('You have signed. Next to sign: the employer.').waitFor();
  assert.equal(await page.locator('#review-sign').count(), 0, 'no form once the learner has signed');
  assert.equal(await page.locator('#review-signing').innerText(), 'Waiting for the employer to sign.');
  assert.match(await page.locator('#review-signature-log li').first().innerText(), /^Signed by Lee Learner \(the learner\) \(typed name\) · /);
  await checkScreen(page, 'a review signed by the learner');
});

test('the signature reaches the centre; a correction there sets it aside and the learner signs again', async () => {
  await sync();
  await openReviewOnCentre();
  assert.equal(await staff.locator('#signing').innerText(), 'Waiting for the employer to sign.');
  assert.match(await staff.locator('#signatures').innerText(), /Signed by Lee Learner \(the learner\) \(typed name\)/);

  await staff.locator('textarea[name="targets"]').fill('Finish the negotiation unit and start unit 3');
  await staff.getByRole('button', { name: 'Save the correction' }).click();
  await staff.locator('#signing').getByText('Changed after it was signed, so it is signed again: waiting for the learner.').waitFor();

  await sync();
  await page.locator('#reviews-to-sign-link').click();
  await page.locator('#review-list a').first().click();
  await page.locator('#review-turn').getByText(/^The review was corrected after it was signed, so every signature was set aside\./).waitFor();
  assert.match(await page.locator('#review-says').innerText(), /start unit 3/);
  const log = page.locator('#review-signature-log li');
  assert.equal(await log.count(), 2);
  assert.equal(await log.first().getAttribute('data-voided'), 'true');
  assert.match(await log.first().innerText(), /Set aside by a later correction/);
  assert.match(await log.nth(1).innerText(), /^Voided by Ann Assessor \(the training provider\): /);
  await checkScreen(page, 'a corrected review');
  await screenshot(page, 'progress-review-corrected');

  await page.locator('#review-sign-name').fill('lee learner');
  await page.locator('#review-sign-button').click();
  await page.locator('#review-turn').getByText('You have signed. Next to sign: the employer.').waitFor();
  await sync();
  await openReviewOnCentre();
  assert.equal(await staff.locator('#signing').innerText(), 'Waiting for the employer to sign.');
});
