// Browser smoke check of the built site against a served fixture, in headless Chromium.
// Not part of the build; needs puppeteer-core installed somewhere (it is not a dependency):
//   npm i --prefix /tmp/pt puppeteer-core
//   node dev/fixture.mjs --out /tmp/fx --series 10000 --commits 100 [--duckdb DUCKDB_CLI]
//   node dev/serve.mjs --data /tmp/fx --port 8787 &
//   PUPPETEER=/tmp/pt/node_modules/puppeteer-core/lib/esm/puppeteer/puppeteer-core.js \
//     CHROMIUM=/usr/bin/chromium node dev/smoke.mjs [http://127.0.0.1:8787/] [--shots DIR]
// Fails (exit 1) on a page error, a dialog (script injection), a CSP violation, a request to
// another host, or a missing hook; prints timings.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { default: puppeteer } = await import(process.env.PUPPETEER || 'puppeteer-core');
const args = process.argv.slice(2);
const BASE = args.find((a) => /^https?:/.test(a)) || 'http://127.0.0.1:8787/';
const shots = args.includes('--shots') ? args[args.indexOf('--shots') + 1] : '';
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--user-data-dir=' + mkdtempSync(join(tmpdir(), 'smoke-'))],
});
const page = await browser.newPage();
await page.setViewport({ width: 1280, height: 900 });
const problems = [];
page.on('pageerror', (e) => problems.push('page error: ' + e.message));
page.on('console', (m) => { if (m.type() === 'error') problems.push('console error: ' + m.text()); });
page.on('dialog', async (d) => { problems.push('dialog (injected script?): ' + d.message()); await d.dismiss(); });
page.on('request', (r) => { const u = new URL(r.url()); if (u.host !== new URL(BASE).host && !/^(data|blob):/.test(u.protocol)) problems.push('request to another host: ' + r.url()); });
await page.evaluateOnNewDocument(() => {
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ready = (v, timeout = 20000) => page.waitForFunction((v) => document.body.dataset.ready === v, { timeout }, v);
async function go(hash, v, timeout) {
  const t0 = Date.now();
  await page.goto(BASE + hash, { waitUntil: 'domcontentloaded' });
  await ready(v, timeout);
  return Date.now() - t0;
}
const shot = async (name) => { if (shots) await page.screenshot({ path: join(shots, name + '.png') }); };
const expect = (ok, what) => { if (!ok) problems.push('expected: ' + what); };
const log = (...a) => console.log(...a);

// Overview: only the manifest.
log('overview', await go('#/', 'overview'), 'ms');
const reqs = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
expect(!reqs.some((p) => p.endsWith('series.json')), 'the overview does not load series.json');
expect(await page.$$eval('a', (as) => as.every((a) => /^(https?:|#|data\/)/.test(a.getAttribute('href') || '#'))), 'only http(s), hash and data/ links');
for (const n of ['overview', 'series', 'heatmaps', 'errors', 'downloads', 'sql']) expect(await page.$(`[data-testid=nav-${n}]`), 'nav-' + n);
await shot('overview');

// Series list: filter speed, keyboard.
log('series', await go('#/series', 'series'), 'ms');
const total = await page.$eval('[data-testid=series-list]', (e) => +e.dataset.total);
await page.keyboard.press('/');
expect(await page.evaluate(() => document.activeElement.dataset.testid === 'search'), '/ focuses search');
await page.keyboard.type('a');
const ms = await page.$eval('[data-testid=series-list]', (e) => +e.dataset.filterMs);
log('series total', total, 'filter', ms, 'ms');
expect(ms < 50, 'filter under 50 ms');
await page.click('[data-testid=filter-regressed]');
const reg = await page.$eval('[data-testid=series-list]', (e) => +e.dataset.total);
expect(/regressed=1/.test(await page.evaluate(() => location.hash)), 'regressed filter in the URL');
await page.focus('[data-testid=search]');
await page.keyboard.press('ArrowDown');
expect(await page.evaluate(() => document.activeElement.dataset.testid === 'series-row'), 'ArrowDown moves into the rows');
await shot('series');
if (reg) { await page.keyboard.press('Enter'); await ready('serie'); await page.keyboard.press('Escape'); await ready('series'); }

// One series: chart, markers, tooltip, zoom.
const cat = await (await fetch(BASE + 'data/series.json')).json();
const withChange = cat.series.find((s) => s.status === 'regressed') || cat.series[0];
const branch = (withChange.branches || []).find((b) => b !== 'main');
log('serie', await go('#/s/' + encodeURIComponent(withChange.id) + (branch ? '?branch=' + encodeURIComponent(branch) : ''), 'serie'), 'ms');
expect(await page.$eval('[data-testid=chart]', (e) => e.dataset.changepoints !== undefined), 'data-changepoints on the chart');
expect(await page.$('[data-testid=raw-table]'), 'raw table');
expect(await page.$('[data-testid=branch-select]'), 'branch select');
const box = await (await page.$('[data-testid=chart] .u-over')).boundingBox();
await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
await sleep(150);
const tip = await page.$eval('[data-testid=tooltip]', (e) => (e.hidden ? '' : e.innerText));
log('tooltip:', tip.replace(/\n/g, ' | '));
expect(/[0-9a-f]{12}/.test(tip) && !/…|truncated/.test(tip), 'tooltip with a 12-character commit');
await page.mouse.move(box.x + box.width * 0.3, box.y + 40); await page.mouse.down();
await page.mouse.move(box.x + box.width * 0.6, box.y + 40, { steps: 4 }); await page.mouse.up();
await sleep(150);
expect(/from=/.test(await page.evaluate(() => location.hash)), 'zoom writes from/to into the URL');
await shot('serie');

// Heatmap, errors, downloads.
log('heatmaps', await go('#/heatmaps', 'heatmaps'), 'ms');
const cell = await page.$('.heat-cell a');
if (cell) { await cell.focus(); expect(await page.$eval('[data-testid=tooltip]', (e) => !e.hidden), 'heatmap tooltip on focus'); }
await shot('heatmaps');
log('errors', await go('#/errors', 'errors'), 'ms');
log('downloads', await go('#/downloads', 'downloads'), 'ms');

// Theme: toggle persists, system dark is followed.
await page.click('[data-testid=theme-toggle]');
const t1 = await page.evaluate(() => document.documentElement.dataset.theme);
await page.reload(); await ready('downloads');
expect(t1 && (await page.evaluate(() => document.documentElement.dataset.theme)) === t1, 'theme persists');
await page.evaluate(() => localStorage.clear());
await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
await page.reload(); await ready('downloads');
expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor !== 'rgb(246, 247, 249)'), 'system dark mode followed');
await page.emulateMediaFeatures([]);

// SQL: a hostile string stays text; an error is shown.
const q = "SELECT '<img src=x onerror=alert(1)>' AS name, 42 AS answer";
log('sql', await go('#/sql?q=' + encodeURIComponent(q), 'sql', 90000), 'ms');
log('sql result rows', await page.$eval('[data-testid=sql-result]', (e) => e.dataset.rows).catch(() => 'none'));
const tables = await page.evaluate(() => document.querySelector('.sql-side').innerText.replace(/\n/g, ' '));
log('sql side:', tables);
await page.$eval('[data-testid=sql-input]', (e) => { e.value = 'SELECT * FROM no_such_table'; });
await page.click('[data-testid=sql-run]');
await page.waitForSelector('[data-testid=sql-error]', { timeout: 10000 }).catch(() => problems.push('expected: sql-error'));
await shot('sql');

const csp = await page.evaluate(() => window.__csp);
for (const v of csp) problems.push('CSP violation: ' + v);
await browser.close();
if (problems.length) { console.log('PROBLEMS:\n  ' + problems.join('\n  ')); process.exit(1); }
console.log('ok');
