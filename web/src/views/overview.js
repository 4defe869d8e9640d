import { h, fmtPct, fmtAgo, fmtDateTime, fmtCount, commitLink, compareLink, extLink, serieHref, shortCommit, unitScale, fmtBytes } from '../util.js';

// The overview reads only data/manifest.json: it never waits for series.json.
export function overview(el, ctx) {
  const m = ctx.manifest;
  const c = m.counts || {};
  const latest = m.latest || {};
  const regs = (m.regressions || []);
  const open = regs.filter((r) => r.open);

  el.append(h('h1', null, m.title || 'Benchmarks'));
  if (m.note) el.append(h('p', { class: 'muted', 'data-testid': 'note' }, m.note));
  if (m.comparison && typeof m.comparison === 'object') el.append(comparison(m, m.comparison));

  const cards = h('section', { class: 'cards', 'aria-label': 'Counts' },
    card('Series', fmtCount(c.series), '#/series'),
    card('Runs', fmtCount(c.runs)),
    card('Results', fmtCount(c.results)),
    card('Commits', fmtCount(c.commits)),
    card('Open regressions', fmtCount(open.filter((r) => r.direction === 'regression').length), '#/series?regressed=1', open.some((r) => r.direction === 'regression') ? 'bad' : 'good'),
    card('Errors', fmtCount(c.errors), '#/errors', c.errors ? 'warn' : ''));
  el.append(cards);

  // Latest main-branch status.
  const st = h('section', { class: 'panel' }, h('h2', null, 'Latest on ' + (m.mainBranch || 'main')));
  if (latest.commit) {
    const bad = latest.regressed > 0;
    st.append(h('p', { class: 'status-line ' + (bad ? 'bad' : 'good') },
      h('span', { class: 'dot', 'aria-hidden': 'true' }),
      bad ? fmtCount(latest.regressed) + ' regressed' : 'No regressions',
      latest.improved ? ' · ' + fmtCount(latest.improved) + ' improved' : '',
      ' · ', fmtCount(latest.series), ' series at ', commitLink(m, latest.commit), ' ',
      h('time', { datetime: latest.time, title: fmtDateTime(latest.time) }, fmtAgo(latest.time))));
  } else {
    st.append(h('p', { class: 'muted' }, 'No main-branch run yet.'));
  }
  el.append(st);

  const grid = h('div', { class: 'grid2' });
  // Suites
  const suites = m.suites || [];
  grid.append(h('section', { class: 'panel' }, h('h2', null, 'Suites'),
    suites.length ? h('table', { class: 'tbl' },
      h('thead', null, h('tr', null, th('Suite'), th('Runs', 'num'), th('Last run'), th('Commit'), th('Failed', 'num'))),
      h('tbody', null, suites.map((s) => h('tr', null,
        h('td', null, s.name),
        h('td', { class: 'num' }, fmtCount(s.runs)),
        h('td', null, h('time', { datetime: s.lastRun, title: fmtDateTime(s.lastRun) }, fmtAgo(s.lastRun))),
        h('td', null, commitLink(m, s.lastCommit)),
        h('td', { class: 'num' + (s.failed ? ' bad' : '') }, fmtCount(s.failed))))))
      : h('p', { class: 'muted' }, 'No suites.')));

  // Branches
  const br = m.branches || [];
  grid.append(h('section', { class: 'panel' }, h('h2', null, 'Branches'),
    br.length ? h('table', { class: 'tbl' },
      h('thead', null, h('tr', null, th('Branch'), th('Runs', 'num'), th('Series', 'num'))),
      h('tbody', null, br.map((b) => h('tr', null,
        h('td', null, h('a', { href: '#/series?branch=' + encodeURIComponent(b.name), 'data-nav-item': '' }, b.name)),
        h('td', { class: 'num' }, fmtCount(b.runs)),
        h('td', { class: 'num' }, fmtCount(b.series))))))
      : h('p', { class: 'muted' }, 'No branches.')));
  el.append(grid);

  // Open regressions (and open improvements), then resolved ones folded.
  const rs = h('section', { class: 'panel' }, h('h2', null, 'Open regressions and improvements'));
  if (!open.length) rs.append(h('p', { class: 'muted' }, 'None open.'));
  else rs.append(h('ul', { class: 'reglist' }, open.map((r) => regItem(m, r))));
  const closed = regs.filter((r) => !r.open);
  if (closed.length) {
    rs.append(h('details', null, h('summary', null, 'Resolved (' + closed.length + ')'),
      h('ul', { class: 'reglist' }, closed.map((r) => regItem(m, r)))));
  }
  el.append(rs);

  // Hardware platforms as the runs recorded them
  const hw = Array.isArray(m.hardware) ? m.hardware : [];
  if (hw.length) {
    el.append(h('section', { class: 'panel' }, h('h2', null, 'Hardware'), h('div', { class: 'scroll-x' }, h('table', { class: 'tbl', 'data-testid': 'hardware-table' },
      h('thead', null, h('tr', null, th('Platform'), th('Driver'), th('Memory', 'num'), th('Compute units', 'num'), th('Results', 'num'), th('Runs', 'num'), th('Last run'))),
      h('tbody', null, hw.map((x) => h('tr', null,
        h('td', null, h('a', { href: '#/series?hw=' + encodeURIComponent(x.name), 'data-nav-item': '' }, x.name)),
        h('td', null, x.driver || ''),
        h('td', { class: 'num' }, typeof x.memoryMB === 'number' && x.memoryMB > 0 ? fmtBytes(x.memoryMB * 1024 * 1024) : ''),
        h('td', { class: 'num' }, x.computeUnits ? fmtCount(x.computeUnits) : ''),
        h('td', { class: 'num' }, fmtCount(x.results)),
        h('td', { class: 'num' }, fmtCount(x.runs)),
        h('td', null, h('time', { datetime: x.lastRun, title: fmtDateTime(x.lastRun) }, fmtAgo(x.lastRun))))))))));
  }

  // Recent change points
  const ch = (m.changes || []).slice(0, 50);
  el.append(h('section', { class: 'panel' }, h('h2', null, 'Recent change points'),
    ch.length ? h('div', { class: 'scroll-x' }, h('table', { class: 'tbl' },
      h('thead', null, h('tr', null, th('When'), th('Series'), th('Commit'), th('Change', 'num'), th('Interval', 'num'), th('Severity'), th('Status'))),
      h('tbody', null, ch.map((x) => h('tr', null,
        h('td', null, h('time', { datetime: x.time, title: fmtDateTime(x.time) }, fmtAgo(x.time))),
        h('td', null, h('a', { href: serieHref(x.series), class: x.name ? '' : 'mono', 'data-nav-item': '', title: x.series }, x.name || x.series)),
        h('td', null, x.previous ? compareLink(m, x.previous, x.commit, shortCommit(x.commit)) : commitLink(m, x.commit)),
        h('td', { class: 'num ' + dirClass(x.direction) }, fmtPct(x.change)),
        h('td', { class: 'num muted' }, interval(x)),
        h('td', null, badge(x.severity, x.direction)),
        h('td', null, x.status))))))
      : h('p', { class: 'muted' }, 'No change points.')));

  ctx.ready('overview');
}

function regItem(m, r) {
  const ids = Array.isArray(r.series) ? r.series : [];
  const shown = ids.slice(0, 12);
  return h('li', { class: 'reg ' + dirClass(r.direction) },
    h('div', { class: 'reg-head' },
      badge(r.severity, r.direction),
      h('strong', null, r.title || r.id),
      h('span', { class: 'num ' + dirClass(r.direction) }, fmtPct(r.change)),
      h('span', { class: 'muted' }, interval(r)),
      r.issue ? extLink(r.issue, 'issue', { class: 'pill' }) : null),
    h('div', { class: 'reg-meta muted' },
      r.status, ' · ', h('time', { datetime: r.time, title: fmtDateTime(r.time) }, fmtAgo(r.time)),
      ' · range ', compareLink(m, r.from, r.to, shortCommit(r.from) + '…' + shortCommit(r.to)),
      r.environment ? ' · environment: ' + r.environment : '',
      r.resolvedBy ? ' · resolved by ' : '', r.resolvedBy ? commitLink(m, r.resolvedBy) : '',
      r.note ? ' · ' + r.note : ''),
    h('div', { class: 'reg-series' }, shown.map((id, i) => {
      const name = Array.isArray(r.names) && typeof r.names[i] === 'string' && r.names[i] ? r.names[i] : '';
      return h('a', { href: serieHref(id), class: name ? 'chip' : 'mono chip', 'data-nav-item': '', title: id }, name || id);
    }),
      ids.length > shown.length ? h('span', { class: 'muted' }, ' +' + (ids.length - shown.length) + ' more') : ''));
}

export function interval(x) {
  if (typeof x.low !== 'number' || typeof x.high !== 'number') return '';
  return '[' + fmtPct(x.low) + ', ' + fmtPct(x.high) + ']';
}

export const dirClass = (d) => (d === 'regression' ? 'bad' : d === 'improvement' ? 'good' : '');

export function badge(sev, dir) {
  return h('span', { class: 'badge sev-' + (sev || 'none') + ' ' + dirClass(dir) }, sev || dir || '');
}

export const th = (t, cls) => h('th', { scope: 'col', class: cls }, t);

function card(label, value, href, cls) {
  const inner = [h('div', { class: 'card-value' }, value || '0'), h('div', { class: 'card-label' }, label)];
  return href ? h('a', { class: 'card ' + (cls || ''), href, 'data-nav-item': '' }, inner) : h('div', { class: 'card ' + (cls || '') }, inner);
}

// comparison: a report of two sides (benchgate report --base --head), when the manifest has one.
function comparison(m, c) {
  const rows = Array.isArray(c.rows) ? c.rows : [];
  const side = (x) => (x ? [x.label || x.ref || '', x.commit ? [' ', commitLink(m, x.commit)] : ''] : '');
  const verdictClass = (v) => (/regress/i.test(v) ? 'bad' : /improv/i.test(v) ? 'good' : /inconclusive|noisy/i.test(v) ? 'warn' : '');
  const missing = Array.isArray(c.missing) ? c.missing : [];
  const failed = Array.isArray(c.failed) ? c.failed : [];
  return h('section', { class: 'panel', 'data-testid': 'comparison' },
    h('h2', null, 'Comparison'),
    c.headline ? h('p', { class: 'status-line' }, c.headline) : null,
    h('p', { class: 'muted small' }, 'base ', side(c.base), ' → head ', side(c.head)),
    rows.length ? h('div', { class: 'scroll-x' }, h('table', { class: 'tbl' },
      h('thead', null, h('tr', null, th('Series'), th('Base', 'num'), th('Head', 'num'), th('Change', 'num'), th('Interval', 'num'), th('p', 'num'), th('Verdict'), th('Severity'))),
      h('tbody', null, rows.map((r) => {
        const sc = unitScale(r.unit, typeof r.base === 'number' ? r.base : r.head);
        return h('tr', null,
          h('td', null, r.series ? h('a', { href: serieHref(r.series), 'data-nav-item': '' }, r.name || r.series) : r.name, r.metric ? h('span', { class: 'muted small' }, ' ' + r.metric) : ''),
          h('td', { class: 'num' }, sc.fmt(r.base), r.nBase ? h('span', { class: 'muted small' }, ' n=' + r.nBase) : ''),
          h('td', { class: 'num' }, sc.fmt(r.head), r.nHead ? h('span', { class: 'muted small' }, ' n=' + r.nHead) : ''),
          h('td', { class: 'num ' + verdictClass(r.verdict) }, fmtPct(r.change)),
          h('td', { class: 'num muted' }, interval(r)),
          h('td', { class: 'num muted' }, typeof r.p === 'number' ? (r.p < 0.001 ? '<0.001' : r.p.toFixed(3)) : ''),
          h('td', { class: verdictClass(r.verdict), title: r.reason || '' }, r.verdict || ''),
          h('td', null, r.severity && r.severity !== 'none' ? badge(r.severity, /regress/i.test(r.verdict) ? 'regression' : /improv/i.test(r.verdict) ? 'improvement' : '') : ''));
      })))) : null,
    missing.length ? h('p', { class: 'muted small' }, 'Only on one side: ', missing.map((x, i) => [i ? ', ' : '', x.name, x.onlyIn ? ' (' + x.onlyIn + ')' : ''])) : null,
    failed.length ? h('ul', { class: 'plain small' }, failed.map((x) => h('li', { class: 'bad' }, x.benchmark, x.type ? ' · ' + x.type : '', x.message ? ': ' + x.message : ''))) : null);
}
