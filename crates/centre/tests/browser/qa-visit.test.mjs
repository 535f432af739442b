// An EQA's visit in Debian's chromium: the administrator gives Eve access to one learner (Lou)
// of a qualification; an IQA (Ida) has sampled Lou; Eve signs in, sees Lou and not Lee, finds
// no form she would only be refused on, downloads the EQA pack, and the pack's index.html,
// opened from the unpacked folder with the network off, lists Lou's sample and its report.
// axe-core (every rule, WCAG 2.1 AA among them; no serious or critical finding) checks each QA
// page on the way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base, shots, axeProblems, useBrowser, signedIn as signIn, api } from './lib.mjs';

const browser = useBrowser();
const signedIn = (user, password) => signIn(browser(), user, password);

// Where the page's forms post, but signing out (read from the page, not from its looks).
async function writeForms(page) {
  return page.evaluate(() => [...document.querySelectorAll('form')]
    .filter((f) => f.method === 'post')
    .map((f) => new URL(f.action).pathname)
    .filter((p) => p !== '/sign-out'));
}

async function pushItem(username, password, title) {
  const session = await api('/v1/auth/sign-in', { body: { username, password } });
  assert.equal(session.status, 200);
  const device = crypto.randomUUID();
  const now = Date.now();
  const push = await api('/v1/sync/push', {
    token: session.json.token,
    body: {
      device_id: device, first_seq: 1,
      changes: [{
        seq: 1, id: crypto.randomUUID(), time_ms: now,
        body: { t: 'evidence_put', v: {
          id: crypto.randomUUID(), kind: 'observation', template_id: null, title,
          fields: { what_happened: 'Took a complaint through to a refund.' },
          criteria: ['negotiate/lo1/ac1.1'], attachments: [],
          learner_status: 'submitted', submissions: 1, updated_ms: now,
          hlc: { wall_ms: now, counter: 0, node: device },
        } },
      }],
    },
  });
  assert.equal(push.status, 200);
}

test('an EQA limited to one learner reads only them and takes the pack away offline', async () => {
  // Lou's item, accepted by Ann, sampled by Ida (an IQA from the command line).
  await pushItem('lou', 'learner password', 'Handled a refund');
  const ann = await signedIn('ann', 'assessor password');
  await ann.page.goto(base + '/queue');
  await ann.page.getByRole('link', { name: 'Handled a refund' }).click();
  await ann.page.getByLabel('Accept').check();
  await ann.page.getByRole('button', { name: 'Record decision' }).click();
  await ann.page.getByText('Last decision: Accepted').waitFor();
  // An assessor reads the sampling strategy but has no form to change it.
  await ann.page.goto(base + '/quality/strategy');
  await ann.page.getByRole('heading', { name: 'Sampling strategy' }).waitFor();
  assert.deepEqual(await writeForms(ann.page), [], 'the strategy is read-only for an assessor');
  assert.deepEqual(await axeProblems(ann.page), [], 'read-only strategy accessibility');
  await ann.context.close();

  const ida = await signedIn('ida', 'iqa password');
  await ida.page.goto(base + '/quality');
  await ida.page.getByLabel('Learner').selectOption({ label: 'Lou Learner (lou)' });
  await ida.page.getByRole('button', { name: 'Start the sample' }).click();
  await ida.page.getByRole('heading', { name: 'IQA sample of Lou Learner' }).waitFor();
  await ida.context.close();

  // The administrator gives Eve access to Lou alone.
  const root = await signedIn('root', 'admin password');
  const r = root.page;
  await r.goto(base + '/admin/eqa');
  await r.getByRole('heading', { name: 'External quality assurers' }).waitFor();
  assert.deepEqual(await axeProblems(r), [], 'EQA admin page accessibility');
  const lastDay = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  await r.getByLabel('User name').fill('eve');
  await r.getByLabel('Name', { exact: true }).fill('Eve External');
  await r.getByLabel('Password').fill('eqa password');
  await r.getByLabel('Last day of access').first().fill(lastDay);
  await r.getByLabel('ProQual Level 2 Diploma in Customer Service').check();
  await r.getByLabel('Lou Learner (lou)').check();
  await r.getByRole('button', { name: 'Create the EQA account' }).click();
  await r.getByRole('cell', { name: 'Eve External' }).waitFor();
  await r.getByRole('cell', { name: 'Lou Learner', exact: true }).waitFor();
  await root.context.close();

  // Eve sees Lou, not Lee, and no form anywhere but signing out.
  const eve = await signedIn('eve', 'eqa password');
  const p = eve.page;
  await p.getByRole('link', { name: 'Lou Learner' }).waitFor();
  assert.equal(await p.getByRole('link', { name: 'Lee Learner' }).count(), 0, 'Lee is out of scope');
  await p.getByRole('link', { name: 'Lou Learner' }).click();
  await p.getByRole('link', { name: 'Handled a refund' }).click();
  await p.getByRole('heading', { name: 'Handled a refund' }).waitFor();
  assert.deepEqual(await writeForms(p), [], 'item page');
  for (const [path, heading] of [
    ['/quality', 'Quality assurance'],
    ['/quality/plan?qualification=proqual-cs-l2', 'Sampling plan'],
    ['/quality/strategy', 'Sampling strategy'],
    ['/quality/standardisation', 'Standardisation'],
  ]) {
    await p.goto(base + path);
    await p.getByRole('heading', { name: heading, exact: true }).waitFor();
    assert.deepEqual(await writeForms(p), [], `${path} shows an EQA no form`);
    assert.deepEqual(await axeProblems(p), [], `${path} accessibility (EQA)`);
  }
  await p.goto(base + '/quality');
  await p.getByRole('link', { name: 'Lou Learner' }).click();
  await p.getByRole('heading', { name: 'IQA sample of Lou Learner' }).waitFor();
  assert.deepEqual(await writeForms(p), [], 'sample page');
  assert.deepEqual(await axeProblems(p), [], 'sample page accessibility (EQA)');
  await p.screenshot({ path: `${shots}/eqa-01-sample.png`, fullPage: true });

  // The pack: downloaded from the Quality page's form, unpacked, opened with no network.
  await p.goto(base + '/quality');
  const [download] = await Promise.all([
    p.waitForEvent('download'),
    p.getByRole('button', { name: 'Download the EQA pack' }).click(),
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'pf-eqa-pack-'));
  try {
    const zip = join(dir, 'pack.zip');
    await download.saveAs(zip);
    execFileSync('unzip', ['-q', zip, '-d', join(dir, 'pack')]);
    const index = join(dir, 'pack', 'index.html');
    assert.ok(existsSync(index), 'the pack has an index.html');
    const offline = await browser().newContext({ offline: true, javaScriptEnabled: false });
    const page = await offline.newPage();
    const outside = [];
    page.on('request', (req) => { if (!req.url().startsWith('file:')) outside.push(req.url()); });
    await page.goto('file://' + index);
    await page.getByRole('heading', { name: /^EQA pack:/ }).waitFor();
    const samples = page.locator('h2#samples + table tbody tr');
    assert.equal(await samples.count(), 1, 'one sample in Eve’s scope');
    await samples.first().getByText('Lou Learner').waitFor();
    assert.equal(await page.getByText('Lee Learner').count(), 0, 'nothing of Lee');
    await page.screenshot({ path: `${shots}/eqa-02-pack-offline.png`, fullPage: true });
    // Its report opens from the folder too.
    await samples.first().getByRole('link', { name: 'Report' }).click();
    await page.getByText('Lou Learner').first().waitFor();
    assert.deepEqual(outside, [], 'the pack asks nothing of the network');
    await offline.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await eve.context.close();
});
