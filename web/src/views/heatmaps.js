import { h, unitScale, median, serieHref } from '../util.js';

// Viridis stops: perceptually uniform and readable with the common colour-vision deficiencies.
const VIRIDIS = [[68, 1, 84], [72, 40, 120], [62, 73, 137], [49, 104, 142], [38, 130, 142], [31, 158, 137], [53, 183, 121], [110, 206, 88], [181, 222, 43], [253, 231, 37]];

function viridis(t) {
  t = Math.max(0, Math.min(1, t));
  const x = t * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i], b = VIRIDIS[i + 1];
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * f));
}

// ratio: how many times worse than the row's best (1 = best).
export function ratioOf(v, best, better) {
  if (typeof v !== 'number' || typeof best !== 'number' || v <= 0 || best <= 0) return NaN;
  return better === 'bigger' ? best / v : v / best;
}

export function heatmaps(el, ctx) {
  const m = ctx.manifest;
  const maps = Array.isArray(m.heatmaps) ? m.heatmaps : [];
  el.append(h('h1', null, 'Heatmaps'));
  if (!maps.length) {
    el.append(h('p', { class: 'muted' }, 'No heatmap data yet.'));
    ctx.ready('heatmaps');
    return;
  }
  const kind = maps.some((x) => x.kind === ctx.arg) ? ctx.arg : maps[0].kind;
  el.append(h('div', { class: 'tabs', role: 'tablist' }, maps.map((x) => h('a', {
    href: '#/heatmap/' + encodeURIComponent(x.kind), role: 'tab', 'aria-selected': x.kind === kind ? 'true' : 'false',
    class: x.kind === kind ? 'tab active' : 'tab', 'data-testid': 'heatmap-tab-' + x.kind,
  }, x.title || x.kind))));
  const hm = maps.find((x) => x.kind === kind);
  const tip = h('div', { class: 'tooltip', role: 'tooltip', 'data-testid': 'tooltip', hidden: true });
  el.append(h('p', { class: 'muted' },
    (hm.title || hm.kind) + ' · metric ' + hm.metric + ' · ' + (hm.better === 'bigger' ? 'bigger is better' : 'smaller is better') +
    ' · colour: times worse than the row\'s best hardware (log scale).'));
  el.append(legend());
  el.append(h('div', { class: 'heat-wrap' }, table(hm, tip)));
  el.append(tip);
  ctx.ready('heatmaps');
  // Arrow keys move in the grid (j/k move through the cells in reading order).
  const grid = el.querySelector('.heat');
  return {
    keys(e, field) {
      if (field) return false;
      const cur = document.activeElement;
      if (!cur || !grid.contains(cur) || cur.dataset.r == null) return false;
      const d = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] }[e.key];
      if (!d) return false;
      let r = +cur.dataset.r, c = +cur.dataset.c;
      const nr = (hm.rows || []).length, nc = (hm.columns || []).length;
      for (let i = 0; i < Math.max(nr, nc); i++) {
        r += d[0]; c += d[1];
        if (r < 0 || c < 0 || r >= nr || c >= nc) break;
        const next = grid.querySelector(`[data-r="${r}"][data-c="${c}"]`);
        if (next) { next.focus(); next.scrollIntoView({ block: 'nearest', inline: 'nearest' }); break; }
      }
      return true;
    },
    destroy() { tip.remove(); },
  };
}

function legend() {
  const steps = [1, 1.25, 1.5, 2, 3, 5, 10];
  return h('div', { class: 'heat-legend', 'aria-hidden': 'true' }, 'best', steps.map((r) => {
    const [R, G, B] = viridis(1 - Math.log(r) / Math.log(10));
    const sw = h('span', { class: 'swatch' }, r === 1 ? '1×' : r + '×');
    sw.style.backgroundColor = `rgb(${R},${G},${B})`;
    sw.style.color = lum(R, G, B) > 0.45 ? '#111' : '#fff';
    return sw;
  }), 'worse');
}

const lum = (r, g, b) => (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;

function table(hm, tip) {
  const rows = hm.rows || [], cols = hm.columns || [], vals = hm.values || [], ids = hm.series || [], best = hm.best || [];
  // A fixed scale, the legend's: 1× (best) to 10× worse and beyond.
  const maxR = 10;
  const show = (cell, text) => {
    tip.replaceChildren(...text.map((t, i) => (i === 0 ? h('strong', null, t) : h('div', null, t))));
    tip.hidden = false;
    const r = cell.getBoundingClientRect();
    const tr = tip.getBoundingClientRect();
    let x = r.left + window.scrollX + r.width / 2 - tr.width / 2;
    x = Math.max(4 + window.scrollX, Math.min(x, window.scrollX + document.documentElement.clientWidth - tr.width - 4));
    tip.style.left = x + 'px';
    tip.style.top = (r.top + window.scrollY - tr.height - 6) + 'px';
  };
  const hide = () => { tip.hidden = true; };
  const body = h('tbody');
  for (let r = 0; r < rows.length; r++) {
    const rowVals = vals[r] || [];
    const sc = unitScale(hm.unit, median(rowVals));
    const bi = best[r];
    const bv = bi >= 0 ? rowVals[bi] : null;
    const tr = h('tr', null, h('th', { scope: 'row', class: 'heat-row' }, rows[r], sc.label ? h('span', { class: 'muted unit' }, ' ' + sc.label) : ''));
    for (let c = 0; c < cols.length; c++) {
      const v = rowVals[c];
      const id = ids[r] && ids[r][c];
      if (typeof v !== 'number') { tr.append(h('td', { class: 'heat-cell empty' }, '—')); continue; }
      const q = ratioOf(v, bv, hm.better);
      const t = isFinite(q) ? 1 - Math.log(q) / Math.log(maxR) : 0.5;
      const [R, G, B] = viridis(t);
      const text = [rows[r] + ' on ' + cols[c], sc.fmt(v), isFinite(q) ? (c === bi ? 'best (1.00×)' : q.toFixed(2) + '× the best (' + cols[bi] + ')') : ''];
      const cell = id ? h('a', { href: serieHref(id), class: 'heat-link', 'data-nav-item': '', 'data-r': r, 'data-c': c, 'aria-label': text.join(', ') }, sc.fmtNum(v))
        : h('span', { tabindex: '0', 'data-nav-item': '', 'data-r': r, 'data-c': c, 'aria-label': text.join(', ') }, sc.fmtNum(v));
      const td = h('td', { class: 'heat-cell' + (c === bi ? ' best' : ''), 'data-ratio': isFinite(q) ? q.toFixed(3) : '' }, cell);
      td.style.backgroundColor = `rgb(${R},${G},${B})`;
      td.style.color = lum(R, G, B) > 0.45 ? '#111' : '#fff';
      const on = () => show(td, text);
      cell.addEventListener('mouseenter', on);
      cell.addEventListener('focus', on);
      cell.addEventListener('mouseleave', hide);
      cell.addEventListener('blur', hide);
      tr.append(td);
    }
    tr.append(h('td', { class: 'heat-best' }, bi >= 0 ? [cols[bi], h('span', { class: 'muted' }, ' ' + sc.fmt(bv))] : '—'));
    body.append(tr);
  }
  const unitNote = hm.unit ? ' (' + hm.unit + ', scaled per row)' : '';
  return h('table', { class: 'heat', 'data-testid': 'heatmap' },
    h('caption', { class: 'sr-only' }, (hm.title || hm.kind) + unitNote),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Benchmark'), cols.map((c) => h('th', { scope: 'col', class: 'heat-col' }, c)), h('th', { scope: 'col' }, 'Best hardware'))),
    body);
}
