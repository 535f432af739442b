// Shared helpers for the browser tests: start and stop the preview server, launch Debian's
// chromium, take screenshots that must not be blank, and report timings.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { afterEach } from 'node:test';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..', '..');
export const outputDir = process.env.PF_TEST_OUTPUT || join(repoRoot, 'test-output');
mkdirSync(outputDir, { recursive: true });

const targetDir = process.env.CARGO_TARGET_DIR || join(repoRoot, 'target');
export const binary = process.env.PF_PREVIEW_BIN || join(targetDir, 'debug', 'pocketfolio');

export const PHONE = { width: 390, height: 844 };
export const SMALL_PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 800 };

// Data folders made by this test file, removed when it ends: a 100,000-card store is 175 MB,
// and CI machines are reused.
const madeDirs = [];
process.on('exit', () => {
  for (const dir of madeDirs) rmSync(dir, { recursive: true, force: true });
});

export function tempDataDir(name) {
  const dir = mkdtempSync(join(tmpdir(), `pf-${name}-`));
  madeDirs.push(dir);
  return dir;
}

let nextPort = 18800 + Math.floor(Math.random() * 500);

// Starts the preview on a fresh port; resolves once it listens. `startedAt` is the
// moment the process was spawned, for launch timings. A preview that does not listen in time
// is killed, or it would outlive the test and keep the test file's process waiting on it.
export async function startPreview(dataDir, extraArgs = [], port = nextPort++, { readyWithinMs = 120_000 } = {}) {
  const startedAt = performance.now();
  const child = spawn(binary, ['--port', String(port), '--data', dataDir, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  await new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`preview did not start in ${readyWithinMs / 1000} s:\n${log}`));
    }, readyWithinMs);
    child.stdout.on('data', (d) => {
      log += d;
      if (log.includes('Pocketfolio preview on')) {
        clearTimeout(timer);
        resolveReady();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`preview exited with ${code}:\n${log}`));
    });
  });
  child.removeAllListeners('exit');
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    startedAt,
    log: () => log,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
    // Ends the process at once, as a phone killing the app would: no clean shutdown.
    async kill() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

// `extraArgs` go to chromium as well, e.g. `--blink-settings=…` to stand in for a phone whose
// pointer is a stylus.
export async function launchBrowser(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.PF_CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

export async function newPage(browser, viewport = PHONE) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

// The phone side of a test file: the preview on a fresh data folder, a browser and one page at
// `viewport` (a phone's unless said), with the page's script errors logged. `stop()` closes
// them and removes the folder; a part that never started is skipped.
export async function startPhone(name, { viewport = PHONE } = {}) {
  const dataDir = tempDataDir(name);
  const phone = { dataDir };
  phone.stop = async () => {
    await phone.browser?.close();
    await phone.preview?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    phone.preview = await startPreview(dataDir);
    phone.browser = await launchBrowser();
    phone.page = await newPage(phone.browser, viewport);
  } catch (e) {
    await phone.stop();
    throw e;
  }
  phone.page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  return phone;
}

// What every screen of a phone journey must pass: no sideways scroll, every control named,
// targets large enough, axe-core clean; with `shot`, a screenshot named `${shot}-${what}`.
export async function checkPhoneScreen(page, what, shot) {
  await assertNoHorizontalScroll(page, what);
  await assertNamedControls(page, what);
  await assertTapTargets(page, what);
  await assertAccessible(page, what);
  if (shot) await screenshot(page, `${shot}-${what}`);
}

// When a test of the file fails, prints what the page showed and the preview's log, so a
// failure seen only on CI can be read from its output. `state()` gives `{ page, preview }` as
// they are at that moment (a test may restart the preview).
export function explainFailures(state) {
  afterEach(async (t) => {
    if (t.passed) return;
    const { page, preview } = state();
    try {
      const url = page?.url();
      const seen = await page?.evaluate(() => ({
        text: document.body?.innerText ?? '',
        ids: [...document.querySelectorAll('[id]')].map((e) => e.id).join(' '),
      }));
      console.log(`after "${t.name}" failed, the page at ${url} showed:\n${(seen?.text ?? '').slice(0, 4000)}`);
      console.log(`with the ids: ${(seen?.ids ?? '').slice(0, 2000)}`);
    } catch (e) {
      console.log(`after "${t.name}" failed, the page could not be read: ${e.message}`);
    }
    console.log(`the preview's log ends:\n${(preview?.log() ?? '').slice(-4000)}`);
  });
}

// Waits until the liveview socket has rendered the app into #main. A new learner with no
// centre meets the first-run questions on Today: these journeys skip them, as a learner may
// (journey.test.mjs answers them once).
export async function openApp(page, url) {
  await page.goto(url);
  await page.waitForSelector('.app .bottom-nav');
  await skipFirstRun(page);
}

// Skips the first-run questions if they are on screen; the answer is kept, so once is enough.
export async function skipFirstRun(page) {
  const skip = page.locator('#skip-first-run');
  if (await skip.count()) {
    await skip.click();
    await skip.waitFor({ state: 'detached' });
  }
}

// Navigates with the bottom bar, as a learner would.
export async function tab(page, name) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
}

// Saves a screenshot and fails if it is blank: a PNG of one colour has no variance.
export async function screenshot(page, name) {
  const png = await page.screenshot({ fullPage: true });
  const file = join(outputDir, `${name}.png`);
  writeFileSync(file, png);
  const stats = await pixelStats(page, png);
  assert.ok(png.length > 4000, `${name}.png is suspiciously small (${png.length} bytes)`);
  // A blank page has none; a real screen that is mostly background (a short list) has little,
  // 49 for the search results, so the bar is low and the colour count does the rest.
  assert.ok(stats.variance > 10, `${name}.png looks blank (variance ${stats.variance.toFixed(1)})`);
  assert.ok(stats.distinct > 8, `${name}.png has only ${stats.distinct} colours`);
  return file;
}

// Decodes the PNG in a scratch page and measures how much its pixels vary.
async function pixelStats(page, png) {
  const scratch = await page.context().newPage();
  try {
    return await scratch.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const { data } = ctx.getImageData(0, 0, img.width, img.height);
      let sum = 0, sumSq = 0, n = 0;
      const colours = new Set();
      for (let i = 0; i < data.length; i += 4 * 7) {
        const v = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
        sum += v; sumSq += v * v; n++;
        if (colours.size < 1000) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      }
      const mean = sum / n;
      return { variance: sumSq / n - mean * mean, distinct: colours.size };
    }, png.toString('base64'));
  } finally {
    await scratch.close();
  }
}

// No screen may scroll sideways on a phone.
export async function assertNoHorizontalScroll(page, what) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= client, `${what} scrolls sideways: ${scroll} > ${client}`);
}

// Every button, link and form field must have an accessible name.
export async function assertNamedControls(page, what) {
  const unnamed = await page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('button, a[href], input, select, textarea')) {
      if (el.type === 'hidden') continue;
      const labelled = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
        || (el.id && document.querySelector(`label[for="${el.id}"]`)) || el.closest('label')
        || (el.textContent || '').trim() || el.getAttribute('title');
      if (!labelled) out.push(el.outerHTML.slice(0, 120));
    }
    return out;
  });
  assert.deepEqual(unnamed, [], `${what} has controls without an accessible name`);
}

// Tap targets must be at least 44 × 44 CSS px.
export async function assertTapTargets(page, what) {
  const small = await page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('button, a.button, .bottom-nav a, select, input:not([type=radio]):not([type=checkbox]):not([type=file])')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.height < 43.5 || r.width < 43.5) out.push(`${el.tagName} "${(el.textContent || el.id).trim().slice(0, 30)}" ${r.width.toFixed(0)}×${r.height.toFixed(0)}`);
    }
    return out;
  });
  assert.deepEqual(small, [], `${what} has tap targets under 44 px`);
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

// Records a figure as a `name: value unit` line: printed (the test runner shows it as a
// diagnostic) and appended to test-output/speed.txt, which run.sh prints plainly at the end.
export function report(name, value, unit) {
  const line = `${name}: ${Number(value).toFixed(1)} ${unit}`;
  console.log(line);
  appendFileSync(join(outputDir, 'speed.txt'), `${line}\n`);
}

// The learning/review/new counts on the Today screen, as text.
export async function todayCounts(page) {
  const section = page.locator('section[aria-labelledby="revise-heading"] .counts');
  await section.waitFor();
  return (await section.innerText()).replace(/\s+/g, ' ').trim();
}

// Reveals the current card and answers it; resolves once the next card (or the summary)
// is on screen, with the milliseconds from the click to then.
export async function answerCard(page, rating) {
  await page.locator('#reveal').click();
  const button = page.locator(`#answer-${rating}`);
  await button.waitFor();
  const before = await page.locator('#progress-text').innerText();
  const t0 = performance.now();
  await button.click();
  await page.waitForFunction(
    (prev) => {
      const p = document.querySelector('#progress-text');
      return p && p.textContent !== prev && (document.querySelector('#reveal') || document.querySelector('#summary'));
    },
    before,
    { polling: 'raf' },
  );
  return performance.now() - t0;
}

// Answers the revealed card and times, inside the page, from the click to the next card (or the
// summary) being in the DOM and painted: what the learner waits for, without the test driver's
// own round trips in the figure.
export async function answerCardTimed(page, rating) {
  await page.locator('#reveal').click();
  await page.locator(`#answer-${rating}`).waitFor();
  return page.evaluate(
    (r) =>
      new Promise((resolve) => {
        const prev = document.querySelector('#progress-text').textContent;
        const done = () => {
          const p = document.querySelector('#progress-text');
          return p && p.textContent !== prev && (document.querySelector('#reveal') || document.querySelector('#summary'));
        };
        let t0 = 0;
        const observer = new MutationObserver(() => {
          if (!done()) return;
          observer.disconnect();
          requestAnimationFrame(() => resolve(performance.now() - t0));
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
        t0 = performance.now();
        document.querySelector(`#answer-${r}`).click();
      }),
    rating,
  );
}

// Runs axe-core (WCAG 2 A and AA rules) in the page; fails on serious or critical findings.
// With `{ wcag21: true }` also the WCAG 2.1 A and AA rules and the check that a control's
// spoken name contains its visible text (axe's `label-content-name-mismatch`, which axe
// leaves off by default).
export async function assertAccessible(page, what, { wcag21 = false } = {}) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.addScriptTag({ path: axePath });
  }
  const violations = await page.evaluate(async (wcag21) => {
    const options = wcag21
      ? {
        runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'],
        rules: { 'label-content-name-mismatch': { enabled: true } },
      }
      : { runOnly: ['wcag2a', 'wcag2aa'] };
    const result = await window.axe.run(document, options);
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`);
  }, wcag21);
  assert.deepEqual(violations, [], `${what} has accessibility violations`);
}

// The review screen installs its key listener just after it renders; keys pressed before
// that would be lost, so tests wait for its marker.
export async function waitForReviewKeys(page) {
  await page.waitForSelector('html[data-review-keys="on"]', { state: 'attached' });
}
