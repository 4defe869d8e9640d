import './style.css';
import { h, clear } from './util.js';
import { loadManifest } from './data.js';
import { overview } from './views/overview.js';
import { heatmaps } from './views/heatmaps.js';
import { seriesList } from './views/serieslist.js';
import { serie } from './views/serie.js';
import { errorsView, downloadsView } from './views/tables.js';
import { sqlView } from './views/sqlview.js';
import { initTheme } from './theme.js';
import { parseHash } from './router.js';

const routes = [
  { re: /^$/, nav: 'overview', view: overview },
  { re: /^series$/, nav: 'series', view: seriesList },
  { re: /^s\/(.+)$/, nav: 'series', view: serie },
  { re: /^heatmaps?(?:\/(.+))?$/, nav: 'heatmaps', view: heatmaps },
  { re: /^errors$/, nav: 'errors', view: errorsView },
  { re: /^downloads$/, nav: 'downloads', view: downloadsView },
  { re: /^sql$/, nav: 'sql', view: sqlView },
];

const NAV = [
  ['overview', '#/', 'Overview'],
  ['series', '#/series', 'Series'],
  ['heatmaps', '#/heatmaps', 'Heatmaps'],
  ['errors', '#/errors', 'Errors'],
  ['downloads', '#/downloads', 'Downloads'],
  ['sql', '#/sql', 'SQL'],
];

const app = {
  manifest: null,
  view: null, // the current view's {keys(e), destroy()}
  token: 0,
  navDepth: 0,
};

function shell(manifest) {
  const title = (manifest && manifest.title) || 'Benchmarks';
  document.title = title;
  // The SQL tab needs tables to query and Downloads files to offer: a report file or a site
  // built without downloads has neither.
  const has = {
    sql: !!(manifest && manifest.sql && Array.isArray(manifest.sql.tables) && manifest.sql.tables.length),
    downloads: !!(manifest && Array.isArray(manifest.downloads) && manifest.downloads.length),
  };
  const nav = h('nav', { class: 'nav', 'aria-label': 'Views' },
    NAV.filter(([id]) => has[id] !== false).map(([id, href, text]) => h('a', { href, 'data-testid': 'nav-' + id, 'data-nav': id }, text)));
  const toggle = h('button', { type: 'button', class: 'theme-toggle', 'data-testid': 'theme-toggle', title: 'Toggle dark mode' });
  initTheme(toggle);
  const header = h('header', { class: 'top' },
    h('a', { class: 'brand', href: '#/' }, title),
    nav,
    h('span', { class: 'spacer' }),
    h('span', { class: 'kbd-hint', title: '/ search · j/k move · Enter open · Esc back' }, h('kbd', null, '/'), ' search'),
    toggle);
  const main = h('main', { id: 'view', tabindex: '-1' });
  const foot = h('footer', { class: 'foot' },
    manifest && manifest.generated ? 'Generated ' + manifest.generated.replace('T', ' ').replace(/Z$/, ' UTC') : '',
    ' · benchgate');
  document.body.replaceChildren(h('a', { class: 'skip', href: '#view' }, 'Skip to content'), header, main, foot);
  return main;
}

let mainEl = null;

async function route() {
  const { path, params } = parseHash();
  const r = routes.find((x) => x.re.test(path)) || routes[0];
  const m = r.re.exec(path) || [];
  const token = ++app.token;
  if (app.view && app.view.destroy) app.view.destroy();
  app.view = null;
  delete document.body.dataset.ready;
  for (const a of document.querySelectorAll('.nav a')) {
    if (a.dataset.nav === r.nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const container = h('div', { class: 'view view-' + r.nav });
  mainEl.replaceChildren(container);
  const ctx = {
    manifest: app.manifest,
    params,
    arg: m[1] ? decodeURIComponent(m[1]) : '',
    stale: () => token !== app.token,
    ready: (name) => { if (token === app.token) document.body.dataset.ready = name; },
  };
  try {
    const v = await r.view(container, ctx);
    if (token === app.token) {
      app.view = v || null;
      // Keyboard users continue from the new view, not from a link that is gone.
      if (!document.activeElement || document.activeElement === document.body) mainEl.focus({ preventScroll: true });
    } else if (v && v.destroy) v.destroy();
  } catch (err) {
    if (token !== app.token) return;
    console.error(err);
    container.replaceChildren(h('div', { class: 'error-box', role: 'alert' }, 'Could not show this view: ' + (err && err.message ? err.message : String(err))));
    ctx.ready('error');
  }
}

// ---- keyboard: "/" search, j/k or arrows move in lists, Enter opens, Esc back.

function isField(el) {
  return el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

function moveFocus(delta) {
  const items = [...mainEl.querySelectorAll('[data-nav-item]')].filter((el) => el.offsetParent !== null);
  if (!items.length) return false;
  let i = items.indexOf(document.activeElement);
  if (i < 0) i = items.findIndex((el) => el.contains(document.activeElement));
  i = i < 0 ? (delta > 0 ? 0 : items.length - 1) : Math.max(0, Math.min(items.length - 1, i + delta));
  items[i].focus();
  items[i].scrollIntoView({ block: 'nearest' });
  return true;
}

function onKey(e) {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
  const field = isField(e.target);
  if (app.view && app.view.keys && app.view.keys(e, field)) { e.preventDefault(); return; }
  if (e.key === 'Escape') {
    if (field) { e.target.blur(); e.preventDefault(); return; }
    const { path } = parseHash();
    if (path === '') return;
    e.preventDefault();
    if (app.navDepth > 0) history.back();
    else location.hash = path.startsWith('s/') ? '#/series' : '#/';
    return;
  }
  if (field) return;
  if (e.key === '/') {
    e.preventDefault();
    const s = document.querySelector('[data-testid="search"]');
    if (s) { s.focus(); s.select(); } else location.hash = '#/series?focus=1';
    return;
  }
  if (e.key === 'j' || e.key === 'ArrowDown') { if (moveFocus(1)) e.preventDefault(); return; }
  if (e.key === 'k' || e.key === 'ArrowUp') { if (moveFocus(-1)) e.preventDefault(); }
}

async function boot() {
  let manifest = null;
  mainEl = shell(null);
  try {
    manifest = await loadManifest();
  } catch (err) {
    mainEl.replaceChildren(h('div', { class: 'error-box', role: 'alert' }, 'Could not load data/manifest.json: ' + err.message));
    document.body.dataset.ready = 'error';
    return;
  }
  app.manifest = manifest;
  mainEl = shell(manifest);
  window.addEventListener('hashchange', () => {
    // Esc goes back only within the application's own history.
    if (history.state && typeof history.state.depth === 'number') app.navDepth = history.state.depth;
    else { app.navDepth++; history.replaceState({ depth: app.navDepth }, '', location.hash); }
    route();
  });
  window.addEventListener('popstate', () => {
    if (history.state && typeof history.state.depth === 'number') app.navDepth = history.state.depth;
  });
  document.addEventListener('keydown', onKey);
  if (!history.state) history.replaceState({ depth: 0 }, '', location.hash || '#/');
  route();
}

boot();
