// The export's index.html checks itself, offline, in Chromium: given the untouched ZIP every
// item reads Verified and the seal holds; one changed attachment or one changed field turns
// exactly that item to Altered; an attachment changed together with its line in the manifest
// breaks the seal and every item reads Altered. The ZIP is the centre's (sealed with its key),
// written by `pocketfolio-centre subject-access`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchBrowser, PHONE, screenshot } from './lib.mjs';
import { api, centreBin, startCentre, stopCentre } from './centre.mjs';

let browser;
let centre;
let work;
const photo = Buffer.from('\xff\xd8 a photo of the shelf edge labels', 'latin1');
const photoSha = createHash('sha256').update(photo).digest('hex');
const ids = { shelf: crypto.randomUUID(), rota: crypto.randomUUID() };

// Rewrites a ZIP with Python's zipfile (stored entries): `change` is Python run with `files`
// (name -> bytes) in scope.
function rewrite(from, to, change) {
  const script = `
import sys, zipfile, hashlib, json
files = {}
with zipfile.ZipFile(sys.argv[1]) as z:
    for n in z.namelist():
        files[n] = z.read(n)
${change}
with zipfile.ZipFile(sys.argv[2], 'w') as z:
    for n, b in files.items():
        z.writestr(n, b)
`;
  execFileSync('python3', ['-c', script, from, to]);
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'pf-export-check-'));
  centre = await startCentre();
  const signIn = await api(centre, '/v1/auth/sign-in', { body: { username: 'lee', password: 'learner password' } });
  assert.equal(signIn.status, 200);
  const token = signIn.json.token;
  const put = await fetch(`${centre.url}/v1/blobs/${photoSha}`, {
    method: 'PUT', headers: { authorization: `Bearer ${token}` }, body: photo,
  });
  assert.equal(put.status, 201, await put.text());
  const device = crypto.randomUUID();
  const now = Date.now();
  const item = (id, title, attachments, seq) => ({
    seq, id: crypto.randomUUID(), time_ms: now,
    body: { t: 'evidence_put', v: {
      id, kind: 'reflective_account', template_id: 'reflective-account', title,
      fields: { situation: `What happened: ${title}.` },
      criteria: ['negotiate/lo1/ac1.1'], attachments, learner_status: 'draft', updated_ms: now,
      hlc: { wall_ms: now, counter: seq, node: device },
    } },
  });
  const push = await api(centre, '/v1/sync/push', {
    token,
    body: { device_id: device, first_seq: 1, changes: [
      item(ids.shelf, 'Shelf labels', [[photoSha, 'shelf.jpg']], 1),
      item(ids.rota, 'Rota swap', [], 2),
    ] },
  });
  assert.equal(push.status, 200, JSON.stringify(push.json));
  const out = spawnSync(centreBin, ['subject-access', 'lee', join(work, 'good.zip')], { env: centre.env, encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (centre) await stopCentre(centre);
  if (work) rmSync(work, { recursive: true, force: true });
});

// Opens the good export's index.html from disk with the network off, chooses `zip` in its
// check, and returns the overall result and each item's mark.
async function checkWithPage(zip) {
  const context = await browser.newContext({ viewport: PHONE, offline: true });
  const page = await context.newPage();
  await page.goto(pathToFileURL(join(work, 'good', 'index.html')).href);
  await page.locator('#check-zip').setInputFiles(join(work, zip));
  await page.waitForFunction(() => /^check-(verified|altered|unchecked)$/.test(document.getElementById('check-result').className));
  const result = await page.locator('#check-result').innerText();
  const state = await page.locator('#check-result').getAttribute('class');
  const mark = async (id) => page.locator(`[data-check-item="${id}"]`).innerText();
  const marks = { shelf: await mark(ids.shelf), rota: await mark(ids.rota) };
  return { page, context, result, state, marks };
}

test('the untouched export verifies in its own page, sealed with the key the centre publishes', async () => {
  execFileSync('python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', join(work, 'good.zip'), join(work, 'good')]);
  const published = await (await fetch(`${centre.url}/.well-known/pocketfolio-export-key`)).json();
  const { page, context, result, state, marks } = await checkWithPage('good.zip');
  assert.equal(state, 'check-verified', result);
  assert.match(result, /^Verified: every item and file is as it was exported\./);
  assert.ok(result.includes(published.fingerprint), `the result names the key: ${result}`);
  assert.ok((await page.locator('#check').innerText()).includes(published.fingerprint), 'so does the page');
  assert.deepEqual(marks, { shelf: 'Verified', rota: 'Verified' });
  await screenshot(page, 'export-check-verified');
  await context.close();
});

test('one changed attachment or one changed field turns exactly that item to Altered', async () => {
  rewrite(join(work, 'good.zip'), join(work, 'photo.zip'), `
for n in files:
    if n.endswith('-shelf.jpg'):
        files[n] = files[n] + b'!'
`);
  let checked = await checkWithPage('photo.zip');
  assert.equal(checked.state, 'check-altered', checked.result);
  assert.match(checked.marks.shelf, /^Altered: the attachment attachments\/.*-shelf\.jpg has changed\.$/);
  assert.equal(checked.marks.rota, 'Verified');
  await checked.context.close();

  rewrite(join(work, 'good.zip'), join(work, 'field.zip'), `
p = json.loads(files['portfolio.json'])
for e in p['items']:
    if e['item']['title'] == 'Rota swap':
        e['item']['title'] = 'Rota swapped'
files['portfolio.json'] = json.dumps(p, indent=2).encode()
`);
  checked = await checkWithPage('field.zip');
  assert.equal(checked.state, 'check-altered', checked.result);
  assert.match(checked.marks.rota, /^Altered: its record in portfolio\.json has changed\.$/);
  assert.equal(checked.marks.shelf, 'Verified');
  assert.ok(checked.result.includes('portfolio.json has changed'), checked.result);
  await checked.context.close();
});

test('an attachment changed together with its manifest line breaks the seal and alters every item', async () => {
  rewrite(join(work, 'good.zip'), join(work, 'forged.zip'), `
forged = b'\\xff\\xd8 another photo'
old = '${photoSha}'.encode()
new = hashlib.sha256(forged).hexdigest().encode()
for n in list(files):
    if n.endswith('-shelf.jpg'):
        del files[n]
        files[n.replace(old.decode(), new.decode())] = forged
# The photo's hash replaced everywhere, and portfolio.json's own line in the manifest too:
# every hash agrees with the manifest, and only the seal can tell.
before = hashlib.sha256(files['portfolio.json']).hexdigest().encode()
files['portfolio.json'] = files['portfolio.json'].replace(old, new)
after = hashlib.sha256(files['portfolio.json']).hexdigest().encode()
files['manifest.json'] = files['manifest.json'].replace(old, new).replace(before, after)
`);
  const { page, context, result, state, marks } = await checkWithPage('forged.zip');
  assert.equal(state, 'check-altered', result);
  assert.match(result, /The seal does not hold/);
  assert.equal(marks.shelf, 'Altered: the seal does not hold.');
  assert.match(marks.rota, /^Altered: the seal does not hold\.$/);
  await screenshot(page, 'export-check-altered');
  await context.close();
});
