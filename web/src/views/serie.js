import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h, unitScale, median, fmtPct, fmtDateTime, commitLink, compareLink, shortCommit, fmtCount } from '../util.js';
import { loadSerie, loadCommits, fetchJSON } from '../data.js';
import { setParams } from '../router.js';
import { onThemeChange } from '../theme.js';
import { badge, dirClass, interval, th } from './overview.js';

const COLS = ['commit', 'time', 'value', 'low', 'high', 'n', 'run'];

// cols turns a branch's columns into {commit, time, value, low, high, n, run} arrays: the
// commit column holds indices into data/commits.json (whose id and time are the point's commit
// and date); full ids with a time column are read too.
function cols(b, commits) {
  const o = {};
  for (const k of COLS) o[k] = [];
  if (!b) return o;
  const c = Array.isArray(b.commit) ? b.commit : [];
  const list = commits && Array.isArray(commits.commits) ? commits.commits : [];
  for (let i = 0; i < c.length; i++) {
    if (typeof c[i] === 'number') {
      const ci = list[c[i]];
      o.commit.push(ci ? String(ci.id) : '');
      o.time.push(ci ? ci.time : '');
    } else {
      o.commit.push(c[i] == null ? '' : String(c[i]));
      o.time.push(Array.isArray(b.time) ? b.time[i] : '');
    }
    o.value.push(at(b.value, i));
    o.low.push(at(b.low, i));
    o.high.push(at(b.high, i));
    o.n.push(at(b.n, i));
    o.run.push(Array.isArray(b.run) ? b.run[i] : null);
  }
  return o;
}
const at = (a, i) => (Array.isArray(a) ? a[i] : null);

function parseWhen(s) {
  if (!s) return NaN;
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? s + 'T00:00:00Z' : s);
  return isNaN(t) ? NaN : t / 1000;
}
const fmtWhen = (sec) => new Date(sec * 1000).toISOString().slice(0, 16) + 'Z';

// UTC tick labels, 24-hour clock: "11-24" for days, "06:00" within a day, the date under the
// first tick of each day, the year under the first tick of each year.
function timeTicks(u, ticks, ax, space, incr) {
  let prevDay = '', prevYear = '';
  return ticks.map((t) => {
    const d = new Date(t * 1000).toISOString();
    const day = d.slice(5, 10), year = d.slice(0, 4);
    const newYear = year !== prevYear, newDay = d.slice(0, 10) !== prevDay;
    prevYear = year; prevDay = d.slice(0, 10);
    if (incr >= 86400 * 28) return d.slice(0, 7);
    if (incr >= 86400) return newYear ? day + '\n' + year : day;
    const hm = d.slice(11, 16);
    return newDay ? hm + '\n' + day + (newYear ? ' ' + year : '') : hm;
  });
}

function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

// One series: data/s/<id>.json (and older chunks on request), a uPlot chart with change
// points, outliers and environment changes, a branch overlay, and the raw points.
export async function serie(el, ctx) {
  const m = ctx.manifest;
  const id = ctx.arg;
  el.append(h('p', { class: 'muted' }, 'Loading series ', h('span', { class: 'mono' }, id), '…'));
  const [doc, commits] = await Promise.all([loadSerie(id), loadCommits()]);
  if (ctx.stale()) return;
  el.replaceChildren();

  const mainName = m.mainBranch || 'main';
  const branchesDoc = doc.branches || {};
  const main = cols(branchesDoc[mainName], commits);
  const others = Object.keys(branchesDoc).filter((b) => b !== mainName);
  let branch = ctx.params.get('branch') || '';
  if (branch === mainName || !branchesDoc[branch]) branch = '';
  // A series only a pull request has measured so far: show that branch.
  if (!branch && !main.value.length && others.length) branch = others[0];
  const older = Array.isArray(doc.older) ? doc.older.slice() : [];
  let olderLoaded = 0;
  const outliers = new Set(Array.isArray(doc.outliers) ? doc.outliers : []);
  const changes = Array.isArray(doc.changes) ? doc.changes : [];
  const env = Array.isArray(doc.environment) ? doc.environment : [];
  let range = { from: parseWhen(ctx.params.get('from')), to: parseWhen(ctx.params.get('to')) };

  // ---- header
  const title = doc.params ? [doc.benchmark, h('span', { class: 'params' }, ' [' + doc.params + ']')] : doc.benchmark;
  el.append(h('nav', { class: 'crumbs' }, h('a', { href: '#/series' }, 'Series'), ' / ', h('span', { class: 'mono' }, doc.id)));
  el.append(h('h1', { class: 'serie-title' }, title));
  el.append(h('p', { class: 'meta' },
    h('span', { class: 'pill' }, doc.hardware), doc.runner ? h('span', { class: 'pill' }, doc.runner) : '',
    h('span', { class: 'pill' }, doc.metric), h('span', { class: 'muted' }, (doc.better === 'bigger' ? 'bigger is better' : 'smaller is better') + (doc.exact ? ' · exact' : ''))));

  // ---- controls
  const bsel = h('select', { 'data-testid': 'branch-select', 'aria-label': 'Compare with branch' },
    h('option', { value: '' }, mainName + ' only'),
    others.map((b) => h('option', { value: b, selected: b === branch ? true : null }, mainName + ' + ' + b)));
  const btn = (t, title, testid) => h('button', { type: 'button', class: 'btn', title, 'data-testid': testid }, t);
  const bReset = btn('Reset zoom', 'Show all points (also double-click the chart)', 'chart-reset');
  const bIn = btn('+', 'Zoom in (+)', 'chart-zoom-in');
  const bOut = btn('−', 'Zoom out (−)', 'chart-zoom-out');
  const bLeft = btn('◀', 'Pan left (Shift+←, or Shift+drag)', 'chart-pan-left');
  const bRight = btn('▶', 'Pan right (Shift+→, or Shift+drag)', 'chart-pan-right');
  const bOlder = btn('Load older', 'Load the previous chunk of main-branch history', 'load-older');
  const info = h('span', { class: 'muted small' });
  el.append(h('div', { class: 'toolbar' },
    h('label', { class: 'field inline' }, h('span', null, 'Branch'), bsel),
    h('span', { class: 'btn-group' }, bLeft, bOut, bIn, bRight), bReset, older.length ? bOlder : null, info));

  const tip = h('div', { class: 'tooltip chart-tip', role: 'tooltip', 'data-testid': 'tooltip', hidden: true });
  const chartBox = h('div', { class: 'chart', 'data-testid': 'chart', tabindex: '0', 'aria-label': 'Chart of ' + doc.benchmark + '; arrow keys move between points, Enter pins the tooltip' });
  const wrap = h('div', { class: 'chart-wrap' }, chartBox, tip);
  el.append(wrap);
  el.append(h('div', { class: 'chart-legend small muted', 'aria-hidden': 'true' },
    h('span', { class: 'lg lg-main' }), mainName, ' ',
    others.length ? [h('span', { class: 'lg lg-pr' }), 'branch', ' '] : '',
    h('span', { class: 'lg lg-band' }), 'low–high', ' ',
    h('span', { class: 'lg lg-reg' }), 'regression', ' ', h('span', { class: 'lg lg-imp' }), 'improvement', ' ',
    h('span', { class: 'lg lg-prov' }), 'provisional', ' ', h('span', { class: 'lg lg-out' }), 'outlier', ' ', h('span', { class: 'lg lg-env' }), 'environment change',
    ' · drag to zoom, Shift+drag to pan, click a point to pin'));

  const tables = h('div');
  el.append(tables);

  // ---- data for the chart
  let data, map, sc, plot = null, pinned = false, cursorIdx = null;

  function build() {
    const pr = branch ? cols(branchesDoc[branch], commits) : null;
    const xm = main.time.map((t) => Date.parse(t) / 1000);
    const xp = pr ? pr.time.map((t) => Date.parse(t) / 1000) : [];
    // merge the two sorted time axes; keep x strictly increasing
    const x = [], v = [], lo = [], hi = [], vp = [], mi = [], pi = [];
    let i = 0, j = 0, prev = -Infinity;
    while (i < xm.length || j < xp.length) {
      const takeMain = j >= xp.length || (i < xm.length && xm[i] <= xp[j]);
      let t = takeMain ? xm[i] : xp[j];
      if (!(t > prev)) t = prev + 0.001;
      prev = t;
      x.push(t);
      if (takeMain) { v.push(num(main.value[i])); lo.push(num(main.low[i])); hi.push(num(main.high[i])); vp.push(null); mi.push(i); pi.push(-1); i++; }
      else { v.push(null); lo.push(null); hi.push(null); vp.push(num(pr.value[j])); mi.push(-1); pi.push(j); j++; }
    }
    data = pr ? [x, v, lo, hi, vp] : [x, v, lo, hi];
    map = { mi, pi, pr };
    sc = unitScale(doc.unit, median(main.value.concat(pr ? pr.value : [])));
    info.textContent = fmtCount(main.value.length) + ' ' + mainName + ' points' + (pr ? ' · ' + fmtCount(pr.value.length) + ' on ' + branch : '') +
      (older.length > olderLoaded ? ' · ' + fmtCount(older.slice(0, older.length - olderLoaded).reduce((a, o) => a + (o.points || 0), 0)) + ' older not loaded' : '');
    bOlder.disabled = olderLoaded >= older.length;
  }

  const num = (v) => (typeof v === 'number' && isFinite(v) ? v : null);

  function xIndexOfCommit(c) {
    const k = main.commit.indexOf(c);
    if (k < 0) return null;
    const a = map.mi.indexOf(k);
    return a < 0 ? null : a;
  }

  function markers(u) {
    const c = u.ctx, dpr = devicePixelRatio || 1;
    const { left, top, width, height } = u.bbox;
    const xAt = (commit, time) => {
      const a = xIndexOfCommit(commit);
      return a != null ? data[0][a] : Date.parse(time) / 1000;
    };
    c.save();
    c.beginPath(); c.rect(left, top, width, height); c.clip();
    for (const e of env) {
      const xv = xAt(e.commit, e.time);
      if (!isFinite(xv)) continue;
      const px = Math.round(u.valToPos(xv, 'x', true)) + 0.5;
      c.strokeStyle = colors.env; c.lineWidth = 1.5 * dpr; c.setLineDash([2 * dpr, 3 * dpr]);
      c.beginPath(); c.moveTo(px, top); c.lineTo(px, top + height); c.stroke();
      c.setLineDash([]); c.fillStyle = colors.env;
      c.beginPath(); c.moveTo(px, top + 2 * dpr); c.lineTo(px + 5 * dpr, top + 7 * dpr); c.lineTo(px, top + 12 * dpr); c.lineTo(px - 5 * dpr, top + 7 * dpr); c.closePath(); c.fill();
    }
    for (const ch of changes) {
      const xv = xAt(ch.commit, ch.time);
      if (!isFinite(xv)) continue;
      const px = Math.round(u.valToPos(xv, 'x', true)) + 0.5;
      c.strokeStyle = ch.direction === 'improvement' ? colors.good : colors.bad;
      c.lineWidth = 2 * dpr;
      c.setLineDash(ch.status === 'provisional' ? [6 * dpr, 4 * dpr] : []);
      c.beginPath(); c.moveTo(px, top); c.lineTo(px, top + height); c.stroke();
      // before → after levels
      if (typeof ch.before === 'number' && typeof ch.after === 'number') {
        c.setLineDash([]); c.lineWidth = 1 * dpr; c.globalAlpha = 0.7;
        const yb = u.valToPos(ch.before, 'y', true), ya = u.valToPos(ch.after, 'y', true);
        c.beginPath(); c.moveTo(px - 24 * dpr, yb); c.lineTo(px, yb); c.lineTo(px, ya); c.lineTo(px + 24 * dpr, ya); c.stroke();
        c.globalAlpha = 1;
      }
    }
    c.setLineDash([]);
    if (outliers.size) {
      c.strokeStyle = colors.out; c.lineWidth = 2 * dpr;
      for (let a = 0; a < data[0].length; a++) {
        const k = map.mi[a];
        if (k < 0 || !outliers.has(main.commit[k]) || data[1][a] == null) continue;
        const px = u.valToPos(data[0][a], 'x', true), py = u.valToPos(data[1][a], 'y', true);
        c.beginPath(); c.arc(px, py, 6 * dpr, 0, 2 * Math.PI); c.stroke();
        c.beginPath(); c.moveTo(px - 4 * dpr, py - 4 * dpr); c.lineTo(px + 4 * dpr, py + 4 * dpr); c.moveTo(px + 4 * dpr, py - 4 * dpr); c.lineTo(px - 4 * dpr, py + 4 * dpr); c.stroke();
      }
    }
    c.restore();
    chartBox.dataset.changepoints = String(changes.length);
    chartBox.dataset.outliers = String(outliers.size);
    chartBox.dataset.environment = String(env.length);
  }

  let colors = {};
  function readColors() {
    colors = {
      text: cssVar('--muted'), grid: cssVar('--grid'), main: cssVar('--series-main'), pr: cssVar('--series-pr'),
      band: cssVar('--series-band'), bad: cssVar('--bad'), good: cssVar('--good'), env: cssVar('--env'), out: cssVar('--outlier'),
    };
  }

  function tipFor(a) {
    const rows = [];
    const add = (br, c, k) => {
      const o = br === mainName ? main : c;
      const commit = o.commit[k];
      const chg = br === mainName ? changes.find((x) => x.commit === commit) : null;
      const en = br === mainName ? env.filter((x) => x.commit === commit) : [];
      rows.push(h('div', { class: 'tip-block' },
        h('div', { class: 'tip-head' }, h('span', { class: 'lg ' + (br === mainName ? 'lg-main' : 'lg-pr') }), br),
        h('div', null, commitLink(m, commit), ' ', h('span', { class: 'muted' }, fmtDateTime(o.time[k]))),
        h('div', { class: 'tip-value' }, sc.fmt(o.value[k])),
        h('div', { class: 'muted' }, 'low–high ', sc.fmtNum(o.low[k]), ' – ', sc.fmt(o.high[k]), ' · n ', String(o.n[k] ?? '')),
        o.run[k] ? h('div', { class: 'muted' }, 'run ', o.run[k]) : '',
        br === mainName && outliers.has(commit) ? h('div', { class: 'warn' }, 'outlier') : '',
        chg ? h('div', { class: dirClass(chg.direction) }, chg.direction + ' ' + fmtPct(chg.change) + ' (' + chg.status + ')') : '',
        en.map((x) => h('div', { class: 'env' }, 'environment: ', x.what))));
    };
    if (map.mi[a] >= 0) add(mainName, main, map.mi[a]);
    if (map.pi[a] >= 0) add(branch, map.pr, map.pi[a]);
    return rows;
  }

  function showTip(u) {
    const a = u.cursor.idx;
    if (a == null || a < 0) { if (!pinned) tip.hidden = true; return; }
    if (pinned) return;
    cursorIdx = a;
    tip.replaceChildren(...tipFor(a));
    tip.hidden = false;
    const yv = data[1][a] != null ? data[1][a] : data[4] ? data[4][a] : null;
    const px = u.valToPos(data[0][a], 'x') + u.over.offsetLeft;
    const py = (yv != null ? u.valToPos(yv, 'y') : u.cursor.top) + u.over.offsetTop;
    const W = wrap.clientWidth, tw = tip.offsetWidth, thh = tip.offsetHeight;
    let left = px + 14;
    if (left + tw > W - 4) left = px - tw - 14;
    let top = py - thh / 2;
    top = Math.max(0, Math.min(top, wrap.clientHeight - thh));
    tip.style.left = Math.max(0, left) + 'px';
    tip.style.top = top + 'px';
  }

  function syncRange(u) {
    const xs = u.scales.x;
    const full = data[0].length ? [data[0][0], data[0][data[0].length - 1]] : [0, 0];
    const zoomed = xs.min > full[0] + 1 || xs.max < full[1] - 1;
    range = zoomed ? { from: xs.min, to: xs.max } : { from: NaN, to: NaN };
    setParams({ branch, from: zoomed ? fmtWhen(xs.min) : '', to: zoomed ? fmtWhen(xs.max) : '' });
    renderTables();
  }

  function makePlot() {
    if (plot) { plot.destroy(); plot = null; }
    readColors();
    build();
    const width = Math.max(300, chartBox.clientWidth || wrap.clientWidth || 800);
    const height = Math.max(260, Math.min(460, Math.round(width * 0.42)));
    const series = [
      {},
      { label: mainName, stroke: colors.main, width: 1.5, spanGaps: true, points: { show: true, size: 5, fill: colors.main }, value: (u, v) => sc.fmt(v) },
      { label: 'low', stroke: 'transparent', width: 0, spanGaps: true, points: { show: false } },
      { label: 'high', stroke: 'transparent', width: 0, spanGaps: true, points: { show: false } },
    ];
    if (data.length > 4) series.push({ label: branch, stroke: colors.pr, width: 2, dash: [5, 3], spanGaps: true, points: { show: true, size: 8, fill: colors.pr } });
    const opts = {
      width, height,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'),
      legend: { show: false },
      cursor: { drag: { x: true, y: false, setScale: true }, points: { size: 9 }, focus: { prox: 24 } },
      focus: { alpha: 1 },
      select: { show: true },
      scales: { x: { time: true } },
      bands: [{ series: [3, 2], fill: colors.band }],
      series,
      axes: [
        { stroke: colors.text, grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid }, size: 46, values: timeTicks },
        { stroke: colors.text, grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid }, size: 64, label: sc.label, labelSize: 20, values: (u, ticks, ax, space, incr) => { const d = Math.max(0, Math.min(9, -Math.floor(Math.log10(Math.abs(incr * sc.factor) || 1) + 1e-9))); return ticks.map((v) => (v * sc.factor).toFixed(d)); } },
      ],
      hooks: {
        draw: [markers],
        setCursor: [showTip],
        setScale: [(u, key) => { if (key === 'x' && ready) syncRange(u); }],
      },
    };
    let ready = false;
    plot = new uPlot(opts, data, chartBox);
    if (isFinite(range.from) && isFinite(range.to) && range.to > range.from) plot.setScale('x', { min: range.from, max: range.to });
    ready = true;
    bindMouse(plot);
    renderTablesNow();
  }

  function bindMouse(u) {
    const over = u.over;
    // Shift+drag pans: the listener on the root runs (capture) before uPlot's own.
    u.root.addEventListener('mousedown', (e) => {
      if (!e.shiftKey && e.button !== 1) return;
      if (!over.contains(e.target)) return;
      e.preventDefault(); e.stopPropagation();
      const x0 = e.clientX, { min, max } = u.scales.x;
      const perPx = (max - min) / over.clientWidth;
      const move = (ev) => { const dx = (ev.clientX - x0) * perPx; u.setScale('x', { min: min - dx, max: max - dx }); };
      const up = () => { window.removeEventListener('mousemove', move); window.removeEventListener('mouseup', up); };
      window.addEventListener('mousemove', move);
      window.addEventListener('mouseup', up);
    }, true);
    over.addEventListener('click', () => {
      if (u.select.width > 2) return;
      if (u.cursor.idx == null) return;
      pinned = !pinned;
      tip.classList.toggle('pinned', pinned);
      if (!pinned) showTip(u);
    });
    over.addEventListener('dblclick', () => resetZoom());
    over.addEventListener('wheel', (e) => {
      if (!e.ctrlKey) return;
      e.preventDefault();
      const { min, max } = u.scales.x;
      const at = u.posToVal(e.offsetX, 'x');
      const f = e.deltaY < 0 ? 0.8 : 1.25;
      u.setScale('x', { min: at - (at - min) * f, max: at + (max - at) * f });
    }, { passive: false });
  }

  function zoom(f) {
    if (!plot) return;
    const { min, max } = plot.scales.x, c = (min + max) / 2, w = (max - min) * f / 2;
    plot.setScale('x', { min: c - w, max: c + w });
  }
  function pan(f) {
    if (!plot) return;
    const { min, max } = plot.scales.x, d = (max - min) * f;
    plot.setScale('x', { min: min + d, max: max + d });
  }
  function resetZoom() {
    if (!plot || !data[0].length) return;
    const x = data[0];
    const pad = x.length > 1 ? 0 : 3600;
    plot.setScale('x', { min: x[0] - pad, max: x[x.length - 1] + pad });
  }
  function moveCursor(d) {
    if (!plot || !data[0].length) return;
    let a = cursorIdx == null ? (d > 0 ? 0 : data[0].length - 1) : Math.max(0, Math.min(data[0].length - 1, cursorIdx + d));
    cursorIdx = a;
    const yv = data[1][a] != null ? data[1][a] : data[4] ? data[4][a] : null;
    const { min, max } = plot.scales.x;
    if (data[0][a] < min || data[0][a] > max) pan((data[0][a] - (min + max) / 2) / (max - min));
    pinned = false; tip.classList.remove('pinned');
    plot.setCursor({ left: plot.valToPos(data[0][a], 'x'), top: yv != null ? plot.valToPos(yv, 'y') : 10 });
  }

  bReset.addEventListener('click', resetZoom);
  bIn.addEventListener('click', () => zoom(0.5));
  bOut.addEventListener('click', () => zoom(2));
  bLeft.addEventListener('click', () => pan(-0.25));
  bRight.addEventListener('click', () => pan(0.25));
  bsel.addEventListener('change', () => {
    branch = bsel.value;
    setParams({ branch, from: isFinite(range.from) ? fmtWhen(range.from) : '', to: isFinite(range.to) ? fmtWhen(range.to) : '' });
    makePlot();
  });
  bOlder.addEventListener('click', async () => {
    if (olderLoaded >= older.length) return;
    const chunk = older[older.length - 1 - olderLoaded];
    bOlder.disabled = true;
    const prevText = bOlder.textContent;
    bOlder.textContent = 'Loading…';
    try {
      const d = await fetchJSON(chunk.path);
      const c = cols(d.main || (d.branches && d.branches[mainName]), commits);
      for (const k of COLS) main[k] = c[k].concat(main[k]);
      olderLoaded++;
      makePlot();
    } catch (err) {
      info.textContent = 'Could not load ' + chunk.path + ': ' + err.message;
    } finally {
      bOlder.textContent = prevText;
      bOlder.disabled = olderLoaded >= older.length;
    }
  });

  // ---- raw table, change points, environment
  let tableTimer = 0;
  let rawLimit = 250; // rows of the raw table drawn at first ("Show more" adds 1,000)
  function renderTables() {
    clearTimeout(tableTimer);
    tableTimer = setTimeout(renderTablesNow, 60);
  }
  function renderTablesNow() {
    const inRange = (t) => { const s = Date.parse(t) / 1000; return !(s < range.from) && !(s > range.to); };
    const rows = [];
    const push = (br, o) => { for (let k = o.value.length - 1; k >= 0; k--) if (inRange(o.time[k])) rows.push([br, o, k]); };
    push(mainName, main);
    if (map.pr) push(branch, map.pr);
    rows.sort((a, b) => Date.parse(b[1].time[b[2]]) - Date.parse(a[1].time[a[2]]));
    const LIMIT = rawLimit;
    const shown = rows.slice(0, LIMIT);
    const changeAt = new Map(changes.map((c) => [c.commit, c]));
    const hasRun = main.run.some((r) => r != null && r !== '') || !!(map.pr && map.pr.run.some((r) => r != null && r !== ''));
    const tbl = h('table', { class: 'tbl raw', 'data-testid': 'raw-table', 'data-rows': String(shown.length) },
      h('thead', null, h('tr', null, map.pr ? th('Branch') : null, th('Commit'), th('Date'), th('Value (' + sc.label + ')', 'num'), th('Low', 'num'), th('High', 'num'), th('n', 'num'), hasRun ? th('Run') : null, th(''))),
      h('tbody', null, shown.map(([br, o, k]) => {
        const c = o.commit[k];
        const chg = br === mainName ? changeAt.get(c) : null;
        return h('tr', { class: br !== mainName ? 'pr-row' : '' },
          map.pr ? h('td', { class: 'ellip' }, br) : null,
          h('td', null, commitLink(m, c)),
          h('td', { class: 'date' }, fmtDateTime(o.time[k])),
          h('td', { class: 'num' }, sc.fmtNum(o.value[k])),
          h('td', { class: 'num muted' }, sc.fmtNum(o.low[k])),
          h('td', { class: 'num muted' }, sc.fmtNum(o.high[k])),
          h('td', { class: 'num' }, o.n[k] == null ? '' : String(o.n[k])),
          hasRun ? h('td', { class: 'mono small' }, o.run[k] == null ? '' : String(o.run[k])) : null,
          h('td', null, br === mainName && outliers.has(c) ? h('span', { class: 'badge warn' }, 'outlier') : '', chg ? badge(chg.direction, chg.direction) : ''));
      })));
    const parts = [];
    if (changes.length) {
      parts.push(h('section', { class: 'panel' }, h('h2', null, 'Change points'), h('div', { class: 'scroll-x' }, h('table', { class: 'tbl', 'data-testid': 'changes-table' },
        h('thead', null, h('tr', null, th('Commit'), th('Date'), th('Change', 'num'), th('Interval', 'num'), th('Before → after', 'num'), th('Severity'), th('Status'))),
        h('tbody', null, changes.map((c) => h('tr', null,
          h('td', null, c.previous ? compareLink(m, c.previous, c.commit, shortCommit(c.previous) + '…' + shortCommit(c.commit)) : commitLink(m, c.commit)),
          h('td', { class: 'date' }, fmtDateTime(c.time)),
          h('td', { class: 'num ' + dirClass(c.direction) }, fmtPct(c.change)),
          h('td', { class: 'num muted' }, interval(c)),
          h('td', { class: 'num' }, sc.fmt(c.before), ' → ', sc.fmt(c.after)),
          h('td', null, badge(c.severity, c.direction)),
          h('td', { class: c.status === 'provisional' ? 'warn' : '' }, c.status))))))));
    }
    if (env.length) {
      parts.push(h('section', { class: 'panel' }, h('h2', null, 'Environment changes'), h('table', { class: 'tbl' },
        h('thead', null, h('tr', null, th('Commit'), th('Date'), th('What'))),
        h('tbody', null, env.map((e) => h('tr', null, h('td', null, commitLink(m, e.commit)), h('td', { class: 'date' }, fmtDateTime(e.time)), h('td', null, e.what)))))));
    }
    parts.push(h('section', { class: 'panel' }, h('h2', null, 'Raw data'),
      h('p', { class: 'muted small' }, (isFinite(range.from) ? 'Points in the zoomed range, ' : 'All loaded points, ') + 'newest first' +
        (rows.length > LIMIT ? ' (' + fmtCount(LIMIT) + ' of ' + fmtCount(rows.length) + ')' : '') + '. Values in ' + (sc.label || 'the series unit') + '.'),
      h('div', { class: 'scroll-x' }, tbl),
      rows.length > LIMIT ? h('button', { type: 'button', class: 'btn', 'data-testid': 'raw-more', onclick: () => { rawLimit += 1000; renderTablesNow(); } }, 'Show ' + fmtCount(Math.min(1000, rows.length - LIMIT)) + ' more') : null));
    tables.replaceChildren(...parts);
  }

  // ---- lifecycle
  makePlot();
  const ro = new ResizeObserver(() => {
    if (!plot) return;
    const w = Math.max(300, chartBox.clientWidth);
    if (Math.abs(w - plot.width) > 2) plot.setSize({ width: w, height: Math.max(260, Math.min(460, Math.round(w * 0.42))) });
  });
  ro.observe(wrap);
  const offTheme = onThemeChange(() => { if (plot) makePlot(); });
  ctx.ready('serie');

  return {
    keys(e, field) {
      if (field) return false;
      if (document.activeElement === chartBox) {
        if (e.key === 'ArrowRight' && e.shiftKey) { pan(0.25); return true; }
        if (e.key === 'ArrowLeft' && e.shiftKey) { pan(-0.25); return true; }
        if (e.key === 'ArrowRight' || e.key === 'l') { moveCursor(1); return true; }
        if (e.key === 'ArrowLeft' || e.key === 'h') { moveCursor(-1); return true; }
        if (e.key === 'Enter' && cursorIdx != null) { pinned = !pinned; tip.classList.toggle('pinned', pinned); return true; }
      }
      if (e.key === '+' || e.key === '=') { zoom(0.5); return true; }
      if (e.key === '-') { zoom(2); return true; }
      if (e.key === '0') { resetZoom(); return true; }
      if (e.key === 'Escape' && pinned) { pinned = false; tip.classList.remove('pinned'); tip.hidden = true; return true; }
      return false;
    },
    destroy() { ro.disconnect(); offTheme(); clearTimeout(tableTimer); if (plot) plot.destroy(); plot = null; },
  };
}
