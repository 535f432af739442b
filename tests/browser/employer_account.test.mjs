// An employer signs an apprentice's progress review with their own account, on a phone at
// 390×844: the administrator made the account (`admin create-employer`), tied to the email the
// assessor records as Lee's employer; the assessor records a review; Lee signs it on the phone
// and syncs. Erin signs in on the centre and lands on her apprentices: Lee, with the review
// waiting; Lee's page and the review (its pre-filled summary and the learner's signature); a
// name that is not hers is refused at the box; her name signs it, and the provider is next,
// as the assessor's page says too. Axe finds nothing serious on each screen, and no screen
// scrolls sideways. The learner's signature comes from the phone, which is why this journey
// runs with the phone tests. Screenshots in test-output/employer-account-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, tab, screenshot, checkPhoneScreen, PHONE, explainFailures } from './lib.mjs';
import { startCentreAndPhone, signInOnPhone, syncNowUntilNothingWaits } from './centre.mjs';

let session;
let centre;
let preview;
let browser;
let page;
let staff;
let erin;
explainFailures(() => ({ page, preview }));

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

async function signInOnCentre(p, username, password) {
  await p.goto(`${centre.url}/sign-in`);
  await p.getByLabel('User name').fill(username);
  await p.getByLabel('Password').fill(password);
  await p.getByRole('button', { name: 'Sign in' }).click();
}

before(async () => {
  session = await startCentreAndPhone('employer-account');
  ({ centre, preview, browser, page } = session);
  centre.admin(['create-employer', 'erin', '--name', 'Erin Shaw', '--email', 'erin@shaws.example',
    '--organisation', "Shaw's Stores"], 'employer password');
  // bypassCSP lets axe's script in; the centre's own policy forbids inline scripts.
  // Contexts of their own (not browser.newPage), so a screen check can open a scratch page.
  const staffContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  staff = await staffContext.newPage();
  const erinContext = await browser.newContext({ viewport: PHONE, bypassCSP: true });
  erin = await erinContext.newPage();
});

after(() => session?.stop());

test('the assessor records the employer and a review; the learner signs it on the phone', async () => {
  await openApp(page, preview.url);
  await signInOnPhone(page, centre);
  await signInOnCentre(staff, 'ann', 'assessor password');
  await staff.getByRole('link', { name: 'Hours', exact: true }).click();
  await staff.getByRole('link', { name: 'Lee Learner' }).click();
  await staff.locator('input[name="start"]').fill(isoDay(-70));
  await staff.locator('input[name="planned_end"]').fill(isoDay(300));
  await staff.getByRole('button', { name: 'Save programme' }).click();
  await staff.getByLabel('Full name').fill('Erin Shaw');
  await staff.getByLabel('Organisation').fill("Shaw's Stores");
  // The contact's address in another case still ties it to Erin's account.
  await staff.getByLabel('Email').fill('Erin@Shaws.example');
  await staff.getByRole('button', { name: 'Save the employer' }).click();
  await staff.locator('textarea[name="progress"]').fill('Negotiation unit under way');
  await staff.locator('textarea[name="targets"]').fill('Finish the negotiation unit');
  await staff.getByRole('button', { name: 'Record review' }).click();
  await staff.locator('#review-standing').waitFor();

  await sync();
  await page.locator('#reviews-to-sign-link').click();
  await page.locator('#review-list a').first().click();
  await page.waitForURL(/\/progress-reviews\/[^/]+$/);
  await page.locator('#review-sign-name').focus();
  await page.keyboard.type('Lee Learner');
  await page.keyboard.press('Enter');
  await page.locator('#review-turn').getByText('You have signed. Next to sign: the employer.').waitFor();
  await sync();
});

test('the employer signs in, finds the review waiting and signs it in turn', async () => {
  await signInOnCentre(erin, 'erin', 'employer password');
  await erin.waitForURL(/\/apprentices$/);
  const card = erin.locator('section.apprentice');
  assert.equal(await card.count(), 1, 'only her own apprentice');
  assert.match(await card.innerText(), /Lee Learner/);
  assert.equal(await card.locator('.waiting').innerText(), 'Waiting for you: 1 progress review to sign.');
  await checkPhoneScreen(erin, 'the employer\'s apprentices', 'employer-account');
  // Staff pages are not hers.
  const refused = await erin.request.get(`${centre.url}/queue`);
  assert.equal(refused.status(), 403);

  await card.getByRole('link', { name: 'Lee Learner' }).click();
  await erin.locator('ul.reviews').waitFor();
  await checkPhoneScreen(erin, 'an apprentice', 'employer-account');
  await erin.locator('ul.reviews a').first().click();
  await erin.locator('#signing').getByText('Waiting for the employer to sign.').waitFor();
  assert.match(await erin.locator('#signatures').innerText(), /Signed by Lee Learner \(the learner\)/);
  assert.match(await erin.locator('main').innerText(), /What changed since the last review/);
  await checkPhoneScreen(erin, 'a review to sign', 'employer-account');

  await erin.getByLabel(/Type your name/).fill('Somebody Else');
  await erin.getByRole('button', { name: 'Sign the review' }).click();
  await erin.locator('#problem').waitFor();
  assert.match(await erin.locator('#problem').innerText(), /Erin Shaw/);
  await checkPhoneScreen(erin, 'a wrong name refused', 'employer-account');

  await erin.getByLabel(/Type your name/).fill('Erin Shaw');
  await erin.getByRole('button', { name: 'Sign the review' }).click();
  await erin.locator('#signing').getByText('Waiting for the training provider to sign.').waitFor();
  assert.match(await erin.locator('#signatures').innerText(), /Signed by Erin Shaw \(the employer\)/);
  assert.equal(await erin.getByRole('button', { name: 'Sign the review' }).count(), 0, 'signed once');
  await checkPhoneScreen(erin, 'the review signed', 'employer-account');
  await screenshot(erin, 'employer-account-signed');

  await staff.locator('a[href*="/reviews/"]').first().click();
  await staff.locator('#signing').getByText('Waiting for the training provider to sign.').waitFor();
});
