// DuckDB-WASM, in its own entry point (assets/sql.js): imported only when the SQL tab opens.
import * as duckdb from '@duckdb/duckdb-wasm';

const quoteIdent = (s) => '"' + String(s).replace(/"/g, '""') + '"';
const quoteStr = (s) => "'" + String(s).replace(/'/g, "''") + "'";

// The SQL tab's data. DuckDB-WASM 1.32 (DuckDB 1.4) does not link the parquet extension in:
// it would fetch it from extensions.duckdb.org, which this site never contacts. So each table
// is read, in this order, from:
//   1. its Parquet file, when the build bundled the parquet extension (web/vendor/duckdb-extensions)
//   2. the same-named table of the site's DuckDB file (manifest.downloads, format "duckdb"),
//      attached read-only over HTTP range requests: core DuckDB, no extension needed
//   3. its CSV download (manifest.downloads, format "csv", same name), with read_csv
/* global __PARQUET_EXT__ */
const PARQUET_EXT = typeof __PARQUET_EXT__ !== 'undefined' && __PARQUET_EXT__;

// open starts the worker (the "eh" bundle: WebAssembly exceptions, in every current browser),
// then registers each manifest.sql.tables entry as a view.
export async function open(tables, downloads, onStatus) {
  const base = document.baseURI;
  const status = (s) => onStatus && onStatus(s);
  const sameOrigin = (p) => { try { const u = new URL(p, base); return u.origin === location.origin ? u.href : null; } catch { return null; } };
  const workerUrl = new URL('assets/duckdb/duckdb-browser-eh.worker.js', base).href;
  const wasmUrl = new URL('assets/duckdb/duckdb-eh.wasm', base).href;
  const worker = new Worker(workerUrl);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  status('Loading DuckDB (WebAssembly)…');
  await db.instantiate(wasmUrl);
  await db.open({ filesystem: { allowFullHTTPReads: true } });
  const conn = await db.connect();
  // No extension is ever fetched from another host: autoloading is off, and an explicit
  // INSTALL or LOAD can only look on this site.
  const repo = new URL('assets/duckdb/extensions', base).href;
  for (const s of ['SET autoinstall_known_extensions = false', 'SET autoload_known_extensions = false', 'SET custom_extension_repository = ' + quoteStr(repo)]) {
    try { await conn.query(s); } catch { /* older builds lack a setting */ }
  }
  let parquet = false;
  if (PARQUET_EXT) {
    try { await conn.query('LOAD parquet'); parquet = true; } catch { /* fall back */ }
  }
  const dls = Array.isArray(downloads) ? downloads : [];
  let attached = null; // table names in the attached database
  const dbFile = dls.find((d) => d && d.format === 'duckdb' && sameOrigin(d.path));
  if (!parquet && dbFile) {
    try {
      status('Attaching ' + dbFile.path + '…');
      await db.registerFileURL('site.duckdb', sameOrigin(dbFile.path), duckdb.DuckDBDataProtocol.HTTP, false);
      await conn.query("ATTACH 'site.duckdb' AS site (READ_ONLY)");
      const r = await conn.query("SELECT table_name FROM information_schema.tables WHERE table_catalog = 'site'");
      attached = new Set(r.getChildAt(0).toArray().map(String));
    } catch (err) {
      attached = null;
      console.warn('benchgate: could not attach ' + dbFile.path + ': ' + (err && err.message));
    }
  }
  const registered = [];
  let i = 0;
  for (const t of tables || []) {
    if (!t || !t.name) continue;
    const view = 'CREATE OR REPLACE VIEW ' + quoteIdent(t.name) + ' AS ';
    status('Registering ' + t.name + '…');
    try {
      if (parquet && sameOrigin(t.path)) {
        const file = 't' + i++ + '.parquet';
        await db.registerFileURL(file, sameOrigin(t.path), duckdb.DuckDBDataProtocol.HTTP, false);
        await conn.query(view + 'SELECT * FROM read_parquet(' + quoteStr(file) + ')');
        registered.push({ name: t.name, source: 'parquet' });
        continue;
      }
      if (attached && attached.has(t.name)) {
        await conn.query(view + 'SELECT * FROM site.' + quoteIdent(t.name));
        registered.push({ name: t.name, source: 'duckdb' });
        continue;
      }
      const csv = dls.find((d) => d && d.format === 'csv' && d.name === t.name && sameOrigin(d.path));
      if (csv) {
        const file = 't' + i++ + '.csv';
        await db.registerFileURL(file, sameOrigin(csv.path), duckdb.DuckDBDataProtocol.HTTP, false);
        await conn.query(view + 'SELECT * FROM read_csv(' + quoteStr(file) + ')');
        registered.push({ name: t.name, source: 'csv' });
        continue;
      }
      registered.push({ name: t.name, source: '', error: 'no readable file' });
    } catch (err) {
      registered.push({ name: t.name, source: '', error: err && err.message ? err.message : String(err) });
    }
  }
  return {
    registered,
    version: await db.getVersion().catch(() => ''),
    async query(sql, limit = 1000) {
      const t0 = performance.now();
      const res = await conn.query(sql);
      const ms = performance.now() - t0;
      const fields = res.schema.fields;
      const columns = fields.map((f) => f.name);
      const kinds = fields.map((f) => String(f.type));
      const scales = fields.map((f) => (f.type && typeof f.type.scale === 'number' ? f.type.scale : 0));
      const total = res.numRows;
      const n = Math.min(total, limit);
      const vecs = fields.map((_, j) => res.getChildAt(j));
      const rows = new Array(n);
      for (let r = 0; r < n; r++) {
        const row = new Array(fields.length);
        for (let j = 0; j < fields.length; j++) row[j] = text(vecs[j] ? vecs[j].get(r) : null, kinds[j], scales[j]);
        rows[r] = row;
      }
      return { columns, kinds, rows, total, ms };
    },
  };
}

function text(v, kind, scale) {
  if (v == null) return 'NULL';
  if (/^Decimal/.test(kind) && typeof v === 'object') return decimal(String(v), scale);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    if (/^Timestamp/.test(kind)) return new Date(v).toISOString().replace('T', ' ').replace(/\.000Z$/, 'Z');
    if (/^Date/.test(kind)) return new Date(v).toISOString().slice(0, 10);
    return String(v);
  }
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return '\\x' + [...v].map((b) => b.toString(16).padStart(2, '0')).join('');
  try {
    if (typeof v.toJSON === 'function') return JSON.stringify(v.toJSON(), (k, x) => (typeof x === 'bigint' ? x.toString() : x));
    if (typeof v.toArray === 'function') return JSON.stringify([...v.toArray()], (k, x) => (typeof x === 'bigint' ? x.toString() : x));
  } catch { /* fall through */ }
  return String(v);
}

// decimal places the point of an unscaled integer string: ("125", 2) is "1.25".
function decimal(digits, scale) {
  if (!/^-?\d+$/.test(digits) || !scale) return digits;
  const neg = digits.startsWith('-');
  let d = neg ? digits.slice(1) : digits;
  d = d.padStart(scale + 1, '0');
  return (neg ? '-' : '') + d.slice(0, d.length - scale) + '.' + d.slice(d.length - scale);
}
