import { h, fmtBytes, fmtCount, fmtAgo, fmtDateTime, commitLink, sitePath } from '../util.js';
import { th } from './overview.js';

export function errorsView(el, ctx) {
  const m = ctx.manifest;
  const errs = Array.isArray(m.errors) ? m.errors : [];
  el.append(h('h1', null, 'Errors'));
  if (!errs.length) { el.append(h('p', { class: 'muted' }, 'No errors recorded.')); ctx.ready('errors'); return; }
  const byType = new Map();
  for (const e of errs) { const t = e.type || 'other'; if (!byType.has(t)) byType.set(t, []); byType.get(t).push(e); }
  const types = [...byType.keys()].sort((a, b) => sum(byType.get(b)) - sum(byType.get(a)));
  el.append(h('div', { class: 'cards' }, types.map((t) => h('a', { class: 'card warn', href: '#/errors', 'data-type': t, 'data-nav-item': '', onclick: (ev) => { ev.preventDefault(); const s = document.getElementById('err-' + t); if (s) s.scrollIntoView({ block: 'start' }); } },
    h('div', { class: 'card-value' }, fmtCount(sum(byType.get(t)))), h('div', { class: 'card-label' }, t)))));
  for (const t of types) {
    const list = byType.get(t).slice().sort((a, b) => (b.count || 0) - (a.count || 0));
    el.append(h('section', { class: 'panel', id: 'err-' + t }, h('h2', null, t, h('span', { class: 'muted' }, ' · ' + fmtCount(sum(list)))),
      h('div', { class: 'scroll-x' }, h('table', { class: 'tbl errors', 'data-testid': 'errors-table' },
        h('thead', null, h('tr', null, th('Benchmark'), th('Hardware'), th('Count', 'num'), th('Message'), th('Command'), th('Last'))),
        h('tbody', null, list.map((e) => h('tr', { 'data-nav-item': '', tabindex: '-1' },
          h('td', null, e.benchmark),
          h('td', null, e.hardware),
          h('td', { class: 'num' }, fmtCount(e.count)),
          h('td', { class: 'msg' }, h('div', { class: 'clip', title: e.message }, e.message)),
          h('td', null, e.command ? h('code', { class: 'cmd' }, e.command) : ''),
          h('td', { class: 'nowrap' }, commitLink(m, e.lastCommit), ' ', h('span', { class: 'muted', title: fmtDateTime(e.lastTime) }, fmtAgo(e.lastTime))))))))));
  }
  ctx.ready('errors');
}

const sum = (l) => l.reduce((a, e) => a + (e.count || 0), 0);

export function downloadsView(el, ctx) {
  const m = ctx.manifest;
  const d = Array.isArray(m.downloads) ? m.downloads : [];
  el.append(h('h1', null, 'Downloads'));
  el.append(h('p', { class: 'muted' }, 'The benchmark store as files: open the DuckDB file with duckdb, the Parquet and CSV tables with any data tool, or query them here in the SQL tab.'));
  if (!d.length) { el.append(h('p', { class: 'muted' }, 'No downloads.')); ctx.ready('downloads'); return; }
  el.append(h('div', { class: 'scroll-x' }, h('table', { class: 'tbl', 'data-testid': 'downloads-table' },
    h('thead', null, h('tr', null, th('File'), th('Format'), th('Size', 'num'), th('Rows', 'num'))),
    h('tbody', null, d.map((x) => {
      const href = sitePath(x.path);
      const name = x.path ? x.path.split('/').pop() : x.name;
      return h('tr', null,
        h('td', null, href ? h('a', { href, download: name, 'data-nav-item': '' }, x.name) : x.name, h('div', { class: 'muted small mono' }, x.path)),
        h('td', null, h('span', { class: 'pill' }, x.format)),
        h('td', { class: 'num' }, fmtBytes(x.bytes)),
        h('td', { class: 'num' }, x.rows == null ? '' : fmtCount(x.rows)));
    })))));
  ctx.ready('downloads');
}
