// A unit signed off and acknowledged (issue 14), phone at 390 × 844 against the real centre.
// The assessor cannot sign the unit off while a criterion lacks accepted evidence (refused in a
// sentence); once an accepted item meets every criterion they sign it off on the unit's page;
// the phone's Unit view shows it after a sync, the learner acknowledges it by typing their
// name (keyboard only, the page does not reload), and after the next sync the centre's pages
// say it was acknowledged. axe-core runs on each phone step.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { openApp, checkPhoneScreen, repoRoot, explainFailures } from './lib.mjs';
import {
  startCentreAndPhone, centreBin, api, decideOnCentre, signInOnPhone, syncNowUntilNothingWaits,
} from './centre.mjs';

const UNIT = 'negotiate';
let session;
let centre;
let preview;
let browser;
let page;
explainFailures(() => ({ page, preview }));

before(async () => {
  session = await startCentreAndPhone('unit-sign-off');
  ({ centre, preview, browser, page } = session);
  const enrol = spawnSync(centreBin, ['admin', 'enrol', 'lee', 'proqual-cs-l2'], { env: centre.env, encoding: 'utf8' });
  assert.equal(enrol.status, 0, enrol.stderr);
});

after(() => session?.stop());

const checkScreen = (name) => checkPhoneScreen(page, name, 'unit-sign-off');

// Every assessment criterion of the unit, from the built-in content.
function criteriaOfUnit() {
  const structure = JSON.parse(readFileSync(join(repoRoot, 'assets/content/structure/proqual-customer-service.json'), 'utf8'));
  const unit = structure.units.find((u) => u.id === UNIT);
  return unit.outcomes.flatMap((o) => o.criteria).filter((c) => c.kind === 'criterion').map((c) => c.id);
}

// Lee's tablet submits an item claiming `criteria`.
async function submit(title, criteria) {
  const signIn = await api(centre, '/v1/auth/sign-in', { body: { username: 'lee', password: 'learner password' } });
  const device = crypto.randomUUID();
  const now = Date.now();
  const push = await api(centre, '/v1/sync/push', {
    token: signIn.json.token,
    body: {
      device_id: device, first_seq: 1,
      changes: [{ seq: 1, id: crypto.randomUUID(), time_ms: now, body: { t: 'evidence_put', v: {
        id: crypto.randomUUID(), kind: 'reflective_account', template_id: 'reflective-account', title,
        fields: { situation: 'A customer wanted a later delivery date.' }, criteria,
        attachments: [], learner_status: 'submitted', updated_ms: now,
        hlc: { wall_ms: now, counter: 0, node: device },
      } } }],
    },
  });
  assert.equal(push.status, 200, JSON.stringify(push.json));
}

// The assessor's desktop page on the centre, signed in, at Lee's unit page.
async function assessorAtUnit() {
  const assessor = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await assessor.goto(`${centre.url}/`);
  await assessor.getByLabel('User name').fill('ann');
  await assessor.getByLabel('Password').fill('assessor password');
  await assessor.getByRole('button', { name: 'Sign in' }).click();
  await assessor.getByRole('link', { name: 'Lee Learner' }).first().click();
  await assessor.locator(`a[href$="/matrix/${UNIT}"]`).click();
  await assessor.locator('#unit-sign-off').waitFor();
  return assessor;
}

test('the assessor signs a unit off only when it is met; the learner acknowledges it on the phone', async () => {
  const all = criteriaOfUnit();
  await submit('Delivery date agreed', all.slice(0, 2));
  await decideOnCentre(browser, centre, 'Delivery date agreed', 'Accept', 'Clear and calm.');
  let assessor = await assessorAtUnit();
  await assessor.getByRole('button', { name: 'Sign this unit off' }).click();
  await assessor.getByText('cannot be signed off yet: no accepted evidence meets').waitFor();
  await assessor.close();

  await submit('Whole negotiation observed', all);
  await decideOnCentre(browser, centre, 'Whole negotiation observed', 'Accept', 'Every step shown.');
  assessor = await assessorAtUnit();
  await assessor.getByRole('button', { name: 'Sign this unit off' }).click();
  await assessor.getByText('waiting for the learner to acknowledge it').waitFor();
  await assessor.close();

  await openApp(page, preview.url);
  await signInOnPhone(page, centre);
  await syncNowUntilNothingWaits(page);
  await page.goto(`${preview.url}/units/${UNIT}`);
  const state = page.locator('#unit-sign-off-state');
  await state.filter({ hasText: 'waiting for the learner to acknowledge it' }).waitFor();
  assert.equal(await state.getAttribute('data-state'), 'awaiting');
  await checkScreen('awaiting');

  // Keyboard only: a wrong name is refused in a sentence; the page never reloads.
  await page.evaluate(() => { window.notReloaded = true; });
  await page.locator('#acknowledge-name').focus();
  await page.keyboard.type('Lee');
  await page.keyboard.press('Enter');
  await page.locator('#acknowledge-unit .error').waitFor();
  assert.match(await page.locator('#acknowledge-unit .error').textContent(), /exactly as it is given/);
  assert.equal(await page.locator('#acknowledge-name').getAttribute('aria-invalid'), 'true');
  await page.locator('#acknowledge-name').fill('');
  await page.locator('#acknowledge-name').focus();
  await page.keyboard.type('Lee Learner');
  await page.keyboard.press('Enter');
  await state.filter({ hasText: 'acknowledged by Lee Learner' }).waitFor();
  assert.equal(await page.evaluate(() => window.notReloaded), true, 'the form did not reload the page');
  assert.equal(await page.locator('#acknowledge-unit').count(), 0);
  await checkScreen('acknowledged');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await syncNowUntilNothingWaits(page);
  assessor = await assessorAtUnit();
  await assessor.getByText('acknowledged by Lee Learner on').waitFor();
  await assessor.goBack();
  await assessor.locator('.unit-sign-off[data-state="acknowledged"]').waitFor();
  await assessor.close();
});
