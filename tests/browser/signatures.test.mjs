// Signatures on the phone at 390 × 844 (issue 14). An item's page shows its signature log as
// the core reads it — who, in which part, how (drawn, typed, signed in to the centre), when,
// and Verified / Voided / Altered for each event — and the assessor's signed decision arrives
// in it by sync from the real centre. A witness signs a statement once by drawing and once by
// typing their name with the keyboard alone; an edit after each signature voids it, and the
// log says so. axe-core runs on every step.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  openApp, tab, checkPhoneScreen, PHONE, screenshot, assertNoHorizontalScroll, assertAccessible, explainFailures,
} from './lib.mjs';
import {
  startCentreAndPhone, decideOnCentre, signInOnPhone, syncNowUntilNothingWaits,
} from './centre.mjs';

let session;
let centre;
let preview;
let browser;
let page;
explainFailures(() => ({ page, preview }));

before(async () => {
  session = await startCentreAndPhone('signatures');
  ({ centre, preview, browser, page } = session);
});

after(() => session?.stop());

const checkScreen = (name) => checkPhoneScreen(page, name, 'signatures');

async function saved() {
  await page.locator('#save-state', { hasText: 'Saved on this device' }).waitFor();
}

async function startTemplate(id) {
  await page.goto(`${preview.url}/evidence`);
  await page.locator(`#start-${id}`).click();
  await page.locator('#evidence-heading').waitFor();
}

async function linkCriterion(idText) {
  await page.locator('#criteria-picker summary').click();
  await page.locator(`#criteria-picker input[value="${idText}"]`).check();
  await page.locator(`#chosen-criteria li[data-criterion="${idText}"]`).waitFor();
}

// The statuses of the log's lines, oldest first, as "Action:Status".
async function logLines() {
  return page.locator('#signature-log li').evaluateAll((items) => items.map(
    (li) => `${li.querySelector('strong')?.textContent}:${li.dataset.status}`,
  ));
}

test('an item shows its signature log: the learner\'s declaration, then the assessor\'s signed decision by sync', async () => {
  await openApp(page, preview.url);
  await startTemplate('reflective-account');
  const title = 'Queue at the service desk';
  await page.locator('#evidence-title').fill(title);
  await page.locator('#field-situation').fill('Two tills were down on a Saturday.');
  await page.locator('#field-task').fill('Keep the queue moving.');
  await page.locator('#field-action').fill('I opened the service desk as a till.');
  await page.locator('#field-result').fill('The queue cleared in ten minutes.');
  await page.locator('#field-do_differently').fill('Call the stockroom for help sooner.');
  await saved();
  await linkCriterion('negotiate/lo4/ac4.1');
  assert.equal(await page.locator('#signatures').count(), 0, 'no log before anyone signs');

  // Signing happens in the app: the form must not submit and reload the page (a reload
  // would drop this marker).
  await page.evaluate(() => { window.notReloaded = true; });
  // A blank name is refused at the box, as every signing box does, so a screen reader ties
  // the core's sentence to the name it is about.
  await page.locator('#declaration-name').press('Enter');
  const refusal = page.locator('#declaration [role=alert]');
  await refusal.waitFor();
  assert.match(await refusal.innerText(), /full name before signing/);
  assert.equal(await page.locator('#declaration-name').getAttribute('aria-invalid'), 'true', 'the refusal is announced at the box');
  const describedBy = await page.locator('#declaration-name').getAttribute('aria-describedby');
  assert.ok(describedBy.split(' ').includes(await refusal.getAttribute('id')), 'the box is described by its refusal');
  await page.locator('#declaration-name').fill('Lee Learner');
  await page.locator('#declaration-name').press('Enter');
  await page.locator('#declaration').waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => window.notReloaded), true, 'the declaration form reloaded the page');
  await page.locator('#submit-evidence').click();
  await page.locator('#submitted-state').waitFor();

  const log = page.locator('#signatures');
  await log.waitFor();
  assert.match(await page.locator('#signatures-state').innerText(), /^Verified/);
  assert.deepEqual(await logLines(), ['Signed:Verified']);
  const learnerLine = await page.locator('#signature-log li').first().innerText();
  assert.match(learnerLine, /Signed by Lee Learner \(the learner\)/);
  assert.match(learnerLine, /typed name/);
  assert.match(learnerLine, /declares this is their own work \(declaration version \d+\)/);
  assert.match(learnerLine, /\d{4}, \d\d:\d\d/, 'the time it was signed');
  assert.match(await page.locator('#signatures-next').innerText(), /the assessor signs the assessment decision/);
  await log.scrollIntoViewIfNeeded();
  await checkScreen('learner-signed');

  // The item goes to the centre; the assessor accepts it there, signed in to their account.
  await signInOnPhone(page, centre);
  await syncNowUntilNothingWaits(page);
  await decideOnCentre(browser, centre, title, 'Accept', 'A clear account.');
  // The declaration went with it: the centre's learner page says which version Lee signed.
  const assessor = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await assessor.goto(`${centre.url}/`);
  await assessor.getByLabel('User name').fill('ann');
  await assessor.getByLabel('Password').fill('assessor password');
  await assessor.getByRole('button', { name: 'Sign in' }).click();
  await assessor.getByRole('link', { name: 'Lee Learner' }).first().click();
  assert.match(
    await assessor.locator('#declaration').innerText(),
    /Declaration of authenticity: version \d+, signed by Lee Learner \(typed name\) on/,
  );
  await assessor.close();
  await syncNowUntilNothingWaits(page);
  // Today shows the assessor's feedback; it opens the item.
  await tab(page, 'Today');
  await page.getByRole('button', { name: `${title}: open the feedback` }).click();
  await page.locator('#evidence-heading', { hasText: title }).waitFor();
  await page.locator('#signature-log li:nth-child(2)').waitFor({ timeout: 30_000 });
  assert.deepEqual(await logLines(), ['Signed:Verified', 'Signed:Verified']);
  const assessorLine = await page.locator('#signature-log li').nth(1).innerText();
  assert.match(assessorLine, /Signed by Ann Assessor \(the assessor\)/);
  assert.match(assessorLine, /signed in to the centre/);
  assert.match(assessorLine, /signs the assessment decision \(accepted\)/);
  assert.match(await page.locator('#signatures-state').innerText(), /^Verified/);
  assert.equal(await page.locator('#signatures-next').count(), 0, 'nobody signs after the assessor');
  await page.locator('#signatures').scrollIntoViewIfNeeded();
  await checkScreen('assessor-signed');
});

test('a witness signs once by drawing and once by typing their name; each edit after signing voids it', async () => {
  await startTemplate('witness-testimony');
  await linkCriterion('negotiate/lo3/ac3.1');
  await page.locator('#witness-next').click();
  await page.locator('#hand-over').click();
  await page.locator('#witness-heading').waitFor();
  const details = {
    'field-witness_name': 'Priya Shah',
    'field-witness_role': 'Store manager',
    'field-witness_relationship': 'My line manager',
    'field-witness_contact': 'priya.shah@example.com',
  };
  for (const [id, value] of Object.entries(details)) await page.locator(`#${id}`).fill(value);
  for (const date of await page.locator('.witness input[type=date]').all()) await date.fill('2026-11-20');
  for (const area of await page.locator('.witness textarea').all()) {
    await area.fill('They listened first, then offered a swap that suited the customer.');
  }
  await saved();
  await checkScreen('witness-form');

  // Drawn with the mouse.
  const pad = page.locator('#signature-pad');
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  const at = (fx, fy) => [box.x + box.width * fx, box.y + box.height * fy];
  await page.mouse.move(...at(0.1, 0.6));
  await page.mouse.down();
  for (const [fx, fy] of [[0.25, 0.3], [0.4, 0.7], [0.6, 0.35], [0.85, 0.6]]) {
    await page.mouse.move(...at(fx, fy), { steps: 4 });
  }
  await page.mouse.up();
  await page.waitForFunction(() => document.querySelectorAll('#signature-pad path.stroke').length >= 1);
  await page.locator('#sign-statement').click();
  await page.locator('#signed-statement').waitFor();
  assert.match(await page.locator('#signed-how').innerText(), /drawn signature/);
  assert.deepEqual(await logLines(), ['Signed:Verified']);
  assert.match(await page.locator('#signature-log li').first().innerText(), /Signed by Priya Shah \(the witness\) · drawn signature/);
  await checkScreen('drawn-signed');

  // Edited after signing: the signature is voided, on the statement and in the log.
  await page.locator('#reopen-statement').click();
  await page.locator('#reopen-confirm').click();
  await page.locator('#void-warning').waitFor();
  await page.locator('.witness textarea').first().fill('They listened first, then offered a fair swap.');
  await page.locator('#signature-voided').waitFor();
  await page.locator('#witness-cancel').click();
  await page.locator('#signatures').waitFor();
  assert.deepEqual(await logLines(), ['Signed:Voided', 'Voided:Verified']);
  assert.match(await page.locator('#signatures-next').innerText(), /the witness confirms this is what they saw/);
  await checkScreen('drawn-voided');

  // Typed, by keyboard alone: a name that is not theirs is refused in words, theirs signs.
  await page.locator('#hand-over').click();
  await page.locator('#witness-heading').waitFor();
  await page.locator('#witness-typed-name').focus();
  await page.keyboard.type('Priya');
  await page.keyboard.press('Enter');
  await page.locator('[role=alert]', { hasText: 'Type your name exactly as it is given above ("Priya Shah")' }).waitFor();
  assert.equal(await page.locator('#witness-typed-name').getAttribute('aria-invalid'), 'true', 'the refusal is announced at the box');
  await checkScreen('typed-refused');
  await page.locator('#witness-typed-name').focus();
  await page.keyboard.press('End');
  await page.keyboard.type(' Shah');
  await page.keyboard.press('Enter');
  await page.locator('#signed-statement').waitFor();
  assert.match(await page.locator('#signed-heading').innerText(), /Signed by Priya Shah/);
  assert.match(await page.locator('#signed-how').innerText(), /typed name/);
  assert.match(await page.locator('.signature-view svg text').textContent(), /^Priya Shah$/);
  assert.deepEqual(await logLines(), ['Signed:Voided', 'Voided:Verified', 'Signed:Verified']);
  assert.match(await page.locator('#signature-log li').nth(2).innerText(), /Signed by Priya Shah \(the witness\) · typed name/);
  await checkScreen('typed-signed');

  // Edited again: the typed signature is voided too.
  await page.locator('#reopen-statement').click();
  await page.locator('#reopen-confirm').click();
  await page.locator('#void-warning').waitFor();
  await page.locator('#field-witness_role').fill('Deputy store manager');
  await page.locator('#signature-voided').waitFor();
  await page.locator('#witness-cancel').click();
  await page.locator('#signatures').waitFor();
  assert.deepEqual(
    await logLines(),
    ['Signed:Voided', 'Voided:Verified', 'Signed:Voided', 'Voided:Verified'],
  );
  assert.match(await page.locator('#signatures-state').innerText(), /^Verified/);
  await checkScreen('typed-voided');
});

test('the witness confirms by the centre\'s one-time link, and the phone shows it after sync', async () => {
  await startTemplate('witness-testimony');
  // A testimony is listed by its witness and what they saw (core listed_title).
  const title = 'Witness: Rosa Lane';
  await linkCriterion('negotiate/lo3/ac3.1');
  await page.locator('#witness-next').click();
  await page.locator('#hand-over').click();
  await page.locator('#witness-heading').waitFor();
  const details = {
    'field-witness_name': 'Rosa Lane',
    'field-witness_role': 'Duty manager',
    'field-witness_relationship': 'Shift lead, not related',
    'field-witness_contact': 'rosa.lane@example.com',
  };
  for (const [id, value] of Object.entries(details)) await page.locator(`#${id}`).fill(value);
  for (const date of await page.locator('.witness input[type=date]').all()) await date.fill('2026-11-21');
  for (const area of await page.locator('.witness textarea').all()) {
    await area.fill('They checked the receipt, refunded the card and apologised.');
  }
  await saved();
  await page.locator('#witness-typed-name').fill('Rosa Lane');
  await page.locator('#witness-typed-name').press('Enter');
  await page.locator('#signed-statement').waitFor();
  await page.locator('#submit-evidence').click();
  await page.locator('#submitted-state').waitFor();
  await tab(page, 'Settings');
  await syncNowUntilNothingWaits(page);

  // The assessor asks the witness from the item page. This centre has no mail relay, so the
  // page says so and shows the link to pass on.
  // bypassCSP lets axe's script in; the centre's pages forbid inline scripts.
  const assessor = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  await assessor.goto(`${centre.url}/`);
  await assessor.getByLabel('User name').fill('ann');
  await assessor.getByLabel('Password').fill('assessor password');
  await assessor.getByRole('button', { name: 'Sign in' }).click();
  await assessor.getByRole('link', { name: 'Evidence queue' }).click();
  await assessor.getByRole('link', { name: title }).click();
  assert.match(await assessor.locator('#witness-confirmation').innerText(), /Confirmation not requested/);
  const itemUrl = assessor.url();
  assert.equal(await assessor.getByLabel('Witness\'s email address').inputValue(), 'rosa.lane@example.com');
  await assertAccessible(assessor, 'centre-witness-ask');
  await assessor.getByRole('button', { name: 'Ask the witness to confirm' }).click();
  assert.match(await assessor.locator('#delivery').innerText(), /no mail relay set/);
  const link = await assessor.locator('#witness-link').inputValue();
  assert.match(link, /\/witness\/[0-9a-f]{64}$/);

  // The witness opens it at phone size, with no account, and confirms by typing their name.
  const witnessContext = await browser.newContext({ viewport: PHONE, bypassCSP: true });
  const witness = await witnessContext.newPage();
  await witness.goto(link);
  await witness.getByRole('heading', { name: 'Confirm your witness statement' }).waitFor();
  assert.match(await witness.locator('#statement').innerText(), /They checked the receipt, refunded the card and apologised\./);
  await assertNoHorizontalScroll(witness, 'witness-link');
  await assertAccessible(witness, 'witness-link');
  await screenshot(witness, 'signatures-witness-link');
  const confirm = witness.locator('form', { has: witness.getByRole('button', { name: 'Confirm this is what I saw' }) });
  await confirm.getByLabel(/Type your name/).fill('Rosa Lane');
  await confirm.getByRole('button', { name: 'Confirm this is what I saw' }).click();
  await witness.locator('#answered', { hasText: 'You have confirmed the statement.' }).waitFor();
  await assertAccessible(witness, 'witness-confirmed');
  await witness.goto(link);
  assert.match(await witness.locator('#problem').innerText(), /already been used/);
  await witnessContext.close();

  // Back to the item page (the request's answer page is where the form's POST left it).
  await assessor.goto(itemUrl);
  assert.match(await assessor.locator('#witness-confirmation').innerText(), /Confirmed by the witness/);
  await assessor.close();

  // The phone hears of it in the next sync: its item page says so beside the signature.
  await tab(page, 'Settings');
  await syncNowUntilNothingWaits(page);
  await page.goto(`${preview.url}/evidence`);
  await page.locator('.witness-confirmation', { hasText: 'Confirmed by the witness' }).waitFor({ timeout: 60_000 });
  await page.getByText(title).first().click();
  await page.locator('#witness-confirmation').waitFor({ timeout: 30_000 });
  assert.match(await page.locator('#witness-confirmation').innerText(), /^Confirmed by the witness: Rosa Lane confirmed on/);
  assert.match(await page.locator('#signature-log li').last().innerText(), /Confirmed by Rosa Lane \(the witness\) · typed name/);
  assert.match(await page.locator('#signatures-state').innerText(), /^Verified/);
  await page.locator('#signatures').scrollIntoViewIfNeeded();
  await checkScreen('witness-confirmed');
});
