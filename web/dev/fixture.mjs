// Writes a data/ directory following docs/site-data.md (format 1), for working on the site
// without the Go side:   node dev/fixture.mjs --out DIR [--series N] [--commits M] [--chunk K] [--parquet]
// DIR/data/… is written; serve DIR with the dist: node dev/serve.mjs --data DIR.
// It includes a hostile benchmark name, a PR branch, change points (a confirmed regression, an
// improvement, a provisional one), an outlier, an environment change and a few errors.
// It writes data/csv/performance_results.csv; with --duckdb PATH (a DuckDB CLI, run as
// `PATH -c SQL`) also real data/parquet/{performance_results,series}.parquet for the SQL tab.
import { mkdir, writeFile, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf('--' + name); return i >= 0 ? args[i + 1] : def; };
const OUT = opt('out', 'dev/out');
const N = +opt('series', 60);
const M = +opt('commits', 100);
const CHUNK = +opt('chunk', 1000);
const DUCKDB = opt('duckdb', '');

let seed = 42;
const rnd = () => { seed = (seed * 1664525 + 1013904223) >>> 0; return seed / 4294967296; };
const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
const sha = (s) => createHash('sha1').update(String(s)).digest('hex');

const MAIN = 'main', PR = 'refs/pull/7/merge';
const now = Date.parse('2026-12-01T12:00:00Z');
const commits = [], times = [];
for (let i = 0; i < M; i++) { commits.push(sha('commit' + i)); times.push(new Date(now - (M - i) * 6 * 3600e3).toISOString().replace(/\.\d+Z$/, 'Z')); }
const prCommits = [sha('pr1'), sha('pr2')];
const prTimes = [new Date(now - 3 * 3600e3).toISOString().replace(/\.\d+Z$/, 'Z'), new Date(now - 3600e3).toISOString().replace(/\.\d+Z$/, 'Z')];

const models = ['resnet50', 'bert-base-uncased', 'gpt2', 'llama-3-8b', 'vit-b16', 'whisper-small', 't5-small', 'mobilenet-v3', 'stable-diffusion-1.5', 'yolov8n', 'BenchmarkDecode', 'BenchmarkEncodeJSON'];
const hardware = ['cpu (EPYC 9654)', 'cuda (H100)', 'cuda (A100)', 'cuda (L4)', 'mps (M2 Max)', 'rocm (MI300X)'];
const metrics = [
  { metric: 'sec/op', unit: 's', better: 'smaller', base: [2e-6, 0.5], kind: 'latency' },
  { metric: 'items/s', unit: 'items/s', better: 'bigger', base: [50, 5e6], kind: 'throughput' },
  { metric: 'peak_memory', unit: 'B', better: 'smaller', base: [2e6, 4e10], kind: 'memory' },
  { metric: 'allocs/op', unit: 'allocs/op', better: 'smaller', base: [3, 4000], kind: '' },
];
const hwFactor = [8, 1, 1.6, 3.2, 5, 1.3];

const series = [];
for (let i = 0; i < N; i++) {
  const mi = i % metrics.length, hi = Math.floor(i / metrics.length) % hardware.length;
  const rest = Math.floor(i / (metrics.length * hardware.length));
  const model = models[rest % models.length];
  const variant = Math.floor(rest / models.length);
  const mt = metrics[mi];
  const benchmark = i < metrics.length * hardware.length && rest === 0 && i === 0 ? '<img src=x onerror=alert(1)>' : model;
  const params = variant ? 'batch_size=' + (1 << (variant % 8)) + (variant >= 8 ? ',seq_len=' + 128 * Math.ceil(variant / 8) : '') : 'batch_size=1';
  const [lo, hiB] = mt.base;
  const modelScale = Math.exp(Math.log(lo) + (Math.log(hiB) - Math.log(lo)) * ((models.indexOf(model) * 7 + variant * 3) % 11) / 10);
  const level = mt.better === 'bigger' ? modelScale / hwFactor[hi] : modelScale * hwFactor[hi] / (mt.kind === 'memory' ? hwFactor[hi] : 1);
  series.push({ i, id: 's' + sha('series' + i).slice(0, 11), benchmark, params, hardware: hardware[hi], runner: hi === 0 ? 'ubuntu-latest' : 'gpu-runner', ...mt, level });
}

// change points: series 1 regression (+15 %), 2 improvement, 3 provisional; every 97th a regression too
const cpAt = Math.floor(M * 0.7), impAt = Math.floor(M * 0.4), provAt = M - 3, outAt = Math.floor(M * 0.5), envAt = Math.floor(M * 0.3);
const plan = (s) => {
  if (s.i === 1 || (s.i > 3 && s.i % 97 === 1)) return { at: cpAt, f: s.better === 'bigger' ? 1 / 1.15 : 1.15, direction: 'regression', status: 'confirmed', severity: 'major' };
  if (s.i === 2) return { at: impAt, f: s.better === 'bigger' ? 1.2 : 1 / 1.2, direction: 'improvement', status: 'confirmed', severity: 'minor' };
  if (s.i === 3) return { at: provAt, f: s.better === 'bigger' ? 1 / 1.08 : 1.08, direction: 'regression', status: 'provisional', severity: 'minor' };
  return null;
};

const nameOf = (s) => s.benchmark + (s.params ? ' [' + s.params + ']' : '') + ' ' + s.metric + ' on ' + s.hardware;
await rm(join(OUT, 'data'), { recursive: true, force: true });
await mkdir(join(OUT, 'data', 's'), { recursive: true });
const round = (v) => +v.toPrecision(6);
const catalogue = [], changesAll = [], rowsForParquet = [];
const latestOf = new Map();
let regressed = 0, improved = 0;

for (const s of series) {
  const p = plan(s);
  const cols = { commit: [], value: [], low: [], high: [], n: [] };
  for (let k = 0; k < M; k++) {
    let v = s.level * (1 + 0.015 * gauss());
    if (p && k >= p.at) v *= p.f;
    if (s.i === 1 && k === outAt) v *= 1.6;
    if (s.i === 1 && k >= envAt) v *= 0.99;
    const spread = Math.abs(v) * (0.01 + 0.01 * rnd());
    cols.commit.push(k); cols.value.push(round(v));
    cols.low.push(round(v - spread)); cols.high.push(round(v + spread)); cols.n.push(10);
    if (s.i < 400) rowsForParquet.push([s, k, round(v)]);
  }
  const onPR = s.i < 20;
  const branches = { [MAIN]: null };
  if (onPR) {
    const pv = [0, 1].map(() => round(s.level * (s.i === 1 ? 1.3 : 1) * (1 + 0.015 * gauss())));
    branches[PR] = { commit: [M, M + 1], value: pv, low: pv.map((v) => round(v * 0.99)), high: pv.map((v) => round(v * 1.01)), n: [10, 10] };
  }
  const changes = [];
  if (p) {
    const before = cols.value.slice(Math.max(0, p.at - 10), p.at), after = cols.value.slice(p.at, p.at + 10);
    const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
    const ch = mean(after) / mean(before) - 1;
    changes.push({ commit: commits[p.at], previous: commits[p.at - 1], time: times[p.at], change: +ch.toFixed(4), low: +(ch - 0.02).toFixed(4), high: +(ch + 0.02).toFixed(4), before: round(mean(before)), after: round(mean(after)), direction: p.direction, severity: p.severity, status: p.status, regression: p.direction === 'regression' && p.status === 'confirmed' ? 'r1' : '' });
    changesAll.push({ series: s.id, name: nameOf(s), ...changes[0] });
  }
  // main: newest CHUNK points; older chunks oldest first
  const older = [];
  const mainStart = Math.max(0, M - CHUNK);
  for (let a = 0, k = 0; a < mainStart; a += CHUNK, k++) {
    const b = Math.min(mainStart, a + CHUNK);
    const part = Object.fromEntries(Object.entries(cols).map(([c, v]) => [c, v.slice(a, b)]));
    const path = `data/s/${s.id}.${k}.json`;
    await writeFile(join(OUT, path), JSON.stringify({ format: 1, id: s.id, main: part }));
    older.push({ path, from: times[a], to: times[b - 1], points: b - a });
  }
  branches[MAIN] = Object.fromEntries(Object.entries(cols).map(([c, v]) => [c, v.slice(mainStart)]));
  const doc = {
    format: 1, id: s.id, benchmark: s.benchmark, params: s.params, hardware: s.hardware, runner: s.runner,
    metric: s.metric, unit: s.unit, better: s.better, exact: s.metric === 'allocs/op', branches, older, changes,
    outliers: s.i === 1 ? [commits[outAt]] : [],
    environment: s.i === 1 ? [{ commit: commits[envAt], time: times[envAt], what: 'driver 535.104 → 550.54' }] : [],
  };
  await writeFile(join(OUT, 'data', 's', s.id + '.json'), JSON.stringify(doc));
  const status = p && p.status === 'provisional' ? 'provisional' : p && p.direction === 'regression' ? 'regressed' : p ? 'improved' : 'ok';
  if (status === 'regressed') regressed++;
  if (status === 'improved') improved++;
  const last = cols.value[M - 1];
  latestOf.set(s.id, last);
  catalogue.push({ id: s.id, benchmark: s.benchmark, params: s.params, hardware: s.hardware, runner: s.runner, metric: s.metric, unit: s.unit, better: s.better, last, lastTime: times[M - 1], points: M, branches: onPR ? [MAIN, PR] : [MAIN], status, change: status === 'ok' ? 0 : changes[0].change });
}
await writeFile(join(OUT, 'data', 'series.json'), JSON.stringify({ format: 1, series: catalogue }));
await writeFile(join(OUT, 'data', 'commits.json'), JSON.stringify({ format: 1, commits: [
  ...commits.map((id, k) => ({ id, time: times[k], ref: 'refs/heads/main' })),
  ...prCommits.map((id, k) => ({ id, time: prTimes[k], ref: PR })),
] }));

// heatmaps: rows "benchmark [params]" × hardware columns, latest main value
const heatmaps = [];
for (const mt of metrics.filter((x) => x.kind)) {
  const rowsMap = new Map();
  for (const s of series) {
    if (s.metric !== mt.metric) continue;
    const r = s.benchmark + ' [' + s.params + ']';
    if (!rowsMap.has(r)) { if (rowsMap.size >= 40) continue; rowsMap.set(r, new Map()); }
    rowsMap.get(r).set(s.hardware, s.id);
  }
  const rows = [...rowsMap.keys()];
  const columns = hardware.slice();
  const values = [], ids = [], best = [];
  for (const r of rows) {
    const m = rowsMap.get(r);
    const vr = columns.map((c) => (m.has(c) && !(r.startsWith('resnet50') && c.startsWith('mps')) ? latestOf.get(m.get(c)) : null));
    values.push(vr);
    ids.push(columns.map((c, j) => (vr[j] == null ? '' : m.get(c))));
    let b = -1;
    vr.forEach((v, j) => { if (v != null && (b < 0 || (mt.better === 'bigger' ? v > vr[b] : v < vr[b]))) b = j; });
    best.push(b);
  }
  heatmaps.push({ kind: mt.kind, title: { latency: 'Latency', throughput: 'Throughput', memory: 'Peak memory' }[mt.kind], metric: mt.metric, unit: mt.unit, better: mt.better, rows, columns, values, series: ids, best });
}

const regSeries = catalogue.filter((s) => s.status === 'regressed').map((s) => s.id);
const manifest = {
  format: 1, generated: new Date(now).toISOString().replace(/\.\d+Z$/, 'Z'), title: 'acme/models benchmarks', repo: 'acme/models',
  commitUrl: 'https://github.com/acme/models/commit/{commit}', compareUrl: 'https://github.com/acme/models/compare/{from}...{to}', mainBranch: MAIN,
  branches: [{ name: MAIN, runs: M, series: N }, { name: PR, runs: 2, series: Math.min(N, 20) }],
  counts: { series: N, runs: M + 2, results: N * M + Math.min(N, 20) * 2, commits: M + 2, errors: 6 },
  latest: { commit: commits[M - 1], time: times[M - 1], regressed, improved, series: N },
  suites: [{ name: 'kernels', runs: M, lastRun: times[M - 1], lastCommit: commits[M - 1], failed: 1 }, { name: 'models', runs: M, lastRun: times[M - 1], lastCommit: commits[M - 1], failed: 0 }],
  regressions: [
    { id: 'r1', title: nameOf(series.find((x) => x.id === regSeries[0])) + (regSeries.length > 1 ? ' and ' + (regSeries.length - 1) + ' more series' : '') + ' +15.0 % at ' + commits[cpAt].slice(0, 12), direction: 'regression', severity: 'major', status: 'confirmed', open: true, from: commits[cpAt - 1], to: commits[cpAt], time: times[cpAt], change: 0.15, low: 0.13, high: 0.17, series: regSeries, names: regSeries.map((id) => nameOf(series.find((x) => x.id === id))), environment: '', resolvedBy: '', issue: 'https://github.com/acme/models/issues/42' },
    { id: 'r2', title: '1 series −17 % at ' + commits[impAt].slice(0, 12), direction: 'improvement', severity: 'minor', status: 'confirmed', open: true, from: commits[impAt - 1], to: commits[impAt], time: times[impAt], change: -0.17, low: -0.19, high: -0.15, series: [series[2] && series[2].id].filter(Boolean), names: series[2] ? [nameOf(series[2])] : [], environment: '', resolvedBy: '', issue: '' },
    { id: 'r0', title: '<b>hostile</b> title', direction: 'regression', severity: 'minor', status: 'confirmed', open: false, from: commits[5], to: commits[6], time: times[6], change: 0.06, low: 0.04, high: 0.08, series: [series[0].id], environment: 'driver update', resolvedBy: commits[9], issue: 'javascript:alert(1)' },
  ],
  changes: changesAll.sort((a, b) => (a.time < b.time ? 1 : -1)).slice(0, 200),
  heatmaps,
  hardware: hardware.map((name, i) => ({ name, type: name.split(' ')[0], device: (name.match(/\((.*)\)/) || [])[1] || '', driver: i === 0 ? '' : i === 4 ? 'macOS 15.1' : '550.54', memoryMB: [262144, 81559, 81920, 23034, 98304, 196608][i], computeUnits: [96, 132, 108, 58, 38, 304][i], results: N * M / hardware.length | 0, runs: M, lastRun: times[M - 1] })),
  errors: [
    { type: 'oom', benchmark: 'llama-3-8b', hardware: 'cuda (L4)', count: 3, message: 'CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 22.5 GiB total capacity)', command: 'python bench.py --model llama-3-8b --batch 64', lastCommit: commits[M - 1], lastTime: times[M - 1] },
    { type: 'oom', benchmark: 'stable-diffusion-1.5', hardware: 'mps (M2 Max)', count: 1, message: 'MPS backend out of memory', command: 'python bench.py --model sd15', lastCommit: commits[M - 2], lastTime: times[M - 2] },
    { type: 'timeout', benchmark: 'whisper-small', hardware: 'cpu (EPYC 9654)', count: 1, message: 'timed out after 600s', command: 'python bench.py --model whisper-small', lastCommit: commits[M - 3], lastTime: times[M - 3] },
    { type: 'crash', benchmark: '<img src=x onerror=alert(1)>', hardware: 'rocm (MI300X)', count: 1, message: '<script>alert(1)</script> segfault', command: 'sh -c "echo <b>pwned</b>"', lastCommit: commits[M - 4], lastTime: times[M - 4] },
  ],
  downloads: [
    { name: 'performance_results', format: 'parquet', path: 'data/parquet/performance_results.parquet', bytes: 123456, rows: N * M },
    { name: 'performance_results', format: 'csv', path: 'data/csv/performance_results.csv', bytes: 4567890, rows: N * M },
    { name: 'benchgate', format: 'duckdb', path: 'data/benchgate.duckdb', bytes: 12582912, rows: null },
  ],
  sql: {
    tables: [{ name: 'performance_results', path: 'data/parquet/performance_results.parquet' }, { name: 'series', path: 'data/parquet/series.parquet' }],
    examples: [
      { title: 'Slowest benchmarks on main', sql: "SELECT benchmark, hardware, median(value) AS median_s\nFROM performance_results\nWHERE metric = 'sec/op' AND branch = 'main'\nGROUP BY ALL ORDER BY median_s DESC LIMIT 20" },
      { title: 'Results per hardware', sql: 'SELECT hardware, count(*) AS results FROM performance_results GROUP BY ALL ORDER BY results DESC' },
      { title: 'Hostile names stay text', sql: "SELECT '<img src=x onerror=alert(1)>' AS name, 42 AS answer" },
    ],
  },
};
await writeFile(join(OUT, 'data', 'manifest.json'), JSON.stringify(manifest, null, 1));

const { writeDownloads } = await import('./parquet.mjs');
const sizes = await writeDownloads(join(OUT, 'data'), rowsForParquet, commits, times, DUCKDB);
manifest.downloads[0].bytes = sizes.parquet || 0;
manifest.downloads[1].bytes = sizes.csv;
manifest.downloads[2].bytes = sizes.duckdb || 0;
manifest.downloads[0].rows = manifest.downloads[1].rows = rowsForParquet.length;
await writeFile(join(OUT, 'data', 'manifest.json'), JSON.stringify(manifest, null, 1));
console.log(`fixture: ${N} series × ${M} commits → ${join(OUT, 'data')}`);
