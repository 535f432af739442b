// A picker that brings nothing usable says so, on an evidence item at phone size (issue 18): a
// photo that arrives empty (what a phone hands back when the camera was not allowed), a file
// the device would not let the app read, and a picker closed with no file each get a plain
// sentence of what happened and what to do; nothing is attached, and the next good file is.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPhone, openApp, checkPhoneScreen } from './lib.mjs';

let phone;
let page;

before(async () => {
  phone = await startPhone('file-picker');
  ({ page } = phone);
});

after(() => phone?.stop());

const alert = () => page.locator('[role=alert]');

async function newItem() {
  await openApp(page, phone.preview.url);
  await page.locator('#capture').click();
  await page.waitForFunction(() => document.activeElement?.id === 'field-note');
  await page.keyboard.type('Restocked the chilled aisle before the lunch rush.');
  await page.locator('#save-state', { hasText: 'Saved on this device' }).waitFor();
  await page.locator('#attach-file').waitFor({ state: 'attached' });
}

test('an empty photo, a refused file and a closed picker each say what to do', async () => {
  await newItem();

  // The camera was refused: the phone hands back a photo of 0 bytes.
  await page.locator('#attach-file').setInputFiles({ name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(0) });
  await alert().filter({ hasText: 'IMG_0001.jpg is empty (0 bytes), so it was not added.' }).waitFor();
  assert.match(await alert().innerText(), /allow Pocketfolio to use the camera in your phone's Settings/);
  await checkPhoneScreen(page, 'empty-photo', 'file-picker');

  // The device withholds the file: the page's reader fails as Android's does when a content
  // permission is gone.
  await page.evaluate(() => {
    Blob.prototype.arrayBuffer = () =>
      Promise.reject(new DOMException('The requested file could not be read', 'NotReadableError'));
  });
  await page.locator('#attach-file').setInputFiles({ name: 'rota.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 rota') });
  await alert().filter({ hasText: 'rota.pdf could not be read: this device did not let Pocketfolio open it.' }).waitFor();

  // The picker closes with nothing: cancelled, or what it opens refused.
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.locator('label[for=attach-file]').click(),
  ]);
  await chooser.setFiles([]);
  await alert().filter({ hasText: 'No file was chosen, so nothing was added.' }).waitFor();
  // The webview's own `cancel` event is heard the same way.
  await page.reload();
  await page.locator('#attach-file').waitFor({ state: 'attached' });
  await page.locator('p.hint', { hasText: 'Photos, PDFs' }).waitFor();
  await page.waitForFunction(() => window.__pfPickers && 'attach-file' in window.__pfPickers);
  await page.locator('#attach-file').dispatchEvent('cancel');
  await alert().filter({ hasText: 'No file was chosen, so nothing was added.' }).waitFor();
  assert.equal(await page.locator('.attachment').count(), 0, 'nothing attached');

  // A good file still attaches afterwards (the reload put the reader back).
  await page.locator('#attach-file').setInputFiles({ name: 'rota.txt', mimeType: 'text/plain', buffer: Buffer.from('Mon 9-5') });
  await page.getByText('Attached rota.txt.').waitFor();
  assert.equal(await alert().count(), 0, 'the old problem is gone');
});
