// Dark mode follows the system unless the toggle chose one; the choice persists in
// localStorage and is set as data-theme on <html>.
const KEY = 'benchgate-theme';
const mq = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
const listeners = new Set();
let current = null;
let watching = false;

export function effectiveTheme() {
  const t = document.documentElement.dataset.theme;
  if (t === 'dark' || t === 'light') return t;
  return mq && mq.matches ? 'dark' : 'light';
}

export function onThemeChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function stored() {
  try { return localStorage.getItem(KEY); } catch { return null; }
}

function apply(btn) {
  const t = effectiveTheme();
  btn.textContent = t === 'dark' ? '☀ Light' : '☾ Dark';
  btn.setAttribute('aria-label', t === 'dark' ? 'Switch to light theme' : 'Switch to dark theme');
  btn.setAttribute('aria-pressed', t === 'dark' ? 'true' : 'false');
  for (const fn of listeners) fn(t);
}

export function initTheme(btn) {
  const s = stored();
  if (s === 'dark' || s === 'light') document.documentElement.dataset.theme = s;
  btn.addEventListener('click', () => {
    const next = effectiveTheme() === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    try { localStorage.setItem(KEY, next); } catch { /* private mode */ }
    apply(btn);
  });
  current = btn;
  if (!watching && mq && mq.addEventListener) {
    watching = true;
    mq.addEventListener('change', () => current && apply(current));
  }
  apply(btn);
}
