// Hash routing: "#/path?query". Filters and zoom rewrite the query in place (replaceState).
export function parseHash(hash = location.hash) {
  let s = hash.replace(/^#\/?/, '');
  let q = '';
  const i = s.indexOf('?');
  if (i >= 0) { q = s.slice(i + 1); s = s.slice(0, i); }
  return { path: s.replace(/\/+$/, ''), params: new URLSearchParams(q) };
}

export function setParams(params) {
  const { path } = parseHash();
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v != null && v !== '' && v !== false) q.set(k, v === true ? '1' : v);
  const qs = q.toString();
  const hash = '#/' + path + (qs ? '?' + qs : '');
  if (hash !== location.hash) history.replaceState(history.state, '', hash);
}
