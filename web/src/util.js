// Small DOM and formatting helpers. Every string from the data files goes through
// textContent / createTextNode or setAttribute: never through innerHTML.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const k in attrs) {
      const v = attrs[k];
      if (v == null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = String(v);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k === 'value') el.value = v;
      else if (k === 'checked') el.checked = !!v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

// safeUrl returns url when it is an absolute http(s) URL, else null: a data file cannot make
// the page follow a javascript: or data: link.
export function safeUrl(url) {
  if (typeof url !== 'string' || url === '') return null;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

// sitePath resolves a data-relative path ("data/parquet/x.parquet") against the page, and
// returns it only when it stays on the page's origin.
export function sitePath(path) {
  if (typeof path !== 'string' || path === '') return null;
  try {
    const u = new URL(path, document.baseURI);
    return u.origin === location.origin && (u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'file:') ? u.href : null;
  } catch {
    return null;
  }
}

export function link(href, text, attrs) {
  if (!href) return h('span', attrs, text);
  return h('a', { ...attrs, href }, text);
}

export function extLink(url, text, attrs) {
  const u = safeUrl(url);
  if (!u) return h('span', attrs, text);
  return h('a', { ...attrs, href: u, rel: 'noopener noreferrer' }, text);
}

export const shortCommit = (c) => (typeof c === 'string' ? c.slice(0, 12) : '');

export function commitLink(manifest, commit, attrs) {
  const short = shortCommit(commit);
  const tpl = manifest && manifest.commitUrl;
  const url = tpl && commit ? tpl.split('{commit}').join(encodeURIComponent(commit)) : '';
  return extLink(url, short, { class: 'mono', title: commit, ...attrs });
}

export function compareLink(manifest, from, to, text) {
  const tpl = manifest && manifest.compareUrl;
  const url = tpl && from && to ? tpl.split('{from}').join(encodeURIComponent(from)).split('{to}').join(encodeURIComponent(to)) : '';
  return extLink(url, text, { class: 'mono' });
}

export const serieHref = (id, params) => {
  const q = params ? new URLSearchParams(params).toString() : '';
  return '#/s/' + encodeURIComponent(id) + (q ? '?' + q : '');
};

// ---- dates

export function fmtDate(t) {
  if (!t) return '';
  const d = new Date(t);
  if (isNaN(d)) return String(t);
  return d.toISOString().slice(0, 10);
}

export function fmtDateTime(t) {
  if (!t) return '';
  const d = new Date(t);
  if (isNaN(d)) return String(t);
  return d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

export function fmtAgo(t) {
  const d = Date.parse(t);
  if (isNaN(d)) return '';
  const s = (Date.now() - d) / 1000;
  if (s < 0) return fmtDate(t);
  if (s < 3600) return Math.max(1, Math.round(s / 60)) + ' min ago';
  if (s < 86400) return Math.round(s / 3600) + ' h ago';
  if (s < 86400 * 60) return Math.round(s / 86400) + ' d ago';
  return fmtDate(t);
}

// ---- numbers and units

export function fmtPct(f) {
  if (typeof f !== 'number' || !isFinite(f)) return '';
  const p = f * 100;
  const a = Math.abs(p);
  const s = a >= 100 ? p.toFixed(0) : a >= 10 ? p.toFixed(1) : p.toFixed(2);
  return (p > 0 ? '+' : p < 0 ? '' : '±') + s.replace('-', '−') + ' %';
}

export function fmtBytes(n) {
  if (typeof n !== 'number' || !isFinite(n)) return '';
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (Math.abs(n) >= 1024 && i < u.length - 1) { n /= 1024; i++; }
  return (i === 0 ? String(n) : sig3(n)) + ' ' + u[i];
}

export const fmtCount = (n) => (typeof n === 'number' ? n.toLocaleString('en-US') : '');

function sig3(x) {
  const a = Math.abs(x);
  if (a === 0) return '0';
  if (a >= 1000) return x.toFixed(0);
  if (a >= 99.95) return x.toFixed(0);
  return x.toPrecision(3);
}

const TIME = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, 'μs': 1e-6, ms: 1e-3, s: 1, sec: 1 };
const TIME_STEPS = [['ns', 1e-9], ['µs', 1e-6], ['ms', 1e-3], ['s', 1]];
const BYTES = { B: 1, KB: 1e3, KiB: 1024, MB: 1e6, MiB: 1024 ** 2, GB: 1e9, GiB: 1024 ** 3 };
const BYTE_STEPS = [['B', 1], ['KiB', 1024], ['MiB', 1024 ** 2], ['GiB', 1024 ** 3], ['TiB', 1024 ** 4]];
const SI_STEPS = [['', 1], ['k', 1e3], ['M', 1e6], ['G', 1e9], ['T', 1e12]];

// unitScale picks the display scale of a series from a representative value (its median):
// returns {factor, label, fmt(v), fmtNum(v)}: fmt(v) is "2.00 µs/op".
export function unitScale(unit, ref) {
  unit = typeof unit === 'string' ? unit : '';
  const slash = unit.indexOf('/');
  const head = slash >= 0 ? unit.slice(0, slash) : unit;
  const suffix = slash >= 0 ? unit.slice(slash) : '';
  const a = typeof ref === 'number' && isFinite(ref) ? Math.abs(ref) : 0;
  let base, steps, kind;
  if (head in TIME) { base = TIME[head]; steps = TIME_STEPS; kind = 'time'; }
  else if (head in BYTES) { base = BYTES[head]; steps = BYTE_STEPS; kind = 'bytes'; }
  else { base = 1; steps = SI_STEPS; kind = 'si'; }
  const abs = a * base;
  let pick = steps[0];
  for (const s of steps) if (abs >= s[1] * 0.9995) pick = s;
  if (abs === 0 && kind === 'time') pick = steps.find((s) => s[1] === base) || pick;
  const factor = base / pick[1];
  let label;
  if (kind === 'si') label = pick[0] ? pick[0] + (unit ? ' ' + unit : '') : unit;
  else label = pick[0] + suffix;
  const fmtNum = (v) => (typeof v === 'number' && isFinite(v) ? sig3(v * factor) : '');
  const fmt = (v) => {
    const s = fmtNum(v);
    return s === '' ? '' : label ? (kind === 'si' && pick[0] ? s + pick[0] + (unit ? ' ' + unit : '') : s + ' ' + label) : s;
  };
  return { factor, label, fmt, fmtNum };
}

export function median(arr) {
  const a = arr.filter((v) => typeof v === 'number' && isFinite(v)).sort((x, y) => x - y);
  if (!a.length) return 0;
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2;
}

export function fmtValue(unit, v) {
  return unitScale(unit, v).fmt(v);
}

export function seriesLabel(s) {
  return s.params ? s.benchmark + ' [' + s.params + ']' : s.benchmark;
}
