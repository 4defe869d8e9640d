// Data loading: every path is relative to the page, so the site works under any base path.
const cache = new Map();

// A single-file report (benchgate report --format html) carries its data files in a JSON
// script element instead: read them from there, never from the network.
let embedded;
function embeddedData() {
  if (embedded === undefined) {
    const el = document.getElementById('benchgate-data');
    embedded = el ? JSON.parse(el.textContent) : null;
  }
  return embedded;
}

export const isReport = () => embeddedData() !== null;

export function fetchJSON(path) {
  if (cache.has(path)) return cache.get(path);
  const e = embeddedData();
  if (e) {
    const v = Object.prototype.hasOwnProperty.call(e, path) ? Promise.resolve(e[path]) : Promise.reject(new Error(path + ': not in this report'));
    cache.set(path, v);
    return v;
  }
  const p = fetch(new URL(path, document.baseURI), { credentials: 'same-origin' }).then((r) => {
    if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
    return r.json();
  });
  p.catch(() => cache.delete(path));
  cache.set(path, p);
  return p;
}

export const loadManifest = () => fetchJSON('data/manifest.json');

let seriesIndex = null;
// loadSeries loads data/series.json once and precomputes what the filters need.
export function loadSeries() {
  if (!seriesIndex) {
    seriesIndex = fetchJSON('data/series.json').then((doc) => {
      const list = Array.isArray(doc.series) ? doc.series : [];
      const hay = new Array(list.length);
      const last = new Float64Array(list.length);
      for (let i = 0; i < list.length; i++) {
        const s = list[i];
        hay[i] = (s.benchmark + ' ' + (s.params || '') + ' ' + s.hardware + ' ' + (s.runner || '') + ' ' + s.metric + ' ' + s.id).toLowerCase();
        last[i] = Date.parse(s.lastTime) || 0;
      }
      return { list, hay, last };
    });
    seriesIndex.catch(() => { seriesIndex = null; });
  }
  return seriesIndex;
}

export const loadSerie = (id) => fetchJSON('data/s/' + encodeURIComponent(id) + '.json');

// data/commits.json: the commits that series points name by index (loaded with the first
// series page, cached afterwards). A site without it still shows series written with full ids.
let commitsP = null;
export function loadCommits() {
  if (!commitsP) commitsP = fetchJSON('data/commits.json').catch(() => { commitsP = null; return { commits: [] }; });
  return commitsP;
}
