// Sync at phone size (390×844) against the real centre binary: sign in from Settings, review a
// card, "Sync now" says Synced, an item made on another device arrives, the assessor refers it
// back on the centre's pages, and after the next sync Today shows the feedback badge; opening
// the feedback marks it read. Then the centre goes down (offline, waiting), comes back (synced
// by the backoff retries), and signing out keeps or removes the data. Screenshots in
// test-output/sync-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  repoRoot, tempDataDir, startPreview, launchBrowser, newPage, openApp, tab, screenshot, skipFirstRun,
  assertNoHorizontalScroll, assertNamedControls, assertTapTargets, assertAccessible,
} from './lib.mjs';

const centreBin = process.env.PF_CENTRE_BIN
  || join(process.env.CARGO_TARGET_DIR || join(repoRoot, 'target'), 'debug', 'pocketfolio-centre');

let centre;
let preview;
let browser;
let page;

// Serves the centre from `env`'s data folder on `port`; resolves once it answers, or with
// null if it exits (the port was taken).
async function serveCentre(env, port) {
  const child = spawn(centreBin, ['serve', '--listen', `127.0.0.1:${port}`], { env, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100 && child.exitCode === null; i++) {
    try {
      await fetch(`${url}/v1/openapi.json`);
      return { url, port, env, child };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill('SIGTERM');
  return null;
}

async function stopCentre() {
  const exited = new Promise((r) => centre.child.once('exit', r));
  centre.child.kill('SIGTERM');
  await exited;
}

// The centre on a loopback port below the ephemeral range, with a learner and an assessor.
async function startCentre() {
  const data = tempDataDir('centre');
  const env = { ...process.env, PF_DATA_DIR: data, RUST_LOG: 'warn' };
  const admin = (args, password) => {
    const r = spawnSync(centreBin, ['admin', ...args], {
      env: password ? { ...env, PF_PASSWORD: password } : env, encoding: 'utf8',
    });
    assert.equal(r.status, 0, `admin ${args.join(' ')}: ${r.stderr}`);
  };
  admin(['create', 'assessor', 'ann', '--name', 'Ann Assessor'], 'assessor password');
  admin(['create', 'learner', 'lee', '--name', 'Lee Learner'], 'learner password');
  admin(['assign', 'ann', 'lee']);
  for (let port = 27100 + Math.floor(Math.random() * 400), tries = 0; tries < 20; port++, tries++) {
    const running = await serveCentre(env, port);
    if (running) return running;
  }
  throw new Error('the centre did not start');
}

async function api(path, { token, body } = {}) {
  const res = await fetch(centre.url + path, {
    method: body ? 'POST' : 'GET',
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

// Lee's other device (a tablet) submits an item, so it reaches the phone by sync.
async function submitFromTablet(title) {
  const signIn = await api('/v1/auth/sign-in', { body: { username: 'lee', password: 'learner password' } });
  assert.equal(signIn.status, 200);
  const device = crypto.randomUUID();
  const now = Date.now();
  const push = await api('/v1/sync/push', {
    token: signIn.json.token,
    body: {
      device_id: device, first_seq: 1,
      changes: [{
        seq: 1, id: crypto.randomUUID(), time_ms: now,
        body: { t: 'evidence_put', v: {
          id: crypto.randomUUID(), kind: 'reflective_account', template_id: 'reflective-account', title,
          fields: { situation: 'A customer wanted a later delivery date.' },
          criteria: ['negotiate/lo1/ac1.1'],
          attachments: [], learner_status: 'submitted', updated_ms: now,
          hlc: { wall_ms: now, counter: 0, node: device },
        } },
      }],
    },
  });
  assert.equal(push.status, 200, JSON.stringify(push.json));
}

// Sync now, then wait until everything is sent (the line said "Synced" before, too).
async function syncNowUntilNothingWaits() {
  await page.locator('#sync-now').click();
  await page.waitForFunction(() => {
    const text = document.querySelector('#sync-state')?.textContent || '';
    return /^Synced/.test(text) && !/waiting/.test(text);
  }, null, { timeout: 30_000 });
}

before(async () => {
  centre = await startCentre();
  preview = await startPreview(tempDataDir('sync'));
  browser = await launchBrowser();
  page = await newPage(browser);
});

after(async () => {
  await browser?.close();
  await preview?.stop();
  centre?.child.kill('SIGTERM');
});

test('sign-in mistakes get a clear message', async () => {
  await openApp(page, preview.url);
  await tab(page, 'Settings');
  await page.locator('#centre-url').fill('centre.example');
  await page.locator('#centre-user').fill('lee');
  await page.locator('#centre-password').fill('learner password');
  await page.locator('#sign-in').click();
  await page.getByRole('alert').filter({ hasText: "isn't a centre address" }).waitFor();

  await page.locator('#centre-url').fill(centre.url);
  await page.locator('#centre-password').fill('wrong');
  await page.locator('#sign-in').click();
  await page.getByRole('alert').filter({ hasText: 'The username or password is wrong.' }).waitFor();
  await assertNamedControls(page, 'settings signed out');
  await assertTapTargets(page, 'settings signed out');
  await assertAccessible(page, 'settings signed out');
  await screenshot(page, 'sync-sign-in-wrong-password');
});

test('sign in, review, sync, and the assessor\'s feedback comes back to Today', async () => {
  await page.locator('#centre-url').fill(centre.url);
  await page.locator('#centre-user').fill('lee');
  await page.locator('#centre-password').fill('learner password');
  await page.locator('#sign-in').click();
  await page.locator('#signed-in-as').waitFor();
  assert.match(await page.locator('#signed-in-as').innerText(), /as Lee Learner \(lee\)/);
  assert.doesNotMatch(await page.locator('main').innerText(), /token/i);
  await page.waitForFunction(() => /^Synced/.test(document.querySelector('#sync-state')?.textContent || ''), null, { timeout: 30_000 });
  assert.match(await page.locator('#fsrs-parameters').innerText(), /Standard FSRS parameters/);
  await assertNoHorizontalScroll(page, 'settings signed in');
  await screenshot(page, 'sync-settings-signed-in');

  // Review one card: the answer waits to be sent.
  await reviewOneCard();
  assert.match(await page.locator('#sync-state').innerText(), /1 change waiting|^Sync/);
  await syncNowUntilNothingWaits();
  await screenshot(page, 'sync-today-synced');

  // An item from Lee's tablet arrives; the assessor refers it back on the centre's pages.
  const title = 'Agreed a later delivery date';
  await submitFromTablet(title);
  const assessor = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await assessor.goto(`${centre.url}/`);
  await assessor.getByLabel('User name').fill('ann');
  await assessor.getByLabel('Password').fill('assessor password');
  await assessor.getByRole('button', { name: 'Sign in' }).click();
  await assessor.getByRole('link', { name: 'Evidence queue' }).click();
  await assessor.getByRole('link', { name: title }).click();
  await assessor.getByLabel('Refer back').check();
  await assessor.getByLabel('Feedback to the learner').fill('Say what you offered in exchange.');
  await assessor.getByRole('button', { name: 'Record decision' }).click();
  await assessor.getByText('Last decision: Referred back').waitFor();
  await assessor.close();

  // The next sync brings the feedback: a badge on Today.
  await page.locator('#sync-now').click();
  await page.locator('#feedback-badge').waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('#feedback-count').innerText(), '1');
  assert.match(await page.locator('#feedback-badge').innerText(), /Say what you offered in exchange/);
  await assertNoHorizontalScroll(page, 'today with feedback');
  await assertNamedControls(page, 'today with feedback');
  await assertTapTargets(page, 'today with feedback');
  await assertAccessible(page, 'today with feedback');
  await screenshot(page, 'sync-today-feedback-badge');

  // Opening it marks it read: the badge goes.
  await page.getByRole('button', { name: `Open feedback on ${title}` }).click();
  await page.waitForURL(/\/evidence\/item\//);
  await tab(page, 'Today');
  await page.locator('#sync-state').waitFor();
  assert.equal(await page.locator('#feedback-badge').count(), 0);
});

// Answers one card from Today and comes back to Today.
async function reviewOneCard() {
  await tab(page, 'Today');
  await page.locator('#start-review').click();
  await page.locator('#reveal').click();
  await page.locator('#answer-good').click();
  await tab(page, 'Today');
}

test('work done while the centre is down waits, and goes when it is back', async () => {
  await stopCentre();
  await reviewOneCard();
  await page.waitForFunction(() => /^Offline — will retry in \d+s · 1 change waiting/
    .test(document.querySelector('#sync-state')?.textContent || ''), null, { timeout: 30_000 });
  assert.equal(await page.locator('#sync-now').innerText(), 'Retry');
  await screenshot(page, 'sync-today-offline');

  // The centre comes back; the backoff retries find it without the learner doing anything.
  centre = await serveCentre(centre.env, centre.port);
  assert.ok(centre, 'the centre restarts on its port');
  await page.waitForFunction(() => {
    const text = document.querySelector('#sync-state')?.textContent || '';
    return /^Synced/.test(text) && !/waiting/.test(text);
  }, null, { timeout: 60_000 });
});

test('sign out keeps this device\'s work', async () => {
  await tab(page, 'Settings');
  await page.locator('#sign-out').click();
  await page.getByText('Signed out. Your work stays on this device.').waitFor();
  await page.locator('#centre-url').waitFor();
  await tab(page, 'Today');
  assert.match(await page.locator('#sync-state').innerText(), /Not connected to a centre — 0 changes waiting/);
  assert.match(await page.locator('#revise-heading + *').innerText(), /[1-9]\s*learning/);
});

test('signing out with "also remove this device\'s data" asks first, then starts afresh', async () => {
  await tab(page, 'Settings');
  await page.locator('#centre-url').fill(centre.url);
  await page.locator('#centre-user').fill('lee');
  await page.locator('#centre-password').fill('learner password');
  await page.locator('#sign-in').click();
  await page.locator('#signed-in-as').waitFor();
  await page.locator('#remove-data').check();
  await page.locator('#sign-out').click();
  await page.locator('#confirm-remove').waitFor();
  await screenshot(page, 'sync-remove-data-confirm');
  await page.locator('#confirm-remove').click();
  await page.getByText("Signed out and removed this device's data.").waitFor({ timeout: 30_000 });
  await tab(page, 'Today');
  // Afresh means a new learner's first run again, with no centre; skipped here.
  await page.locator('#first-run').waitFor();
  await skipFirstRun(page);
  await page.locator('#sync-state').waitFor();
  assert.match(await page.locator('#sync-state').innerText(), /Not connected to a centre — 0 changes waiting/);
  assert.match(await page.locator('#revise-heading + *').innerText(), /0\s*learning/);
  assert.equal(await page.locator('#feedback-badge').count(), 0);
});
