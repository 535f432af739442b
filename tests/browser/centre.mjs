// The real centre binary for browser tests: started on a loopback port with a learner (lee)
// and an assessor (ann) assigned to each other, stopped and restarted on the same data and
// port to play an outage, and its API called as the learner's other device would.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot, startPhone, tempDataDir } from './lib.mjs';

export const centreBin = process.env.PF_CENTRE_BIN
  || join(process.env.CARGO_TARGET_DIR || join(repoRoot, 'target'), 'debug', 'pocketfolio-centre');

// Serves the centre from `env`'s data folder on `port`; resolves once it answers, or with
// null if it exits (the port was taken). A loaded CI machine can take many seconds to start a
// debug build, so only the process exiting (or a minute) ends the wait.
export async function serveCentre(env, port) {
  const child = spawn(centreBin, ['serve', '--listen', `127.0.0.1:${port}`], { env, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline && child.exitCode === null;) {
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

// Stops a running centre and waits for it to exit.
export async function stopCentre(centre) {
  if (centre.child.exitCode !== null) return;
  const exited = new Promise((r) => centre.child.once('exit', r));
  centre.child.kill('SIGTERM');
  await exited;
}

// The centre on a loopback port below the ephemeral range, with a learner and an assessor.
export async function startCentre() {
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
    // `admin` runs the centre's admin commands on its database while it serves.
    if (running) return Object.assign(running, { admin });
  }
  throw new Error('the centre did not start');
}

// A test file's centre and phone (see `startPhone`): `{ centre, preview, browser, page }`, and
// `stop()` for all of them. The centre stops if the phone fails to start.
export async function startCentreAndPhone(name, options) {
  const centre = await startCentre();
  let phone;
  try {
    phone = await startPhone(name, options);
  } catch (e) {
    await stopCentre(centre);
    throw e;
  }
  return {
    ...phone,
    centre,
    stop: async () => {
      await phone.stop();
      await stopCentre(centre);
    },
  };
}

// Calls the centre's API: GET, or POST with a JSON `body`.
export async function api(centre, path, { token, body } = {}) {
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
export async function submitFromTablet(centre, title) {
  const signIn = await api(centre, '/v1/auth/sign-in', { body: { username: 'lee', password: 'learner password' } });
  assert.equal(signIn.status, 200);
  const device = crypto.randomUUID();
  const now = Date.now();
  const push = await api(centre, '/v1/sync/push', {
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

// Signs the assessor in on the centre's pages in a new desktop-sized page and records a
// decision on `title`; `decision` is the radio's label ("Accept" or "Refer back").
export async function decideOnCentre(browser, centre, title, decision, feedback) {
  const assessor = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await assessor.goto(`${centre.url}/`);
  await assessor.getByLabel('User name').fill('ann');
  await assessor.getByLabel('Password').fill('assessor password');
  await assessor.getByRole('button', { name: 'Sign in' }).click();
  await assessor.getByRole('link', { name: 'Evidence queue' }).click();
  await assessor.getByRole('link', { name: title }).click();
  await assessor.getByLabel(decision).check();
  await assessor.getByLabel('Feedback to the learner').fill(feedback);
  await assessor.getByRole('button', { name: 'Record decision' }).click();
  const recorded = decision === 'Accept' ? 'Accepted' : 'Referred back';
  await assessor.getByText(`Last decision: ${recorded}`).waitFor();
  await assessor.close();
}

// Signs the phone in to `centre` from Settings and waits for the first sync.
export async function signInOnPhone(page, centre) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await page.locator('#centre-url').fill(centre.url);
  await page.locator('#centre-user').fill('lee');
  await page.locator('#centre-password').fill('learner password');
  await page.locator('#sign-in').click();
  await page.locator('#signed-in-as').waitFor();
}

// Taps Sync now. The button is disabled while a sync runs, and under load a sync started by
// the app itself (a timer, the page coming back) can take longer than a click's 20 s while its
// requests back off: wait for it to end first.
export async function tapSyncNow(page) {
  await page.waitForFunction(() => {
    const button = document.querySelector('#sync-now');
    return !!button && !button.disabled;
  }, null, { timeout: 90_000 });
  await page.locator('#sync-now').click();
}

// Taps Sync now and waits until everything is sent (the line said "Synced" before, too).
export async function syncNowUntilNothingWaits(page) {
  await tapSyncNow(page);
  await page.waitForFunction(() => {
    const text = document.querySelector('#sync-state')?.textContent || '';
    return /^Synced/.test(text) && !/waiting/.test(text);
  }, null, { timeout: 30_000 });
}
