import { h, fmtCount } from '../util.js';
import { setParams } from '../router.js';

let enginePromise = null; // one DuckDB per page

export async function sqlView(el, ctx) {
  const m = ctx.manifest;
  const sql = m.sql || {};
  const tables = Array.isArray(sql.tables) ? sql.tables : [];
  const examples = Array.isArray(sql.examples) ? sql.examples : [];
  const initial = ctx.params.get('q') || (examples[0] && examples[0].sql) || (tables[0] ? 'SELECT * FROM ' + tables[0].name + ' LIMIT 20' : 'SELECT 42');

  el.append(h('h1', null, 'SQL'));
  el.append(h('p', { class: 'muted' }, 'DuckDB in your browser, over the site\'s data files (nothing leaves this page). Ctrl+Enter runs; the address keeps the query, so a link to it reproduces it.'));
  const input = h('textarea', { 'data-testid': 'sql-input', class: 'sql-input mono', rows: '7', spellcheck: 'false', 'aria-label': 'SQL query', autocapitalize: 'off', autocomplete: 'off' });
  input.value = initial;
  const run = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'sql-run', disabled: true }, 'Run');
  const status = h('span', { class: 'muted small', 'aria-live': 'polite', 'data-testid': 'sql-status' }, 'Loading DuckDB…');
  const out = h('div', { class: 'sql-out' });
  const tableItems = new Map();

  const side = h('aside', { class: 'sql-side' },
    h('h2', null, 'Tables'),
    tables.length ? h('ul', { class: 'plain' }, tables.map((t) => {
      const li = h('li', null, h('button', { type: 'button', class: 'linkish mono', title: 'DESCRIBE ' + t.name, onclick: () => { input.value = 'DESCRIBE ' + t.name; exec(); } }, t.name));
      tableItems.set(t.name, li);
      return li;
    })) : h('p', { class: 'muted' }, 'None.'),
    examples.length ? [h('h2', null, 'Examples'), h('ul', { class: 'plain examples' }, examples.map((x) => h('li', null,
      h('button', { type: 'button', class: 'linkish', 'data-nav-item': '', title: x.sql, onclick: () => { input.value = x.sql; exec(); } }, x.title || x.sql))))] : null);

  el.append(h('div', { class: 'sql-grid' }, h('div', { class: 'sql-main' }, input, h('div', { class: 'toolbar' }, run, status), out), side));

  let engine = null;
  let busy = false;
  async function exec() {
    if (!engine || busy) return;
    const q = input.value.trim();
    if (!q) return;
    busy = true;
    run.disabled = true;
    status.textContent = 'Running…';
    setParams({ q });
    try {
      const r = await engine.query(q);
      if (ctx.stale()) return;
      const tbl = h('table', { class: 'tbl sql-result', 'data-testid': 'sql-result' },
        h('thead', null, h('tr', null, r.columns.map((c, j) => h('th', { scope: 'col', title: r.kinds[j], class: /Int|Float|Decimal/.test(r.kinds[j]) ? 'num' : null }, c)))),
        h('tbody', null, r.rows.map((row) => h('tr', null, row.map((v, j) => h('td', { class: (/Int|Float|Decimal/.test(r.kinds[j]) ? 'num' : '') + (v === 'NULL' ? ' muted' : '') }, v))))));
      tbl.dataset.rows = String(r.total);
      out.replaceChildren(h('div', { class: 'scroll-x sql-scroll' }, tbl));
      status.textContent = fmtCount(r.total) + (r.total === 1 ? ' row' : ' rows') + (r.total > r.rows.length ? ' (first ' + fmtCount(r.rows.length) + ' shown)' : '') + ' · ' + r.ms.toFixed(0) + ' ms';
    } catch (err) {
      if (ctx.stale()) return;
      out.replaceChildren(h('pre', { class: 'error-box', 'data-testid': 'sql-error', role: 'alert' }, err && err.message ? err.message : String(err)));
      status.textContent = 'Error';
    } finally {
      busy = false;
      run.disabled = false;
      ctx.ready('sql');
    }
  }
  run.addEventListener('click', exec);
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); exec(); } });

  try {
    if (!enginePromise) {
      // A computed URL: esbuild leaves this import alone, and assets/sql.js is its own entry point.
      enginePromise = import(new URL('sql.js', import.meta.url).href).then((mod) => mod.open(tables, m.downloads, (s) => { status.textContent = s; }));
      enginePromise.catch(() => { enginePromise = null; });
    }
    engine = await enginePromise;
  } catch (err) {
    if (ctx.stale()) return;
    out.replaceChildren(h('pre', { class: 'error-box', 'data-testid': 'sql-error', role: 'alert' }, 'Could not start DuckDB: ' + (err && err.message ? err.message : String(err))));
    status.textContent = '';
    ctx.ready('sql');
    return;
  }
  if (ctx.stale()) return;
  run.disabled = false;
  const ok = engine.registered.filter((t) => !t.error);
  status.textContent = 'Ready' + (engine.version ? ' · DuckDB ' + engine.version : '') + ' · ' + ok.length + (ok.length === 1 ? ' table' : ' tables') +
    (ok.length ? ' (from ' + [...new Set(ok.map((t) => t.source))].join(', ') + ')' : '');
  for (const t of engine.registered) {
    const li = tableItems.get(t.name);
    if (li) li.append(h('span', { class: 'muted small' }, t.error ? ' unavailable' : ' ' + t.source));
    if (li && t.error) li.title = t.error;
  }
  if (ctx.params.get('q')) await exec();
  else ctx.ready('sql');
  input.focus();
}
