// The search page in a real browser: Debian's Chromium driven by
// playwright-core. Indexes the sample articles plus the markup-title fixture
// into a temporary database, starts `xinwen-search serve` on a free loopback
// port, and uses the page as a person would (mostly with the keyboard).
//
//   node search_page.test.mjs --search BIN --index BIN --samples DIR
//        --fixture FILE --static DIR --out DIR [--chromium PATH]
//
// Exit status: 0 all checks passed, 1 a check failed, 77 skipped (no
// Chromium, or playwright-core not installed: run tests/browser/setup.sh).
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const SKIP = 77;
const here = path.dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) throw new Error(`bad argument ${argv[i]}`);
    out[argv[i].slice(2)] = argv[i + 1];
  }
  return out;
}

const args = parseArgs(process.argv.slice(2));
for (const key of ['search', 'index', 'samples', 'fixture', 'static', 'out']) {
  if (!args[key]) {
    console.error(`missing --${key}`);
    process.exit(2);
  }
}
const chromiumPath = args.chromium || '/usr/bin/chromium';

function skip(reason) {
  console.log(`SKIPPED: ${reason}`);
  process.exit(SKIP);
}

try {
  fs.accessSync(chromiumPath, fs.constants.X_OK);
} catch {
  skip(`no Chromium at ${chromiumPath} (install Debian's chromium package)`);
}
let chromium;
try {
  const require = createRequire(path.join(here, 'package.json'));
  ({ chromium } = require('playwright-core'));
} catch {
  skip('playwright-core is not installed in tests/browser/node_modules (run tests/browser/setup.sh)');
}

// ---- A tiny check runner ------------------------------------------------

let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed += 1;
    console.log(`ok   - ${name}`);
  } catch (error) {
    failed += 1;
    console.log(`FAIL - ${name}\n       ${String(error && error.stack ? error.stack : error).split('\n').join('\n       ')}`);
  }
}

// ---- Index, serve, browse -----------------------------------------------

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'xinwen-browser-'));
const db = path.join(work, 'db');
let server = null;
let context = null;

const watchdog = setTimeout(() => {
  console.log('FAIL - the test took longer than 150 s');
  cleanup();
  process.exit(1);
}, 150_000);

function cleanup() {
  if (server && server.exitCode === null) server.kill('SIGTERM');
  fs.rmSync(work, { recursive: true, force: true });
}

function startServer() {
  return new Promise((resolve, reject) => {
    server = spawn(args.search, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--static', args.static],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`the server did not start: ${err}`)), 20_000);
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    server.stderr.on('data', (chunk) => { err += chunk; });
    server.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}): ${err}`));
    });
  });
}

async function main() {
  const indexed = spawnSync(args.index, ['add', '--db', db, args.samples, args.fixture], { encoding: 'utf8' });
  if (indexed.status !== 0) throw new Error(`indexing failed: ${indexed.stderr}`);
  const base = await startServer();
  fs.mkdirSync(args.out, { recursive: true });

  context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
    locale: 'en-US',
  });
  const page = context.pages()[0] || await context.newPage();

  // Anything that would mean injected markup ran, or the page broke.
  const dialogs = [];
  const pageErrors = [];
  const consoleErrors = [];
  page.on('dialog', (dialog) => { dialogs.push(dialog.message()); dialog.dismiss().catch(() => {}); });
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push(msg.text()); });

  const hits = page.locator('#hits > li.hit');
  const status = page.locator('#status');
  const searchFor = async (text) => {
    await page.locator('#q').fill(text);
    await page.locator('#q').press('Enter');
    await page.waitForFunction((q) => new URLSearchParams(window.location.search).get('q') === q
      && document.querySelector('#results').getAttribute('aria-busy') !== 'true', text);
  };

  await check('the page loads with its script and style, and the security headers', async () => {
    const response = await page.goto(`${base}/`);
    assert.equal(response.status(), 200);
    const headers = response.headers();
    assert.match(headers['content-security-policy'], /script-src 'self'/);
    assert.doesNotMatch(headers['content-security-policy'], /unsafe-inline/);
    assert.equal(headers['x-content-type-options'], 'nosniff');
    await page.waitForFunction(() => document.querySelector('#q').getAttribute('role') === 'combobox');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  });

  await check('typing shows suggestions; the keyboard picks one and searches', async () => {
    await page.locator('#q').focus();
    await page.keyboard.type('nvid', { delay: 40 });
    const option = page.locator('#suggestions [role=option]', { hasText: 'nvidia' });
    await option.first().waitFor({ state: 'visible', timeout: 5000 });
    assert.equal(await page.locator('#q').getAttribute('aria-expanded'), 'true');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('#q').getAttribute('aria-activedescendant'), 'suggestion-0');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => new URLSearchParams(window.location.search).get('q') === 'nvidia');
    await hits.first().waitFor();
    assert.equal(await page.locator('#suggestions').isHidden(), true);
    assert.match(await status.textContent(), /results? for/);
  });

  await check('English results: linked titles, source, date, a highlighted snippet, lang attributes', async () => {
    // Names of one company rank alike in every script, so the first English
    // hit need not be the first hit.
    const first = page.locator('#hits > li.hit[lang^="en"]').first();
    const href = await first.locator('.hit-title a').getAttribute('href');
    assert.match(href, /^https:\/\//);
    assert.ok((await first.locator('.hit-source').textContent()).length > 0);
    assert.match(await first.locator('time').textContent(), /^\d{4}-\d{2}-\d{2}$/);
    const marks = await first.locator('.hit-snippet mark').allTextContents();
    assert.ok(marks.length > 0, 'no <mark> in the snippet');
    assert.ok(marks.every((m) => m.toLowerCase() === 'nvidia'), `marks: ${marks}`);
    for (const lang of await hits.evaluateAll((items) => items.map((li) => li.lang))) assert.ok(lang, 'a hit without lang');
    assert.match(await page.title(), /^nvidia/);
  });

  await check('a Traditional query finds the Simplified article too, highlighted in both scripts', async () => {
    await searchFor('輝達');
    await hits.first().waitFor();
    const found = await hits.evaluateAll((items) => items.map((li) => ({
      lang: li.lang,
      marks: Array.from(li.querySelectorAll('.hit-snippet mark'), (m) => m.textContent),
      title: li.querySelector('.hit-title').textContent,
    })));
    const simplified = found.find((h) => /^zh-hans$/i.test(h.lang) && h.marks.includes('辉达'));
    const traditional = found.find((h) => /^zh-hant$/i.test(h.lang) && h.marks.includes('輝達'));
    assert.ok(simplified, `no Simplified hit with 辉达 marked: ${JSON.stringify(found)}`);
    assert.ok(traditional, `no Traditional hit with 輝達 marked: ${JSON.stringify(found)}`);
    assert.equal(await page.locator('#q').getAttribute('lang'), 'zh');
    await page.screenshot({ path: path.join(args.out, 'desktop-chinese.png'), fullPage: true });
  });

  await check('the box lists what the query also searched, and a result names the words it lacks', async () => {
    const also = page.locator('#also-searched');
    await also.waitFor();
    assert.match(await also.textContent(), /^Also searched: .*Nvidia/);
    await searchFor('DeepSeek 輝達');
    await hits.first().waitFor();
    const missing = await page.locator('#hits .hit-missing').allTextContents();
    assert.ok(missing.length > 0, 'no result names a missing word');
    assert.ok(missing.every((m) => /^Missing: (DeepSeek|輝達)$/.test(m)), `missing: ${missing}`);
    await searchFor('輝達');
    await hits.first().waitFor();
  });

  await check('Chinese characters are drawn as glyphs, not empty boxes (a CJK font is installed)', async () => {
    // Without a font that has them, every Han character is drawn as the same
    // missing-glyph box: three different characters would give one picture.
    const family = await hits.first().locator('.hit-title').evaluate((el) => getComputedStyle(el).fontFamily);
    const pictures = await page.evaluate((fontFamily) => ['輝', '达', '股'].map((ch) => {
      const canvas = document.createElement('canvas');
      canvas.width = 64;
      canvas.height = 64;
      const ctx = canvas.getContext('2d');
      ctx.font = `48px ${fontFamily}`;
      ctx.fillText(ch, 4, 52);
      return Array.from(ctx.getImageData(0, 0, 64, 64).data).join(',');
    }), family);
    assert.equal(new Set(pictures).size, 3,
      'Han characters all look alike: no CJK font (scripts/test installs fonts-wqy-microhei)');
  });

  const pagingQuery = 'market OR markets OR 市场 OR 市場';
  let firstPageIds = [];
  await check('paging: Next goes to page 2, and Back returns to page 1', async () => {
    await searchFor(pagingQuery);
    await hits.first().waitFor();
    assert.match(await status.textContent(), /page 1 of [2-9]/);
    firstPageIds = await hits.locator('.hit-title').allTextContents();
    assert.equal(firstPageIds.length, 10);
    await page.locator('#pager a[rel=next]').click();
    await page.waitForFunction(() => new URLSearchParams(window.location.search).get('page') === '2'
      && document.querySelector('#results').getAttribute('aria-busy') !== 'true');
    assert.match(await status.textContent(), /page 2 of/);
    const second = await hits.locator('.hit-title').allTextContents();
    assert.ok(second.length > 0);
    assert.ok(second.every((t) => !firstPageIds.includes(t)), 'page 2 repeats page 1');
    assert.equal(await page.locator('#pager a[aria-current=page]').textContent(), '2');
    assert.equal(await hits.first().evaluate((li) => li.parentElement.getAttribute('start')), '11');
    await page.goBack();
    await page.waitForFunction(() => !new URLSearchParams(window.location.search).has('page')
      && document.querySelector('#results').getAttribute('aria-busy') !== 'true');
    await page.waitForFunction((q) => document.querySelector('#q').value === q, pagingQuery);
    assert.deepEqual(await hits.locator('.hit-title').allTextContents(), firstPageIds);
  });

  await check('a source filter click narrows the results and shows its count', async () => {
    const facet = page.locator('#source-facets .facet', { hasText: 'TechPulse' });
    const count = Number(await facet.locator('.facet-count').textContent());
    assert.ok(count > 0);
    await facet.click();
    await page.waitForFunction(() => new URLSearchParams(window.location.search).get('source') === 'TechPulse'
      && document.querySelector('#results').getAttribute('aria-busy') !== 'true');
    await page.locator('#source-facets .facet[aria-pressed=true]').waitFor();
    const sources = await hits.locator('.hit-source').allTextContents();
    assert.ok(sources.length > 0 && sources.every((s) => s === 'TechPulse'), `sources: ${sources}`);
    assert.match(await status.textContent(), new RegExp(`^(About ${count} results|1 result) for`));
    assert.equal(await page.locator('#active-filters .chip').count(), 1);
  });

  await check('a month filter and the sort toggle work from the keyboard', async () => {
    const month = page.locator('#month-facets .facet').first();
    const label = await month.locator('.facet-name').textContent();
    await month.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((m) => (new URLSearchParams(window.location.search).get('from') || '') === `${m}-01`, label);
    await page.waitForFunction(() => document.querySelector('#results').getAttribute('aria-busy') !== 'true');
    for (const d of await hits.locator('time').allTextContents()) assert.equal(d.slice(0, 7), label);
    // The focus stays on the facet, now pressed, for the next key.
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-pressed')), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.key), `month:${label}`);
    await page.locator('[data-sort=date]').focus();
    await page.keyboard.press('Space');
    await page.waitForFunction(() => new URLSearchParams(window.location.search).get('sort') === 'date');
    await page.waitForFunction(() => document.querySelector('#results').getAttribute('aria-busy') !== 'true');
    assert.equal(await page.locator('[data-sort=date]').getAttribute('aria-pressed'), 'true');
    const all = await hits.locator('time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')));
    assert.deepEqual([...all].sort().reverse(), all, `not newest first: ${all}`);
  });

  await check('markup in indexed text is shown as text, never run', async () => {
    // Remove the filters left by the checks above with their chips.
    while (await page.locator('#active-filters .chip').count() > 0) {
      const before = page.url();
      await page.locator('#active-filters .chip').first().click();
      await page.waitForFunction((u) => window.location.href !== u
        && document.querySelector('#results').getAttribute('aria-busy') !== 'true', before);
    }
    await searchFor('zebrafinch');
    await hits.first().waitFor();
    const title = hits.first().locator('.hit-title');
    assert.equal(await title.textContent(), '<img src=x onerror=alert(1)>');
    assert.equal(await title.locator('a').count(), 0, 'a javascript: URL became a link');
    assert.equal(await page.locator('#hits img, #hits script, #hits b, #hits svg, #source-facets i').count(), 0);
    const snippet = await hits.first().locator('.hit-snippet').textContent();
    assert.match(snippet, /<script>alert\(3\)<\/script>/);
    assert.deepEqual(await hits.first().locator('.hit-snippet mark').allTextContents(), ['zebrafinch', 'zebrafinch']);
    assert.notEqual(await hits.first().getAttribute('onclick'), 'alert(5)');
    await page.locator('#source-facets .facet-name', { hasText: '<i>Probe</i> Wire' }).waitFor();
    // The query itself is text too.
    await searchFor('<b>zebrafinch</b>');
    assert.equal(await page.locator('#status q b').count(), 0);
    assert.match(await status.textContent(), /<b>zebrafinch<\/b>/);
  });

  await check('a bad query shows the API message; a shared link opens the same results', async () => {
    await searchFor('((');
    assert.match(await status.textContent(), /Cannot search for that: query syntax error/);
    assert.equal(await hits.count(), 0);
    const shared = await context.newPage();
    await shared.goto(`${base}/?q=${encodeURIComponent('輝達')}&sort=date`);
    await shared.locator('#hits > li.hit').first().waitFor();
    assert.equal(await shared.locator('#q').inputValue(), '輝達');
    assert.equal(await shared.locator('[data-sort=date]').getAttribute('aria-pressed'), 'true');
    await shared.close();
  });

  await check('phone width: one column, filters folded, nothing wider than the screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/?q=nvidia`);
    await hits.first().waitFor();
    assert.equal(await page.locator('#filter-panel').evaluate((d) => d.open), false);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
    await page.screenshot({ path: path.join(args.out, 'phone-results.png'), fullPage: true });
    await page.locator('#filter-panel > summary').click();
    await page.screenshot({ path: path.join(args.out, 'phone-filters.png'), fullPage: false });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${base}/?q=${encodeURIComponent('nvidia OR 英伟达 OR 輝達')}`);
    await hits.first().waitFor();
    await page.locator('#q').focus();
    await page.keyboard.type(' 金', { delay: 30 });
    await page.locator('#suggestions [role=option]').first().waitFor({ state: 'visible', timeout: 3000 });
    await page.keyboard.press('ArrowDown');
    await page.screenshot({ path: path.join(args.out, 'desktop-results.png'), fullPage: true });
  });

  await check('no alert, no script error, no blocked resource', async () => {
    assert.deepEqual(dialogs, []);
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(consoleErrors.filter((e) => !/status of 400/.test(e)), []);
  });
}

let exitCode = 1;
try {
  await main();
  exitCode = failed === 0 && passed > 0 ? 0 : 1;
} catch (error) {
  failed += 1;
  console.log(`FAIL - setup: ${error && error.stack ? error.stack : error}`);
} finally {
  clearTimeout(watchdog);
  if (context) await context.close().catch(() => {});
  cleanup();
}
console.log(`screenshots: ${args.out}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(exitCode);
