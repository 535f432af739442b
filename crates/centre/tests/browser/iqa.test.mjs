// An IQA's sample end to end in Debian's chromium: the administrator makes Ivy an IQA; Ann
// accepts a learner's item; Ivy looks at the plan, samples the learner, agrees with one
// criterion decision and disagrees with another; Ann answers the action; Ivy closes it and
// signs the sample, and the report says the signature verifies. axe-core checks each page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axeProblems, base, shots, useBrowser, signedIn as signedInAs } from './lib.mjs';

const browser = useBrowser();

const signedIn = (user, password) => signedInAs(browser(), user, password);

test('plan, sample, disagree, assessor action, close, sign', async () => {
  // The learner's phone submits an item claiming two criteria.
  const res = await fetch(base + '/v1/auth/sign-in', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'lee', password: 'learner password' }),
  });
  const token = (await res.json()).token;
  const device = crypto.randomUUID();
  const now = Date.now();
  const push = await fetch(base + '/v1/sync/push', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      device_id: device, first_seq: 1,
      changes: [{
        seq: 1, id: crypto.randomUUID(), time_ms: now,
        body: { t: 'evidence_put', v: {
          id: crypto.randomUUID(), kind: 'observation', template_id: null, title: 'Calmed a long queue',
          fields: { what_happened: 'Opened a second till and explained the wait.' },
          criteria: ['negotiate/lo1/ac1.1', 'negotiate/lo1/ac1.2'], attachments: [],
          learner_status: 'submitted', submissions: 1, updated_ms: now,
          hlc: { wall_ms: now, counter: 0, node: device },
        } },
      }],
    }),
  });
  assert.equal(push.status, 200);

  // Ann accepts it.
  const ann = await signedIn('ann', 'assessor password');
  await ann.page.getByRole('link', { name: 'Evidence queue' }).click();
  await ann.page.getByRole('link', { name: 'Calmed a long queue' }).click();
  await ann.page.getByLabel('Accept').check();
  await ann.page.getByLabel('Feedback to the learner').fill('Good.');
  await ann.page.getByRole('button', { name: 'Record decision' }).click();
  await ann.page.getByText('Last decision: Accepted').waitFor();

  // The administrator makes Ivy an IQA.
  const root = await signedIn('root', 'admin password');
  await root.page.goto(base + '/admin/accounts/ivy');
  await root.page.getByRole('button', { name: 'Make an IQA too' }).click();
  await root.page.getByText('assessor, internal quality assurer (IQA)').waitFor();
  await root.context.close();

  // Ivy: the plan proposes Lee; she starts the sample from the Quality page.
  const ivy = await signedIn('ivy', 'iqa password');
  const p = ivy.page;
  await p.getByRole('link', { name: 'Quality' }).click();
  await p.getByRole('heading', { name: 'Quality assurance' }).waitFor();
  assert.deepEqual(await axeProblems(p), [], 'quality page accessibility');
  assert.equal(await p.getByRole('link', { name: 'Sampling plan and coverage' }).count(), 1);
  await p.goto(base + '/quality/plan?qualification=proqual-cs-l2');
  await p.getByRole('heading', { name: 'Sampling plan' }).waitFor();
  await p.screenshot({ path: `${shots}/iqa-01-plan.png`, fullPage: true });
  assert.deepEqual(await axeProblems(p), [], 'plan page accessibility');
  await p.getByRole('button', { name: 'Start the sample' }).first().click();
  await p.getByRole('heading', { name: 'IQA sample of Lee Learner' }).waitFor();
  assert.deepEqual(await axeProblems(p), [], 'sample page accessibility');

  // Disagree with one criterion decision, agree with every other.
  const target = p.locator('form.verdict', { hasText: 'Calmed a long queue: Topic 1.2 Explain BATNA' });
  await target.getByLabel('Disagree', { exact: true }).check();
  await target.getByLabel(/^Feedback/).fill('The observation does not say how the customer was kept informed.');
  const due = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
  await target.getByLabel(/^Action due/).fill(due);
  // Each verdict reloads the page with one form fewer.
  const submitted = async (form) => {
    const before = await p.locator('form.verdict').count();
    await form.getByRole('button', { name: 'Record the verdict' }).click();
    await p.waitForFunction((n) => document.querySelectorAll('form.verdict').length < n, before);
  };
  await submitted(target);
  while (await p.locator('form.verdict').count() > 0) {
    const form = p.locator('form.verdict').first();
    await form.getByLabel('Agree', { exact: true }).check();
    await submitted(form);
  }
  await p.getByText('You can sign once').waitFor();
  await p.screenshot({ path: `${shots}/iqa-02-verdicts.png`, fullPage: true });
  const sampleUrl = p.url();

  // Ann answers the action on her Quality page.
  await ann.page.getByRole('link', { name: 'Quality' }).click();
  await ann.page.getByText('The IQA asks: The observation does not say how the customer was kept informed.').waitFor();
  assert.deepEqual(await axeProblems(ann.page), [], 'assessor actions accessibility');
  await ann.page.getByLabel('What you did').fill('Added the learner\'s account of updating the queue every few minutes.');
  await ann.page.getByRole('button', { name: 'Send the answer' }).click();
  await ann.page.getByText('Your answer: Added the learner').waitFor();
  await ann.context.close();

  // Ivy closes it and signs.
  await p.goto(sampleUrl);
  await p.getByRole('button', { name: 'Close the action' }).click();
  await p.getByRole('heading', { name: 'Sign the sample' }).waitFor();
  assert.deepEqual(await axeProblems(p), [], 'sign form accessibility');
  await p.getByLabel(/^Type your name/).fill('Ivy IQA');
  await p.getByRole('button', { name: 'Sign the sample' }).click();
  await p.getByText('The signature verifies against this record.').waitFor();
  assert.equal(await p.getByRole('button', { name: 'Record the verdict' }).count(), 0);
  await p.screenshot({ path: `${shots}/iqa-03-signed.png`, fullPage: true });

  // The report is one page with no scripts that says the same.
  const report = await p.request.get(sampleUrl + '/report.html');
  const html = await report.text();
  assert.ok(html.includes('The signature verifies against this record.'));
  assert.ok(html.includes('Closed ('));
  assert.ok(!html.includes('<script'));

  await p.goto(base + '/quality/standardisation');
  await p.getByRole('heading', { name: 'Standardisation' }).waitFor();
  assert.deepEqual(await axeProblems(p), [], 'standardisation page accessibility');
  await ivy.context.close();
});
