// A tiny static server for manual checks: the built site (internal/site/dist) with a data/
// directory from elsewhere (a fixture, or `benchgate site` output).
//   node dev/serve.mjs --data DIR [--port 8787]      (DIR contains data/)
// Binds 127.0.0.1 only; supports HEAD and Range requests (DuckDB-WASM reads Parquet by ranges).
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, normalize, extname, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (n, d) => { const i = args.indexOf('--' + n); return i >= 0 ? args[i + 1] : d; };
const dist = opt('dist', join(here, '..', '..', 'internal', 'site', 'dist'));
const data = opt('data', null);
const port = +opt('port', 8787);
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm', '.parquet': 'application/octet-stream', '.csv': 'text/csv', '.txt': 'text/plain; charset=utf-8', '.png': 'image/png', '.svg': 'image/svg+xml' };

createServer(async (req, res) => {
  try {
    let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (p.endsWith('/')) p += 'index.html';
    p = normalize(p).replace(/^(\.\.[/\\])+/, '');
    const root = data && p.startsWith('/data/') ? data : dist;
    const file = join(root, p);
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    const st = await stat(file);
    if (!st.isFile()) throw new Error('not a file');
    const headers = { 'Content-Type': types[extname(file)] || 'application/octet-stream', 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-cache' };
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range || '');
    let start = 0, end = st.size - 1, code = 200;
    if (range) {
      start = range[1] ? +range[1] : Math.max(0, st.size - +range[2]);
      end = range[1] && range[2] ? Math.min(+range[2], st.size - 1) : range[1] ? st.size - 1 : st.size - 1;
      if (start > end || start >= st.size) { res.writeHead(416, { 'Content-Range': 'bytes */' + st.size }).end(); return; }
      code = 206; headers['Content-Range'] = `bytes ${start}-${end}/${st.size}`;
    }
    headers['Content-Length'] = end - start + 1;
    res.writeHead(code, headers);
    if (req.method === 'HEAD' || st.size === 0) { res.end(); return; }
    createReadStream(file, { start, end }).pipe(res);
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
  }
}).listen(port, '127.0.0.1', () => console.log(`serving ${dist} (data: ${data || 'dist'}) on http://127.0.0.1:${port}/`));
