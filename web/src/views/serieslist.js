import { h, unitScale, fmtPct, fmtAgo, fmtDateTime, serieHref, fmtCount } from '../util.js';
import { loadSeries } from '../data.js';
import { setParams } from '../router.js';

const ROW_H = 38;
const OVERSCAN = 8;

// The series catalogue: data/series.json is loaded when this view opens; rows are virtualised
// (only the visible ones exist in the DOM), so 10,000 series filter and scroll fast.
export async function seriesList(el, ctx) {
  const m = ctx.manifest;
  const p = ctx.params;
  const st = {
    q: p.get('q') || '', hw: p.get('hw') || '', metric: p.get('metric') || '', branch: p.get('branch') || '',
    from: p.get('from') || '', to: p.get('to') || '', regressed: p.get('regressed') === '1', sort: p.get('sort') || 'status',
  };
  el.append(h('h1', null, 'Series'));
  const status = h('p', { class: 'muted', 'aria-live': 'polite' }, 'Loading the series catalogue…');
  el.append(status);
  const idx = await loadSeries();
  if (ctx.stale()) return;
  const { list, hay, last } = idx;

  const uniq = (f) => [...new Set(list.map(f))].filter(Boolean).sort();
  const hws = uniq((s) => s.hardware);
  const metrics = uniq((s) => s.metric);
  const branches = [...new Set([...(m.branches || []).map((b) => b.name), ...list.flatMap((s) => s.branches || [])])].filter(Boolean);

  const search = h('input', { type: 'search', 'data-testid': 'search', placeholder: 'Search benchmark, params, hardware…  ( / )', value: st.q, 'aria-label': 'Search series', autocomplete: 'off', spellcheck: 'false' });
  const sel = (testid, label, opts, v) => h('label', { class: 'field' }, h('span', null, label),
    h('select', { 'data-testid': testid }, h('option', { value: '' }, 'All'), opts.map((o) => h('option', { value: o, selected: o === v ? true : null }, o))));
  const fHw = sel('filter-hardware', 'Hardware', hws, st.hw);
  const fMetric = sel('filter-metric', 'Metric', metrics, st.metric);
  const fBranch = sel('filter-branch', 'Branch', branches, st.branch);
  const fFrom = h('input', { type: 'date', 'data-testid': 'filter-from', value: st.from, 'aria-label': 'Last run from' });
  const fTo = h('input', { type: 'date', 'data-testid': 'filter-to', value: st.to, 'aria-label': 'Last run to' });
  const fReg = h('input', { type: 'checkbox', 'data-testid': 'filter-regressed', checked: st.regressed });
  const fSort = h('select', { 'aria-label': 'Sort', 'data-testid': 'sort' },
    [['status', 'Regressed first'], ['name', 'Name'], ['recent', 'Most recent'], ['change', 'Largest change']].map(([v, t]) => h('option', { value: v, selected: v === st.sort ? true : null }, t)));
  const reset = h('button', { type: 'button', class: 'btn' }, 'Clear');

  el.append(h('div', { class: 'filters', role: 'search' },
    h('div', { class: 'search-wrap' }, search),
    fHw, fMetric, fBranch,
    h('label', { class: 'field' }, h('span', null, 'From'), fFrom),
    h('label', { class: 'field' }, h('span', null, 'To'), fTo),
    h('label', { class: 'check' }, fReg, ' Only regressed'),
    h('label', { class: 'field' }, h('span', null, 'Sort'), fSort),
    reset));

  const head = h('div', { class: 'srow shead', role: 'row' },
    ['Benchmark', 'Hardware', 'Metric', 'Latest', 'Status', 'Points', 'Last run'].map((t) => h('span', { role: 'columnheader' }, t)));
  const spacer = h('div', { class: 'vspacer' });
  const viewport = h('div', { class: 'vlist', role: 'rowgroup', 'data-testid': 'series-list', tabindex: '-1' }, spacer);
  el.append(h('div', { class: 'vtable', role: 'table', 'aria-label': 'Series' }, head, viewport));

  let rows = []; // indices into list
  let cur = -1;
  const scales = new Map();
  const scaleOf = (s) => { let x = scales.get(s.id); if (!x) { x = unitScale(s.unit, s.last); scales.set(s.id, x); } return x; };

  function apply() {
    const t0 = performance.now();
    const toks = st.q.toLowerCase().split(/\s+/).filter(Boolean);
    const from = st.from ? Date.parse(st.from + 'T00:00:00Z') : -Infinity;
    const to = st.to ? Date.parse(st.to + 'T00:00:00Z') + 86400000 : Infinity;
    const out = [];
    for (let i = 0; i < list.length; i++) {
      const s = list[i];
      if (st.regressed && s.status !== 'regressed') continue;
      if (st.hw && s.hardware !== st.hw) continue;
      if (st.metric && s.metric !== st.metric) continue;
      if (st.branch && !(s.branches || []).includes(st.branch)) continue;
      if (last[i] < from || last[i] >= to) continue;
      let ok = true;
      for (const t of toks) if (!hay[i].includes(t)) { ok = false; break; }
      if (ok) out.push(i);
    }
    const rank = { regressed: 0, provisional: 1, improved: 2, ok: 3 };
    const name = (i) => list[i].benchmark + '\u0000' + (list[i].params || '') + '\u0000' + list[i].hardware + '\u0000' + list[i].metric;
    if (st.sort === 'name') out.sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
    else if (st.sort === 'recent') out.sort((a, b) => last[b] - last[a]);
    else if (st.sort === 'change') out.sort((a, b) => Math.abs(list[b].change || 0) - Math.abs(list[a].change || 0));
    else out.sort((a, b) => ((rank[list[a].status] ?? 4) - (rank[list[b].status] ?? 4)) || Math.abs(list[b].change || 0) - Math.abs(list[a].change || 0) || a - b);
    rows = out;
    const ms = performance.now() - t0;
    cur = -1;
    status.textContent = fmtCount(rows.length) + ' of ' + fmtCount(list.length) + ' series';
    status.title = 'filtered in ' + ms.toFixed(1) + ' ms';
    viewport.dataset.total = String(rows.length);
    viewport.dataset.filterMs = ms.toFixed(1);
    spacer.style.height = rows.length * ROW_H + 'px';
    viewport.scrollTop = 0;
    draw(true);
    setParams({ q: st.q, hw: st.hw, metric: st.metric, branch: st.branch, from: st.from, to: st.to, regressed: st.regressed, sort: st.sort === 'status' ? '' : st.sort });
  }

  const pool = new Map(); // row index -> element
  let raf = 0;
  function draw(force) {
    const top = viewport.scrollTop;
    const hgt = viewport.clientHeight || 600;
    const a = Math.max(0, Math.floor(top / ROW_H) - OVERSCAN);
    const b = Math.min(rows.length, Math.ceil((top + hgt) / ROW_H) + OVERSCAN);
    if (force) { for (const e of pool.values()) e.remove(); pool.clear(); }
    for (const [k, e] of pool) if (k < a || k >= b) { e.remove(); pool.delete(k); }
    for (let k = a; k < b; k++) {
      let e = pool.get(k);
      if (!e) { e = rowEl(list[rows[k]], k); pool.set(k, e); viewport.append(e); }
      e.classList.toggle('current', k === cur);
    }
  }

  function rowEl(s, k) {
    const sc = scaleOf(s);
    const stCls = s.status === 'regressed' ? 'bad' : s.status === 'improved' ? 'good' : s.status === 'provisional' ? 'warn' : '';
    const e = h('a', { class: 'srow', role: 'row', href: serieHref(s.id, st.branch && st.branch !== m.mainBranch ? { branch: st.branch } : null), 'data-testid': 'series-row', 'data-id': s.id, 'data-k': k, tabindex: k === cur ? '0' : '-1' },
      h('span', { class: 'bench', role: 'cell', title: s.benchmark + (s.params ? ' [' + s.params + ']' : '') }, h('span', { class: 'bname' }, s.benchmark), s.params ? h('span', { class: 'params' }, ' ' + s.params) : ''),
      h('span', { role: 'cell', class: 'ellip', title: s.hardware + (s.runner ? ' · ' + s.runner : '') }, s.hardware),
      h('span', { role: 'cell', class: 'ellip muted' }, s.metric),
      h('span', { role: 'cell', class: 'num' }, sc.fmt(s.last)),
      h('span', { role: 'cell', class: 'stat ' + stCls }, s.status === 'ok' ? 'ok' : s.status + (s.change ? ' ' + fmtPct(s.change) : '')),
      h('span', { role: 'cell', class: 'num muted' }, fmtCount(s.points)),
      h('span', { role: 'cell', class: 'muted', title: fmtDateTime(s.lastTime) }, fmtAgo(s.lastTime)));
    e.style.top = k * ROW_H + 'px';
    return e;
  }

  viewport.addEventListener('scroll', () => { if (!raf) raf = requestAnimationFrame(() => { raf = 0; draw(false); }); });
  const onResize = () => draw(false);
  window.addEventListener('resize', onResize);

  function focusRow(k) {
    if (!rows.length) return;
    cur = Math.max(0, Math.min(rows.length - 1, k));
    const y = cur * ROW_H;
    if (y < viewport.scrollTop) viewport.scrollTop = y;
    else if (y + ROW_H > viewport.scrollTop + viewport.clientHeight) viewport.scrollTop = y + ROW_H - viewport.clientHeight;
    draw(false);
    const e = pool.get(cur);
    if (e) { for (const x of pool.values()) x.tabIndex = -1; e.tabIndex = 0; e.focus({ preventScroll: true }); }
  }

  search.addEventListener('input', () => { st.q = search.value; apply(); });
  const bindSel = (wrap, key) => wrap.querySelector('select').addEventListener('change', (e) => { st[key] = e.target.value; apply(); });
  bindSel(fHw, 'hw'); bindSel(fMetric, 'metric'); bindSel(fBranch, 'branch');
  fFrom.addEventListener('change', () => { st.from = fFrom.value; apply(); });
  fTo.addEventListener('change', () => { st.to = fTo.value; apply(); });
  fReg.addEventListener('change', () => { st.regressed = fReg.checked; apply(); });
  fSort.addEventListener('change', () => { st.sort = fSort.value; apply(); });
  reset.addEventListener('click', () => {
    Object.assign(st, { q: '', hw: '', metric: '', branch: '', from: '', to: '', regressed: false });
    search.value = ''; fFrom.value = ''; fTo.value = ''; fReg.checked = false;
    for (const w of [fHw, fMetric, fBranch]) w.querySelector('select').value = '';
    apply();
  });

  apply();
  if (p.get('focus') === '1' || p.has('q')) { search.focus(); }
  ctx.ready('series');

  return {
    keys(e, field) {
      if (field) {
        if (e.target === search && (e.key === 'ArrowDown' || e.key === 'Enter')) { focusRow(0); return true; }
        return false;
      }
      if (e.key === 'j' || e.key === 'ArrowDown') { focusRow(cur + 1); return true; }
      if (e.key === 'k' || e.key === 'ArrowUp') { if (cur <= 0) { search.focus(); return true; } focusRow(cur - 1); return true; }
      if (e.key === 'Home') { focusRow(0); return true; }
      if (e.key === 'End') { focusRow(rows.length - 1); return true; }
      if (e.key === 'PageDown') { focusRow(cur + Math.floor(viewport.clientHeight / ROW_H)); return true; }
      if (e.key === 'PageUp') { focusRow(cur - Math.floor(viewport.clientHeight / ROW_H)); return true; }
      return false;
    },
    destroy() { window.removeEventListener('resize', onResize); if (raf) cancelAnimationFrame(raf); },
  };
}
