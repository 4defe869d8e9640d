// Package store keeps benchgate's results in a DuckDB file: schema,
// migrations, idempotent ingest and the queries that reports and the gate
// need.
//
// # Dependencies
//
// DuckDB is the seed's database and the format of the data branch: one
// file, columnar and compressed (raw samples cost little), with a SQL that
// reports can use for aggregates. It is reached through database/sql with
// github.com/duckdb/duckdb-go/v2, the DuckDB project's maintained
// continuation of marcboeker/go-duckdb: it binds and scans LIST columns
// (samples are DOUBLE[]) and ships prebuilt DuckDB libraries, so it needs cgo
// but no DuckDB installation.
//
// # Schema
//
// The seed's tables are kept with their names and columns (FLOAT widened to
// DOUBLE): models, hardware_platforms, performance_results (with the seed's
// status and error columns), benchmark_errors, and, empty for now,
// performance_history, performance_regressions and resource_monitoring.
// benchgate adds:
//
//   - runs: one workflow run attempt (run id, attempt, commit, ref, suite,
//     runner label, created_at, environment JSON), unique by (run_id,
//     attempt); performance_results.run_key refers to runs.id;
//   - performance_results.benchmark, params (results.FormatParams),
//     params_json (the exact map), precision, exit_code, has_model and
//     warmup_iterations;
//   - metric_samples: one row per result × metric with unit, direction,
//     exactness and the raw samples as DOUBLE[];
//   - iteration_samples: one row per result × repetition with the raw
//     per-iteration latencies in seconds;
//   - schema_version: one row per applied migration.
//
// Primary keys come from sequences. Foreign keys are not declared (see
// schema.go); Ingest keeps references consistent. A model row is shared by
// equal models (a result without a model gets one named after its
// benchmark); a hardware row is shared by (type, device name, driver
// version).
//
// # Migrations
//
// Open applies the missing forward migrations in one transaction. A
// database whose schema_version is newer than this binary knows is refused
// (ErrNewerSchema) and left unchanged; OpenReadOnly writes nothing and
// refuses a database that needs migrating (ErrOlderSchema).
//
// # Summary columns
//
// The seed's summary columns of performance_results are computed by
// benchgate from the raw samples of successful results; harness summaries
// are not trusted. Latencies are stored in milliseconds:
//
//   - average_latency_ms: mean of metric latency_mean (s) over repetitions,
//     else mean of all iterations pooled, else mean of the sec/op samples
//     (Go benchmarks);
//   - p50/p90/p99_latency_ms: mean of metric latency_p50/p90/p99 (s) over
//     repetitions, else that quantile of the pooled iterations, else of the
//     sec/op samples (linear interpolation, NumPy's default);
//   - throughput_items_per_second: mean of metric throughput, else 1/mean of
//     sec/op (operations per second);
//   - memory_peak_mb: max of metric memory_peak (bytes) / 2^20;
//   - power_watts: mean of metric power;
//   - energy_efficiency_items_per_joule: mean of metric energy_efficiency.
//
// batch_size, sequence_length and precision are copied from the params of
// the same names (the integers when they parse as 32-bit integers).
//
// Failed results have no summary: status is 'failed', the error columns,
// command, stdout, stderr, exit code and time until failure are set, and a
// benchmark_errors row holds the details as JSON.
package store

import (
	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" database/sql driver
)
