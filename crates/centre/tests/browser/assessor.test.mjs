// The assessor's journey at desktop size in Debian's chromium: a learner's phone syncs a
// submitted item; the assessor signs in, opens it from the queue, refers it back with
// feedback and signs a criterion off; the learner's phone then pulls both decisions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axeProblems, base, shots, useBrowser, api } from './lib.mjs';
import { createHash } from 'node:crypto';

const browser = useBrowser();

/**
 * The signature fields the phone adds when a witness signs: the strokes, when, and the SHA-256
 * of `[1, title, fields (sorted keys), criteria (sorted)]` as compact JSON, as the core computes
 * it (see `signed_digest` in crates/core/src/evidence/witness.rs).
 */
function witnessSignature(title, fields, criteria, now) {
  const sorted = Object.fromEntries(Object.keys(fields).sort().map((k) => [k, fields[k]]));
  const canonical = JSON.stringify([1, title.trim(), sorted, [...new Set(criteria)].sort()]);
  return {
    witness_signature: JSON.stringify({ width: 300, height: 120, strokes: [[[20, 80], [60, 10], [140, 80], [260, 60]]] }),
    witness_signed_ms: String(now),
    witness_signed_digest: createHash('sha256').update(canonical).digest('hex'),
  };
}

test('assessor refers an item back, accepts the resubmission and signs a criterion off', async () => {
  // The learner's phone pushes a submitted observation with a witness signature.
  const signIn = await api('/v1/auth/sign-in', { body: { username: 'lee', password: 'learner password' } });
  assert.equal(signIn.status, 200);
  const token = signIn.json.token;
  const device = crypto.randomUUID();
  const item = crypto.randomUUID();
  const now = Date.now();
  const fields = {
    what_happened: 'A customer wanted a refund for a kettle but had no receipt <and was upset>.',
    what_i_did: 'I listened, checked the policy and offered an exchange.',
    witness_name: 'Wendy Witness',
  };
  const title = 'Refund without a receipt';
  const criteria = ['negotiate/lo1/ac1.1', 'negotiate/lo1/ac1.2'];
  Object.assign(fields, witnessSignature(title, fields, criteria, now));
  // The learner's `submissions`-th submission of the item, as change `seq` made at `time`.
  const submit = (seq, time, submissions) => api('/v1/sync/push', {
    token,
    body: {
      device_id: device, first_seq: seq,
      changes: [{
        seq, id: crypto.randomUUID(), time_ms: time,
        body: { t: 'evidence_put', v: {
          id: item, kind: 'witness_testimony', template_id: 'witness-testimony', title,
          fields, criteria,
          attachments: [], learner_status: 'submitted', submissions, updated_ms: time,
          hlc: { wall_ms: time, counter: 0, node: device },
        } },
      }],
    },
  });
  const push = await submit(1, now, 1);
  assert.equal(push.status, 200, JSON.stringify(push.json));

  // bypassCSP only so axe-core can be injected; the pages themselves run no script.
  const context = await browser().newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(base + '/');
  assert.match(page.url(), /\/sign-in$/);
  await page.getByLabel('User name').fill('ann');
  await page.getByLabel('Password').fill('assessor password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Learners' }).waitFor();
  assert.ok(await page.getByText('Lee Learner').isVisible());
  await page.screenshot({ path: `${shots}/01-learners.png`, fullPage: true });
  assert.deepEqual(await axeProblems(page), [], 'learners page accessibility');

  await page.getByRole('link', { name: 'Evidence queue' }).click();
  await page.getByRole('heading', { name: 'Evidence queue' }).waitFor();
  await page.screenshot({ path: `${shots}/02-queue.png`, fullPage: true });
  await page.getByRole('link', { name: 'Refund without a receipt' }).click();
  await page.getByRole('heading', { name: 'Refund without a receipt' }).waitFor();
  assert.ok(await page.locator('dd').getByText('had no receipt <and was upset>.').isVisible(), 'text shown as text');
  assert.ok(await page.getByRole('img', { name: 'Signature' }).isVisible());
  assert.ok(await page.getByText('Signed by Wendy Witness').isVisible(), 'the signature checks out');
  await page.screenshot({ path: `${shots}/03-item.png`, fullPage: true });
  assert.deepEqual(await axeProblems(page), [], 'item page accessibility');

  await page.getByLabel('Refer back').check();
  await page.getByLabel('Feedback to the learner').fill('Say how you checked the customer understood the exchange.');
  await page.getByRole('button', { name: 'Record decision' }).click();
  await page.getByText('Last decision: Referred back').waitFor();
  await page.screenshot({ path: `${shots}/04-referred-back.png`, fullPage: true });

  // Referred back: nothing can be signed off until the learner resubmits and it is accepted.
  assert.equal(await page.getByRole('button', { name: /^Sign off/ }).count(), 0);

  // The learner resubmits from the phone (their second submission, a later clock stamp).
  const later = now + 60_000;
  const resubmit = await submit(2, later, 2);
  assert.equal(resubmit.status, 200, JSON.stringify(resubmit.json));
  await page.reload();
  await page.getByText('Status: Resubmitted').waitFor();
  await page.getByLabel('Accept').check();
  await page.getByLabel('Feedback to the learner').fill('Clear account of checking understanding.');
  await page.getByRole('button', { name: 'Record decision' }).click();
  await page.getByText('Last decision: Accepted').waitFor();

  await page.getByRole('button', { name: 'Sign off Topic 1.1' }).click();
  await page.getByText('Signed off', { exact: true }).first().waitFor();
  assert.equal(await page.getByRole('button', { name: 'Sign off Topic 1.1' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Sign off Topic 1.2' }).count(), 1);
  await page.screenshot({ path: `${shots}/05-signed-off.png`, fullPage: true });

  await page.goto(`${base}/`);
  assert.ok(await page.locator('text=1/').first().isVisible(), 'progress moved');
  await context.close();

  // The learner's other device pulls the decisions.
  const pulled = await api(`/v1/sync/pull?since=0&device_id=${device}`, { token });
  assert.equal(pulled.status, 200);
  const assessments = pulled.json.changes.filter((c) => c.body.t === 'assessment').map((c) => c.body.v);
  assert.equal(assessments[0].status, 'referred_back');
  assert.equal(assessments[0].feedback, 'Say how you checked the customer understood the exchange.');
  const last = assessments.at(-1);
  assert.equal(last.status, 'accepted');
  assert.deepEqual(last.criteria_signed_off, ['negotiate/lo1/ac1.1']);
});
