// What every assessor-page journey shares: the centre's address (run.sh starts it), one
// headless Debian chromium per file, signing in at desktop size, the JSON API, and axe-core.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export const base = process.env.PF_CENTRE_URL;
export const shots = process.env.PF_SCREENSHOTS ?? 'test-output/centre';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Serious and critical accessibility problems on the current page (axe-core). */
export async function axeProblems(page) {
  await page.addScriptTag({ content: axeSource });
  const results = await page.evaluate(() => window.axe.run());
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Launches chromium before the file's tests and closes it after; `browser()` hands it out. */
export function useBrowser() {
  let browser;
  before(async () => {
    assert.ok(base, 'PF_CENTRE_URL is set by run.sh');
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  after(async () => { await browser?.close(); });
  return () => browser;
}

/** A fresh desktop-size context signed in as `user`, on the Learners page. */
export async function signedIn(browser, user, password) {
  // bypassCSP only so axe-core can be injected; the pages themselves run no script.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(base + '/sign-in');
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  try {
    await page.getByRole('heading', { name: 'Learners' }).waitFor();
  } catch (e) {
    // Say what the page said instead (a refusal, a limit), so a failure on CI can be read.
    const said = await page.locator('body').innerText().catch(() => '(no page)');
    throw new Error(`${user} did not reach Learners: ${e.message}\nThe page said:\n${said.slice(0, 1500)}`);
  }
  return { context, page };
}

/** One JSON API call: POST when there is a body, with the bearer token if given. */
export async function api(path, { token, body, method } = {}) {
  const res = await fetch(base + path, {
    method: method ?? (body ? 'POST' : 'GET'),
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}
