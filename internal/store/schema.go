package store

// schemaV1 creates benchgate's first schema: the seed's tables (models,
// hardware_platforms, performance_results, benchmark_errors,
// performance_history, performance_regressions, resource_monitoring) with the
// columns benchgate adds, and its own runs, metric_samples and
// iteration_samples.
//
// Note: the seed declares FLOAT (single precision in DuckDB); benchgate uses
// DOUBLE so that stored values round-trip exactly.
//
// Note: the seed's FOREIGN KEY clauses are left out on purpose. DuckDB checks
// them eagerly and cannot delete a referenced row and its referencing rows in
// one transaction, which would make pruning old runs (needed to keep the data
// branch under GitHub's file size limit) fail. Ingest keeps references
// consistent itself: it writes a run and all its rows in one transaction.
var schemaV1 = []string{
	`CREATE SEQUENCE runs_id_seq START 1`,
	`CREATE SEQUENCE models_id_seq START 1`,
	`CREATE SEQUENCE hardware_platforms_id_seq START 1`,
	`CREATE SEQUENCE performance_results_id_seq START 1`,
	`CREATE SEQUENCE benchmark_errors_id_seq START 1`,
	`CREATE SEQUENCE metric_samples_id_seq START 1`,
	`CREATE SEQUENCE iteration_samples_id_seq START 1`,
	`CREATE SEQUENCE performance_history_id_seq START 1`,
	`CREATE SEQUENCE performance_regressions_id_seq START 1`,
	`CREATE SEQUENCE resource_monitoring_id_seq START 1`,

	// runs is one workflow run attempt: the unit of idempotent ingest.
	`CREATE TABLE runs (
		id INTEGER PRIMARY KEY DEFAULT nextval('runs_id_seq'),
		run_id VARCHAR NOT NULL,          -- e.g. GITHUB_RUN_ID
		attempt INTEGER NOT NULL,         -- e.g. GITHUB_RUN_ATTEMPT, from 1
		commit_sha VARCHAR NOT NULL,
		ref VARCHAR NOT NULL,             -- e.g. refs/heads/main
		suite VARCHAR NOT NULL,
		runner VARCHAR NOT NULL,          -- runner label, part of series identity
		created_at TIMESTAMP NOT NULL,    -- UTC
		environment JSON,                 -- driver, CUDA, framework versions, …
		UNIQUE (run_id, attempt)
	)`,

	`CREATE TABLE models (
		model_id INTEGER PRIMARY KEY DEFAULT nextval('models_id_seq'),
		model_name VARCHAR NOT NULL,
		model_family VARCHAR NOT NULL,
		model_type VARCHAR NOT NULL,      -- modality: text, vision, audio, multimodal
		model_size VARCHAR NOT NULL,
		parameters_million DOUBLE NOT NULL,
		added_at TIMESTAMP NOT NULL
	)`,

	`CREATE TABLE hardware_platforms (
		hardware_id INTEGER PRIMARY KEY DEFAULT nextval('hardware_platforms_id_seq'),
		hardware_type VARCHAR NOT NULL,
		device_name VARCHAR NOT NULL,
		compute_units INTEGER,
		memory_capacity DOUBLE,           -- MB
		driver_version VARCHAR NOT NULL,
		supported_precisions VARCHAR,
		max_batch_size INTEGER,
		detected_at TIMESTAMP NOT NULL,
		UNIQUE (hardware_type, device_name, driver_version)
	)`,

	`CREATE TABLE performance_results (
		id INTEGER PRIMARY KEY DEFAULT nextval('performance_results_id_seq'),
		run_key INTEGER NOT NULL,         -- runs.id
		model_id INTEGER NOT NULL,        -- models.model_id
		hardware_id INTEGER NOT NULL,     -- hardware_platforms.hardware_id
		benchmark VARCHAR NOT NULL,       -- Result.Name
		params VARCHAR NOT NULL,          -- results.FormatParams
		params_json JSON NOT NULL,        -- exact parameters, for reconstruction
		has_model BOOLEAN NOT NULL,       -- Result.Model was set
		batch_size INTEGER,
		sequence_length INTEGER,
		precision VARCHAR,
		average_latency_ms DOUBLE,
		p50_latency_ms DOUBLE,
		p90_latency_ms DOUBLE,
		p99_latency_ms DOUBLE,
		throughput_items_per_second DOUBLE,
		memory_peak_mb DOUBLE,
		power_watts DOUBLE,
		energy_efficiency_items_per_joule DOUBLE,
		warmup_iterations INTEGER NOT NULL,
		test_timestamp TIMESTAMP NOT NULL, -- the run's created_at
		status VARCHAR NOT NULL CHECK (status IN ('success', 'failed')),
		error_type VARCHAR,
		error_message VARCHAR,
		command_executed VARCHAR,
		stdout VARCHAR,
		stderr VARCHAR,
		exit_code INTEGER,
		execution_time_sec DOUBLE,
		created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
	)`,

	`CREATE TABLE benchmark_errors (
		id INTEGER PRIMARY KEY DEFAULT nextval('benchmark_errors_id_seq'),
		performance_id INTEGER NOT NULL,
		error_type VARCHAR NOT NULL,
		error_message VARCHAR,
		error_details JSON,
		stack_trace VARCHAR,
		system_info JSON,
		reproduction_steps VARCHAR,
		created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
	)`,

	// metric_samples holds the raw samples: one row per result × metric.
	`CREATE TABLE metric_samples (
		id INTEGER PRIMARY KEY DEFAULT nextval('metric_samples_id_seq'),
		performance_id INTEGER NOT NULL,
		position INTEGER NOT NULL,        -- order of the metric in the result
		metric VARCHAR NOT NULL,
		unit VARCHAR NOT NULL,
		direction VARCHAR NOT NULL CHECK (direction IN ('smaller', 'bigger')),
		exact BOOLEAN NOT NULL,
		samples DOUBLE[] NOT NULL         -- base unit, one per repetition
	)`,

	// iteration_samples holds raw per-iteration latencies, one row per repetition.
	`CREATE TABLE iteration_samples (
		id INTEGER PRIMARY KEY DEFAULT nextval('iteration_samples_id_seq'),
		performance_id INTEGER NOT NULL,
		repetition INTEGER NOT NULL,      -- from 1
		latencies_s DOUBLE[] NOT NULL
	)`,

	`CREATE TABLE performance_history (
		id INTEGER PRIMARY KEY DEFAULT nextval('performance_history_id_seq'),
		performance_id INTEGER,
		run_date TIMESTAMP,
		git_commit_hash VARCHAR,
		average_latency_ms DOUBLE,
		throughput_items_per_second DOUBLE,
		memory_peak_mb DOUBLE,
		baseline_id INTEGER,
		regression_detected BOOLEAN,
		regression_severity VARCHAR,
		regression_percent DOUBLE,
		notes VARCHAR,
		created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
	)`,

	`CREATE TABLE performance_regressions (
		id INTEGER PRIMARY KEY DEFAULT nextval('performance_regressions_id_seq'),
		performance_id INTEGER,
		baseline_id INTEGER,
		regression_percent DOUBLE,
		regression_type VARCHAR,
		severity_level VARCHAR,
		detection_timestamp TIMESTAMP,
		git_commit_hash VARCHAR,
		affected_metrics JSON,
		resolved_at TIMESTAMP,
		resolution_commit_hash VARCHAR,
		notes VARCHAR,
		created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
		updated_at TIMESTAMP
	)`,

	`CREATE TABLE resource_monitoring (
		id INTEGER PRIMARY KEY DEFAULT nextval('resource_monitoring_id_seq'),
		performance_id INTEGER,
		"timestamp" DOUBLE,
		cpu_utilization_percent DOUBLE,
		gpu_utilization_percent DOUBLE,
		memory_utilization_mb DOUBLE,
		gpu_memory_utilization_mb DOUBLE,
		power_watts DOUBLE,
		temperature_celsius DOUBLE,
		io_read_mb_per_sec DOUBLE,
		io_write_mb_per_sec DOUBLE,
		network_rx_mb_per_sec DOUBLE,
		network_tx_mb_per_sec DOUBLE,
		created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
	)`,
}

// schemaV2 gives the seed's performance_history and performance_regressions
// what the main-branch analysis (SaveAnalysis) stores: the series identity,
// the unit and the values, next to the seed's columns, which are kept and
// filled where they map (see the package doc).
//
// Note: no unique index on (series, commit). DuckDB cannot add a constraint
// to an existing table, and a unique index on the seven identity columns
// makes the file about ten times larger for these tables (measured: 1 MB →
// 12 MB for a year of 520 series), which the data branch cannot afford.
// SaveAnalysis, the only writer, keys its rows by (series, commit).
var schemaV2 = []string{
	`ALTER TABLE performance_history ADD COLUMN benchmark VARCHAR`,
	`ALTER TABLE performance_history ADD COLUMN params VARCHAR`,
	`ALTER TABLE performance_history ADD COLUMN metric VARCHAR`,
	`ALTER TABLE performance_history ADD COLUMN hardware_type VARCHAR`,
	`ALTER TABLE performance_history ADD COLUMN device_name VARCHAR`,
	`ALTER TABLE performance_history ADD COLUMN runner VARCHAR`,
	`ALTER TABLE performance_history ADD COLUMN unit VARCHAR`,
	`ALTER TABLE performance_history ADD COLUMN n INTEGER`,    // samples
	`ALTER TABLE performance_history ADD COLUMN value DOUBLE`, // centre (median), in unit
	`ALTER TABLE performance_history ADD COLUMN low DOUBLE`,   // spread shown, in unit
	`ALTER TABLE performance_history ADD COLUMN high DOUBLE`,
	`ALTER TABLE performance_history ADD COLUMN relative_change DOUBLE`, // at a change point, else 0

	`ALTER TABLE performance_regressions ADD COLUMN benchmark VARCHAR`,
	`ALTER TABLE performance_regressions ADD COLUMN params VARCHAR`,
	`ALTER TABLE performance_regressions ADD COLUMN metric VARCHAR`,
	`ALTER TABLE performance_regressions ADD COLUMN hardware_type VARCHAR`,
	`ALTER TABLE performance_regressions ADD COLUMN device_name VARCHAR`,
	`ALTER TABLE performance_regressions ADD COLUMN runner VARCHAR`,
	`ALTER TABLE performance_regressions ADD COLUMN unit VARCHAR`,
	`ALTER TABLE performance_regressions ADD COLUMN previous_commit_hash VARCHAR`, // last good
	`ALTER TABLE performance_regressions ADD COLUMN relative_change DOUBLE`,
	`ALTER TABLE performance_regressions ADD COLUMN change_low DOUBLE`, // 95 % interval
	`ALTER TABLE performance_regressions ADD COLUMN change_high DOUBLE`,
	`ALTER TABLE performance_regressions ADD COLUMN value_before DOUBLE`, // in unit
	`ALTER TABLE performance_regressions ADD COLUMN value_after DOUBLE`,
	`ALTER TABLE performance_regressions ADD COLUMN p_value DOUBLE`,
	`ALTER TABLE performance_regressions ADD COLUMN status VARCHAR`, // provisional, confirmed
	`ALTER TABLE performance_regressions ADD COLUMN environment_change VARCHAR`,
}

// schemaV3 keeps the raw samples without a primary key on their ids: the
// index on metric_samples.id, three keys per result, took 23 MiB of a
// 1,000,000-result database (measured: BenchmarkStorage), a quarter of
// what GitHub lets a data-branch file be, and no query looks a row up by
// that id. The ids are still unique: every writer takes them from the
// tables' sequences (Ingest by column default, Merge as a block). DuckDB
// cannot drop a constraint, so each table is rebuilt with the same columns
// and rows.
var schemaV3 = []string{
	`ALTER TABLE metric_samples RENAME TO metric_samples_v2`,
	`CREATE TABLE metric_samples (
		id INTEGER NOT NULL DEFAULT nextval('metric_samples_id_seq'),
		performance_id INTEGER NOT NULL,
		position INTEGER NOT NULL,        -- order of the metric in the result
		metric VARCHAR NOT NULL,
		unit VARCHAR NOT NULL,
		direction VARCHAR NOT NULL CHECK (direction IN ('smaller', 'bigger')),
		exact BOOLEAN NOT NULL,
		samples DOUBLE[] NOT NULL         -- base unit, one per repetition
	)`,
	`INSERT INTO metric_samples BY NAME SELECT * FROM metric_samples_v2 ORDER BY id`,
	`DROP TABLE metric_samples_v2`,

	`ALTER TABLE iteration_samples RENAME TO iteration_samples_v2`,
	`CREATE TABLE iteration_samples (
		id INTEGER NOT NULL DEFAULT nextval('iteration_samples_id_seq'),
		performance_id INTEGER NOT NULL,
		repetition INTEGER NOT NULL,      -- from 1
		latencies_s DOUBLE[] NOT NULL
	)`,
	`INSERT INTO iteration_samples BY NAME SELECT * FROM iteration_samples_v2 ORDER BY id`,
	`DROP TABLE iteration_samples_v2`,
}
