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
// status and error columns), benchmark_errors, resource_monitoring,
// performance_history and performance_regressions. benchgate adds:
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
//   - schema_version: one row per applied migration;
//   - performance_history and performance_regressions (schema version 2):
//     the series identity (benchmark, params, metric, hardware_type,
//     device_name, runner), unit and values of the main-branch analysis.
//
// # Analysis tables
//
// performance_history (one row per series × commit: HistoryRow) and
// performance_regressions (one row per change point: Detection) hold the
// main-branch change-point analysis, written only by SaveAnalysis, which
// replaces the analysis of the series it is given in one transaction and
// changes nothing when the analysis has not changed. A row is keyed by
// series identity and git_commit_hash (the first bad commit of a change
// point); the key is unique by SaveAnalysis, not by an index (see schemaV2).
// Besides benchgate's columns (n, value, low, high, relative_change;
// previous_commit_hash, relative_change, change_low, change_high,
// value_before, value_after, p_value, status, environment_change), the
// seed's columns are filled where they map:
//
//   - performance_history: run_date, git_commit_hash, regression_detected,
//     regression_severity (NULL unless a regression), regression_percent
//     (100 × relative_change at a change point, else NULL), and
//     average_latency_ms (metrics latency_mean and sec/op in s or ms),
//     throughput_items_per_second (metric throughput) or memory_peak_mb
//     (metric memory_peak in B, / 2^20) when the metric maps to one;
//   - performance_regressions: regression_percent (100 × relative_change),
//     regression_type (the direction: regression or improvement),
//     severity_level, detection_timestamp (the first save; kept),
//     git_commit_hash, affected_metrics (JSON [metric]), resolved_at,
//     resolution_commit_hash, notes (VanishedNote on a confirmed detection
//     that the latest analysis no longer finds: it is kept, never deleted),
//     created_at and updated_at.
//
// performance_id and baseline_id stay NULL: a point stands for a commit, not
// for one result row. Rows without a series identity (none written by
// benchgate) are never read or changed.
//
// The analysis is derived data: Merge copies runs only and leaves the
// destination's analysis tables as they are (the source's are not copied,
// since two analyses of different data must not mix); the owner of the
// merged database recomputes the analysis with SaveAnalysis, which keeps
// DetectedAt and confirmed detections of the rows it finds. Prune does not
// touch the analysis tables; CompactTo and Export copy them with every
// column.
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
