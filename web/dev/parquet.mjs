// The fixture's downloads: data/csv/*.csv always; data/parquet/*.parquet and
// data/benchgate.duckdb when a DuckDB CLI is given (--duckdb PATH, run as `PATH -c SQL`).
import { mkdir, writeFile, stat } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export async function writeDownloads(dataDir, rows, commits, times, duckdbBin) {
  const q = (s) => '"' + String(s).replace(/"/g, '""') + '"';
  const csv = ['series_id,benchmark,params,hardware,metric,unit,branch,commit,time,value'];
  for (const [s, k, v] of rows) csv.push([s.id, q(s.benchmark), q(s.params), q(s.hardware), q(s.metric), q(s.unit), 'main', commits[k], times[k], v].join(','));
  await mkdir(join(dataDir, 'csv'), { recursive: true });
  const csvPath = resolve(join(dataDir, 'csv', 'performance_results.csv'));
  await writeFile(csvPath, csv.join('\n') + '\n');
  const out = { csv: (await stat(csvPath)).size };
  if (!duckdbBin) return out;
  await mkdir(join(dataDir, 'parquet'), { recursive: true });
  const pq = (t) => resolve(join(dataDir, 'parquet', t + '.parquet')).replace(/'/g, "''");
  const sql = [
    `CREATE TABLE performance_results AS SELECT series_id, benchmark, params, hardware, metric, unit, branch, "commit", CAST("time" AS TIMESTAMP) AS "time", CAST(value AS DOUBLE) AS value FROM read_csv('${csvPath.replace(/'/g, "''")}', header = true, all_varchar = true)`,
    `CREATE TABLE series AS SELECT series_id AS id, any_value(benchmark) AS benchmark, any_value(hardware) AS hardware, any_value(metric) AS metric, count(*) AS points FROM performance_results GROUP BY 1`,
    `COPY performance_results TO '${pq('performance_results')}' (FORMAT parquet)`,
    `COPY series TO '${pq('series')}' (FORMAT parquet)`,
    `ATTACH '${resolve(join(dataDir, 'benchgate.duckdb')).replace(/'/g, "''")}' AS bg`,
    `CREATE TABLE bg.performance_results AS SELECT * FROM performance_results`,
    `CREATE TABLE bg.series AS SELECT * FROM series`,
    `DETACH bg`,
  ].join('; ');
  await import('node:fs/promises').then((fs) => fs.rm(join(dataDir, 'benchgate.duckdb'), { force: true }));
  const r = spawnSync(duckdbBin, ['-c', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error('duckdb: ' + (r.stderr || r.error));
  out.parquet = (await stat(pq('performance_results'))).size;
  out.duckdb = (await stat(join(dataDir, 'benchgate.duckdb'))).size;
  return out;
}
