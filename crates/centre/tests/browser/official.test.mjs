// The administrator's official-references page in Debian's chromium: a pasted structure file
// with a bad line is refused whole (each problem named by line, the pasted text kept, nothing
// loaded, the assessor's item page still showing the pack's own codes), an uploaded file that
// is not UTF-8 is refused with its line named; a good file, uploaded, loads, and the
// learner's item then names its criteria by the official codes. axe-core checks the page.
// Runs after the other centre journeys (files run in name order), since the codes it loads
// change what every later page shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axeProblems, base, shots, useBrowser, signedIn as signedInAs } from './lib.mjs';

const browser = useBrowser();

const signedIn = (user, password) => signedInAs(browser(), user, password);

const HEADER = 'qualification,unit,criterion,official_unit,official_ref,official_text';
const GOOD = `# ProQual unit specification (test)
${HEADER}
proqual-cs-l2,negotiate,negotiate/lo2/ac2.2,R/650/1234,AC 2.3,Identify positions before negotiating
proqual-cs-l2,negotiate,negotiate/lo2/ac2.3,R/650/1234,AC 2.4,Prepare concessions to trade
`;
// The same file with one criterion the pack does not have and one empty reference.
const BAD = `${GOOD}proqual-cs-l2,negotiate,negotiate/lo9/ac9.9,R/650/1234,AC 9.9,No such criterion
proqual-cs-l2,negotiate,negotiate/lo2/ac2.4,R/650/1234,,Empty reference
`;

test('a bad structure file changes nothing; a good one puts official codes on the item page', async () => {
  // The learner's phone submits an item claiming two criteria the file names.
  const res = await fetch(base + '/v1/auth/sign-in', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'lee', password: 'learner password' }),
  });
  const token = (await res.json()).token;
  const device = crypto.randomUUID();
  const now = Date.now();
  const title = 'Planned the printer negotiation';
  const push = await fetch(base + '/v1/sync/push', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      device_id: device, first_seq: 1,
      changes: [{
        seq: 1, id: crypto.randomUUID(), time_ms: now,
        body: { t: 'evidence_put', v: {
          id: crypto.randomUUID(), kind: 'observation', template_id: null, title,
          fields: { what_happened: 'Wrote down the least I would accept and what I could trade.' },
          criteria: ['negotiate/lo2/ac2.2', 'negotiate/lo2/ac2.3'], attachments: [],
          learner_status: 'submitted', submissions: 1, updated_ms: now,
          hlc: { wall_ms: now, counter: 0, node: device },
        } },
      }],
    }),
  });
  assert.equal(push.status, 200);

  const ann = await signedIn('ann', 'assessor password');
  await ann.page.getByRole('link', { name: 'Evidence queue' }).click();
  await ann.page.getByRole('link', { name: title }).first().click();
  const itemUrl = ann.page.url();
  const claimed = ann.page.locator('table', { has: ann.page.getByText('Identify your best-case') });
  await claimed.waitFor();
  assert.match(await claimed.innerText(), /Topic 2\.2/);

  // A bad file: refused whole, every problem by line, the text kept, nothing loaded.
  const root = await signedIn('root', 'admin password');
  await root.page.goto(base + '/admin/official');
  await root.page.getByText('None loaded').waitFor();
  await root.page.getByLabel(/^File name/).fill('spec.csv');
  await root.page.getByLabel("The file's contents").fill(BAD);
  await root.page.getByRole('button', { name: 'Check and load pasted text' }).click();
  const alert = root.page.getByRole('alert');
  await alert.waitFor();
  const said = await alert.innerText();
  assert.match(said, /nothing changed/);
  assert.match(said, /Line 5: unknown criterion 'negotiate\/lo9\/ac9\.9'/);
  assert.match(said, /Line 6: official_ref is empty/);
  assert.equal(await root.page.getByLabel("The file's contents").inputValue(), BAD);
  await root.page.getByText('None loaded').waitFor();
  assert.deepEqual(await axeProblems(root.page), []);
  await root.page.screenshot({ path: `${shots}/official-refused.png`, fullPage: true });
  await ann.page.goto(itemUrl);
  assert.doesNotMatch(await claimed.innerText(), /official/);

  // An upload saved from a spreadsheet in Latin-1 rather than UTF-8: refused, its line named.
  const file = root.page.getByLabel('Structure file');
  const latin1 = Buffer.concat([Buffer.from(GOOD), Buffer.from('proqual-cs-l2,negotiate,caf'), Buffer.from([0xe9, 0x0a])]);
  await file.setInputFiles({ name: 'spec.csv', mimeType: 'text/csv', buffer: latin1 });
  await root.page.getByRole('button', { name: 'Upload, check and load' }).click();
  const notText = await root.page.getByRole('alert').innerText();
  assert.match(notText, /nothing changed/);
  assert.match(notText, /Line 5 is not plain text \(UTF-8\)/);
  await root.page.getByText('None loaded').waitFor();

  // The good file, uploaded, loads, and the item page names the criteria officially.
  await root.page.getByLabel('Structure file').setInputFiles({ name: 'spec.csv', mimeType: 'text/csv', buffer: Buffer.from(GOOD) });
  await root.page.getByRole('button', { name: 'Upload, check and load' }).click();
  await root.page.getByRole('status').filter({ hasText: 'Loaded 2 references for negotiate' }).waitFor();
  const held = await root.page.locator('table').innerText();
  assert.match(held, /Topic 2\.2\s+R\/650\/1234\s+AC 2\.3/);
  assert.deepEqual(await axeProblems(root.page), []);
  await root.page.screenshot({ path: `${shots}/official-loaded.png`, fullPage: true });

  await ann.page.goto(itemUrl);
  const now_shown = await claimed.innerText();
  assert.match(now_shown, /AC 2\.3 \(official\)/);
  assert.match(now_shown, /AC 2\.4 \(official\)/);
  assert.doesNotMatch(now_shown, /Topic 2\.2|Topic 2\.3/);
  await ann.page.screenshot({ path: `${shots}/official-item.png`, fullPage: true });
  await ann.context.close();
  await root.context.close();
});
