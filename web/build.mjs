// Bundles the reports site's application into internal/site/dist (embedded by the Go binary).
//   node build.mjs            minified build
//   node build.mjs --dev      not minified, with source maps
import * as esbuild from 'esbuild';
import { cp, mkdir, readdir, rm, stat, readFile, copyFile, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'internal', 'site', 'dist');
const dev = process.argv.includes('--dev');

// Clean everything but the committed README.md.
await mkdir(out, { recursive: true });
for (const e of await readdir(out)) if (e !== 'README.md') await rm(join(out, e), { recursive: true, force: true });

// Optional DuckDB extensions to self-host (not on npm): web/vendor/duckdb-extensions/<version>/
// wasm_eh/<name>.duckdb_extension.wasm, copied to assets/duckdb/extensions/. With the parquet
// one there, the SQL tab reads the Parquet files; without it, the DuckDB file or the CSV.
const extSrc = join(here, 'vendor', 'duckdb-extensions');
let parquetExt = false;
try {
  for (const v of await readdir(extSrc)) {
    try { await stat(join(extSrc, v, 'wasm_eh', 'parquet.duckdb_extension.wasm')); parquetExt = true; } catch { /* none */ }
  }
} catch { /* no vendor directory */ }

const result = await esbuild.build({
  absWorkingDir: here,
  // Two self-contained entry points: app.js (the application) and sql.js (the SQL tab's
  // DuckDB client, imported by a computed URL only when the tab opens).
  entryPoints: { app: 'src/main.js', sql: 'src/sql-engine.js' },
  bundle: true,
  splitting: false,
  format: 'esm',
  target: ['chrome110', 'firefox115', 'safari16'],
  outdir: join(out, 'assets'),
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  assetNames: 'assets/[name]-[hash]',
  minify: !dev,
  sourcemap: dev ? 'linked' : false,
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"', __PARQUET_EXT__: String(parquetExt) },
});

await copyFile(join(here, 'index.html'), join(out, 'index.html'));

// DuckDB-WASM: only the "eh" bundle (WebAssembly exception handling; Chromium 95+, Firefox 100+,
// Safari 15.2+). The mvp and coi bundles are not shipped.
const ddb = join(here, 'node_modules', '@duckdb', 'duckdb-wasm');
const ddbOut = join(out, 'assets', 'duckdb');
await mkdir(ddbOut, { recursive: true });
for (const f of ['dist/duckdb-eh.wasm', 'dist/duckdb-browser-eh.worker.js']) await cp(join(ddb, f), join(ddbOut, f.split('/').pop()));
if (parquetExt) await cp(extSrc, join(ddbOut, 'extensions'), { recursive: true });

// Third-party licences of everything bundled or copied.
const pkgs = new Set(['@duckdb/duckdb-wasm']);
for (const f of Object.keys(result.metafile.inputs)) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f);
  if (m) pkgs.add(m[1]);
}
let lic = 'Third-party software in this site (assets/app.js, assets/sql.js, assets/duckdb/):\n';
for (const p of [...pkgs].sort()) {
  const dir = join(here, 'node_modules', p);
  const meta = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
  const lf = (await readdir(dir)).find((n) => /^(licen[cs]e|copying)/i.test(n));
  lic += '\n' + '='.repeat(72) + '\n' + p + ' ' + meta.version + ' (' + (meta.license || 'see below') + ')\n\n' +
    (lf ? (await readFile(join(dir, lf), 'utf8')).trim() : '(no licence file in the package)') + '\n';
}
await writeFile(join(out, 'assets', 'THIRD-PARTY-LICENSES.txt'), lic);
console.log('licences: ' + [...pkgs].sort().join(', '));

// Sizes.
const files = [];
async function walk(d) {
  for (const e of await readdir(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) await walk(p);
    else if (e.name !== 'README.md') files.push(p);
  }
}
await walk(out);
files.sort();
let total = 0;
const kib = (n) => (n / 1024).toFixed(1).padStart(9) + ' KiB';
for (const f of files) {
  const { size } = await stat(f);
  total += size;
  const gz = /\.(js|css|html|txt|wasm)$/.test(f) ? gzipSync(await readFile(f), { level: 6 }).length : size;
  console.log(kib(size) + '  (gzip ' + kib(gz).trim() + ')  ' + relative(out, f));
}
console.log(kib(total) + '  total in ' + relative(process.cwd(), out));

// The main bundle must not contain DuckDB.
const app = await readFile(join(out, 'assets', 'app.js'), 'utf8');
if (/duckdb_wasm|AsyncDuckDB|apache-arrow/i.test(app)) {
  console.error('build: assets/app.js contains DuckDB code; it must stay in assets/sql.js');
  process.exit(1);
}
