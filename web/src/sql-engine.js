// DuckDB-WASM, in its own chunk: loaded only when the SQL tab opens. It imports nothing from
// the application so that esbuild keeps it out of app.js (no shared chunk).
import * as duckdb from '@duckdb/duckdb-wasm';

const quoteIdent = (s) => '"' + String(s).replace(/"/g, '""') + '"';
const quoteStr = (s) => "'" + String(s).replace(/'/g, "''") + "'";

// open starts the worker (the "eh" bundle: WebAssembly exceptions, in every current browser),
// then registers each manifest.sql.tables entry as a view over its Parquet file.
export async function open(tables, onStatus) {
  const base = document.baseURI;
  const workerUrl = new URL('assets/duckdb/duckdb-browser-eh.worker.js', base).href;
  const wasmUrl = new URL('assets/duckdb/duckdb-eh.wasm', base).href;
  const worker = new Worker(workerUrl);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  onStatus && onStatus('Loading DuckDB (WebAssembly)…');
  await db.instantiate(wasmUrl);
  await db.open({ filesystem: { allowFullHTTPReads: true } });
  const conn = await db.connect();
  // No extension is ever fetched from another host: autoloading is off, and an explicit
  // INSTALL can only look on this site.
  const repo = new URL('assets/duckdb/extensions', base).href;
  for (const s of ['SET autoinstall_known_extensions = false', 'SET autoload_known_extensions = false', 'SET custom_extension_repository = ' + quoteStr(repo)]) {
    try { await conn.query(s); } catch { /* older builds lack a setting */ }
  }
  const registered = [];
  let i = 0;
  for (const t of tables || []) {
    if (!t || !t.name || !t.path) continue;
    const u = new URL(t.path, base);
    if (u.origin !== location.origin) continue; // same origin only
    const file = 't' + i++ + '.parquet';
    onStatus && onStatus('Registering ' + t.name + '…');
    await db.registerFileURL(file, u.href, duckdb.DuckDBDataProtocol.HTTP, false);
    await conn.query('CREATE OR REPLACE VIEW ' + quoteIdent(t.name) + ' AS SELECT * FROM read_parquet(' + quoteStr(file) + ')');
    registered.push(t.name);
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
      const total = res.numRows;
      const n = Math.min(total, limit);
      const vecs = fields.map((_, j) => res.getChildAt(j));
      const rows = new Array(n);
      for (let r = 0; r < n; r++) {
        const row = new Array(fields.length);
        for (let j = 0; j < fields.length; j++) row[j] = text(vecs[j] ? vecs[j].get(r) : null, kinds[j]);
        rows[r] = row;
      }
      return { columns, kinds, rows, total, ms };
    },
  };
}

function text(v, kind) {
  if (v == null) return 'NULL';
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
