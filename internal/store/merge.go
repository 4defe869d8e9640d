package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
)

// MergeStats says what Merge did.
type MergeStats struct {
	Runs    int // run attempts of the source
	Added   int // run attempts written to the destination
	Skipped int // run attempts the destination already held
}

// Merge copies every run attempt of src that db does not hold yet into db,
// with all its rows (results, samples, iterations, errors, resource
// samples), their models and hardware, in one transaction: all of them or,
// on any error, none. It is idempotent by (run id, attempt): merging the
// same source twice, or two databases that share runs, never duplicates a
// row. src is only read; it may be open read-only.
//
// The rows are copied by SQL, table by table, never loaded into Go memory:
// src writes the runs db lacks to a scratch database in a new directory
// beside db (a database opened with OpenUntrusted attaches nothing else),
// which db attaches read-only and copies from: src must be able to write
// there, so a src opened with OpenUntrusted, which writes only beside
// itself, merges only into a database in its own directory. Every row gets a new id from
// db's sequences, in the order of the source's ids (runs oldest first, as
// Ingest would have written them), and every reference is remapped: a model
// or a hardware row db already holds is shared by its natural key (see
// Ingest), and a shared hardware row takes src's memory and compute units
// where src knows them.
//
// Note: the analysis tables (performance_history, performance_regressions)
// are derived data and are not merged: db keeps its own, src's are not
// copied (see the package doc, "Analysis tables").
func (db *DB) Merge(ctx context.Context, src *DB) (MergeStats, error) {
	st, err := db.merge(ctx, src)
	if err != nil {
		return st, fmt.Errorf("merging %s into %s: %w", src.path, db.path, err)
	}
	return st, nil
}

func (db *DB) merge(ctx context.Context, src *DB) (MergeStats, error) {
	var st MergeStats
	if db.readOnly {
		return st, fmt.Errorf("database %s is open read-only", db.path)
	}
	srcRuns, err := src.Runs(ctx)
	if err != nil {
		return st, err
	}
	have, err := db.Runs(ctx)
	if err != nil {
		return st, err
	}
	held := map[runKey]bool{}
	for _, r := range have {
		held[runKey{r.ID, r.Attempt}] = true
	}
	var ids []string
	var attempts []int32
	for _, r := range srcRuns {
		if !held[runKey{r.ID, r.Attempt}] {
			ids, attempts = append(ids, r.ID), append(attempts, int32(r.Attempt))
		}
	}
	st.Runs, st.Skipped = len(srcRuns), len(srcRuns)
	if len(ids) == 0 {
		return st, nil
	}
	dir, err := os.MkdirTemp(filepath.Dir(db.path), ".benchgate-merge-")
	if err != nil {
		return st, err
	}
	defer os.RemoveAll(dir)
	scratch := filepath.Join(dir, "runs.duckdb")
	if err := src.exportRuns(ctx, scratch, ids, attempts); err != nil {
		return st, fmt.Errorf("copying runs of %s to %s: %w", src.path, scratch, err)
	}
	added, err := db.mergeFile(ctx, scratch)
	if err != nil {
		return st, err
	}
	st.Added, st.Skipped = added, st.Runs-added
	return st, nil
}

// runKey identifies one run attempt.
type runKey struct {
	id      string
	attempt int
}

// runTables are the tables of a run's rows, with the filter that selects
// the rows of the runs held in catalog x (formatted in with %[1]s), in the
// order their rows are copied.
var runTables = []struct{ table, filter string }{
	{"performance_results", `run_key IN (SELECT id FROM %[1]s.runs)`},
	{"metric_samples", `performance_id IN (SELECT id FROM %[1]s.performance_results)`},
	{"iteration_samples", `performance_id IN (SELECT id FROM %[1]s.performance_results)`},
	{"benchmark_errors", `performance_id IN (SELECT id FROM %[1]s.performance_results)`},
	{"resource_monitoring", `performance_id IN (SELECT id FROM %[1]s.performance_results)`},
	{"models", `model_id IN (SELECT model_id FROM %[1]s.performance_results)`},
	{"hardware_platforms", `hardware_id IN (SELECT hardware_id FROM %[1]s.performance_results)`},
}

// exportRuns writes a new database at path holding the run attempts
// (ids[i], attempts[i]) of db and every row they refer to, with db's ids.
func (db *DB) exportRuns(ctx context.Context, path string, ids []string, attempts []int32) error {
	out, err := Open(ctx, path)
	if err != nil {
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// Note: READ_WRITE, since a database opened read-only attaches others
	// read-only by default.
	if _, err := conn.ExecContext(ctx, `ATTACH `+quoteLiteral(path)+` AS merge_out (READ_WRITE)`); err != nil {
		return err
	}
	err = copyRuns(ctx, conn, ids, attempts)
	// Detaching checkpoints the copy into its file, which db then attaches.
	if _, derr := conn.ExecContext(context.WithoutCancel(ctx), `DETACH merge_out`); err == nil && derr != nil {
		err = fmt.Errorf("detaching: %w", derr)
	}
	return err
}

// copyRuns copies the run attempts (ids[i], attempts[i]) and the rows they
// refer to into merge_out, in one transaction on conn.
func copyRuns(ctx context.Context, conn *sql.Conn, ids []string, attempts []int32) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }() // Note: after Commit, a no-op.
	if _, err := tx.ExecContext(ctx, `INSERT INTO merge_out.runs BY NAME
		SELECT r.* FROM runs r
		JOIN (SELECT unnest(?::VARCHAR[]) AS run_id, unnest(?::INTEGER[]) AS attempt) k
		  ON k.run_id = r.run_id AND k.attempt = r.attempt`, ids, attempts); err != nil {
		return fmt.Errorf("runs: %w", err)
	}
	for _, t := range runTables {
		q := `INSERT INTO merge_out.` + t.table + ` BY NAME SELECT * FROM ` + t.table + ` WHERE ` + fmt.Sprintf(t.filter, "merge_out")
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", t.table, err)
		}
	}
	return tx.Commit()
}

// mergeFile copies the runs of the benchgate database at path that db
// lacks into db, in one transaction, and returns how many it copied.
func (db *DB) mergeFile(ctx context.Context, path string) (added int, err error) {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `ATTACH `+quoteLiteral(path)+` AS merge_src (READ_ONLY)`); err != nil {
		return 0, fmt.Errorf("attaching %s: %w", path, err)
	}
	defer func() {
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), `DETACH merge_src`) // Note: the merge's error is the one that matters.
	}()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback() // Note: the error that caused the rollback matters, not this one.
		}
	}()
	m := merger{tx: tx}
	if err := m.mapRuns(ctx); err != nil {
		return 0, err
	}
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM merge_map_runs`).Scan(&added); err != nil {
		return 0, err
	}
	if added > 0 {
		if err := m.copyRows(ctx); err != nil {
			return 0, err
		}
	}
	for _, t := range []string{"runs", "models", "hardware_platforms", "performance_results",
		"metric_samples", "iteration_samples", "benchmark_errors", "resource_monitoring"} {
		if _, err := tx.ExecContext(ctx, `DROP TABLE IF EXISTS merge_map_`+t); err != nil {
			return 0, err
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("committing: %w", err)
	}
	return added, nil
}

// merger copies the rows of merge_src into the database inside tx. Each
// table's id map is a temporary table merge_map_<table> (old, new).
type merger struct {
	tx *sql.Tx
}

// exec runs one step, naming it in the error.
func (m merger) exec(ctx context.Context, step, q string, args ...any) error {
	if _, err := m.tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("%s: %w", step, err)
	}
	return nil
}

// mapIDs makes merge_map_<table> (old, new): a new id from seq for every
// row that from (a FROM clause with alias s, selecting the rows to copy)
// yields, given in the order of order. The ids are taken from the sequence
// as a block and matched by rank, so that the map keeps the order whatever
// order DuckDB evaluates nextval in.
func (m merger) mapIDs(ctx context.Context, table, seq, old, from, order string) error {
	step := "mapping ids of " + table
	if err := m.exec(ctx, step, `CREATE TEMP TABLE merge_rank AS
		SELECT `+old+` AS old, row_number() OVER (ORDER BY `+order+`) AS k FROM `+from); err != nil {
		return err
	}
	var n int
	if err := m.tx.QueryRowContext(ctx, `SELECT count(*) FROM merge_rank`).Scan(&n); err != nil {
		return fmt.Errorf("%s: %w", step, err)
	}
	if err := m.exec(ctx, step, `CREATE TEMP TABLE merge_block AS SELECT nextval(`+quoteLiteral(seq)+`) AS new FROM range(?)`, n); err != nil {
		return err
	}
	if err := m.exec(ctx, step, `CREATE TEMP TABLE merge_map_`+table+` AS
		SELECT r.old, b.new FROM merge_rank r
		JOIN (SELECT new, row_number() OVER (ORDER BY new) AS k FROM merge_block) b ON b.k = r.k`); err != nil {
		return err
	}
	return m.exec(ctx, step, `DROP TABLE merge_rank; DROP TABLE merge_block`)
}

// mapRuns maps the runs of merge_src that the database lacks, oldest first.
func (m merger) mapRuns(ctx context.Context) error {
	return m.mapIDs(ctx, "runs", "runs_id_seq", "s.id",
		`merge_src.runs s WHERE NOT EXISTS (SELECT 1 FROM runs d WHERE d.run_id = s.run_id AND d.attempt = s.attempt)`,
		"s.created_at, s.id")
}

// copyRows copies the mapped runs and every row they refer to.
func (m merger) copyRows(ctx context.Context) error {
	if err := m.exec(ctx, "copying runs", `INSERT INTO runs BY NAME
		SELECT s.* REPLACE (mr.new AS id) FROM merge_src.runs s JOIN merge_map_runs mr ON mr.old = s.id`); err != nil {
		return err
	}
	// The results to copy, by the new ids of their runs then their own.
	if err := m.mapIDs(ctx, "performance_results", "performance_results_id_seq", "s.id",
		`merge_src.performance_results s JOIN merge_map_runs mr ON mr.old = s.run_key`, "mr.new, s.id"); err != nil {
		return err
	}
	if err := m.mapModels(ctx); err != nil {
		return err
	}
	if err := m.mapHardware(ctx); err != nil {
		return err
	}
	if err := m.exec(ctx, "copying results", `INSERT INTO performance_results BY NAME
		SELECT s.* REPLACE (mp.new AS id, mr.new AS run_key, mm.new AS model_id, mh.new AS hardware_id)
		FROM merge_src.performance_results s
		JOIN merge_map_performance_results mp ON mp.old = s.id
		JOIN merge_map_runs mr ON mr.old = s.run_key
		JOIN merge_map_models mm ON mm.old = s.model_id
		JOIN merge_map_hardware_platforms mh ON mh.old = s.hardware_id`); err != nil {
		return err
	}
	for _, t := range []string{"metric_samples", "iteration_samples", "benchmark_errors", "resource_monitoring"} {
		if err := m.mapIDs(ctx, t, t+"_id_seq", "s.id",
			`merge_src.`+t+` s JOIN merge_map_performance_results mp ON mp.old = s.performance_id`, "mp.new, s.id"); err != nil {
			return err
		}
		if err := m.exec(ctx, "copying "+t, `INSERT INTO `+t+` BY NAME
			SELECT s.* REPLACE (mt.new AS id, mp.new AS performance_id)
			FROM merge_src.`+t+` s
			JOIN merge_map_`+t+` mt ON mt.old = s.id
			JOIN merge_map_performance_results mp ON mp.old = s.performance_id`); err != nil {
			return err
		}
	}
	return nil
}

// modelKey is the natural key of a models row (see Ingest).
const modelKey = `model_name, model_family, model_type, model_size, parameters_million`

// mapModels maps the models of the copied results to the database's
// equal models (the lowest id, as Ingest shares them), inserting one row
// per model the database lacks, in the order of the source's ids.
func (m merger) mapModels(ctx context.Context) error {
	if err := m.exec(ctx, "mapping models", `CREATE TEMP TABLE merge_models AS
		SELECT s.model_id AS old, s.*, d.new
		FROM merge_src.models s
		LEFT JOIN (SELECT min(model_id) AS new, `+modelKey+` FROM models GROUP BY ALL) d USING (`+modelKey+`)
		WHERE s.model_id IN (SELECT s.model_id FROM merge_src.performance_results s JOIN merge_map_performance_results mp ON mp.old = s.id)`); err != nil {
		return err
	}
	// The models to insert: one per key, with the first source row's values.
	if err := m.mapIDs(ctx, "models_new", "models_id_seq", "min(s.old)",
		`merge_models s WHERE s.new IS NULL GROUP BY `+modelKey, "min(s.old)"); err != nil {
		return err
	}
	return m.exec(ctx, "inserting models", `
		INSERT INTO models BY NAME
			SELECT s.* EXCLUDE (old, new) REPLACE (n.new AS model_id)
			FROM merge_models s JOIN merge_map_models_new n ON n.old = s.old;
		CREATE TEMP TABLE merge_map_models AS
			SELECT s.old, coalesce(s.new, i.inserted) AS new FROM merge_models s
			LEFT JOIN (SELECT f.* EXCLUDE (old, model_id, added_at, new), n.new AS inserted
			           FROM merge_models f JOIN merge_map_models_new n ON n.old = f.old) i USING (`+modelKey+`);
		DROP TABLE merge_models; DROP TABLE merge_map_models_new`)
}

// hardwareKeyColumns is the natural key of a hardware_platforms row.
const hardwareKeyColumns = `hardware_type, device_name, driver_version`

// mapHardware maps the hardware of the copied results to the database's
// rows of the same key, which take the source's memory and compute units
// where it knows them, inserting the rows the database lacks.
func (m merger) mapHardware(ctx context.Context) error {
	if err := m.exec(ctx, "mapping hardware", `CREATE TEMP TABLE merge_hardware AS
		SELECT s.hardware_id AS old, s.*, d.hardware_id AS new
		FROM merge_src.hardware_platforms s
		LEFT JOIN hardware_platforms d USING (`+hardwareKeyColumns+`)
		WHERE s.hardware_id IN (SELECT s.hardware_id FROM merge_src.performance_results s JOIN merge_map_performance_results mp ON mp.old = s.id)`); err != nil {
		return err
	}
	if err := m.mapIDs(ctx, "hardware_new", "hardware_platforms_id_seq", "s.old", `merge_hardware s WHERE s.new IS NULL`, "s.old"); err != nil {
		return err
	}
	return m.exec(ctx, "inserting hardware", `
		UPDATE hardware_platforms d
			SET compute_units = coalesce(s.compute_units, d.compute_units), memory_capacity = coalesce(s.memory_capacity, d.memory_capacity)
			FROM merge_hardware s
			WHERE s.new = d.hardware_id
			  AND (s.compute_units IS DISTINCT FROM d.compute_units AND s.compute_units IS NOT NULL
			    OR s.memory_capacity IS DISTINCT FROM d.memory_capacity AND s.memory_capacity IS NOT NULL);
		INSERT INTO hardware_platforms BY NAME
			SELECT s.* EXCLUDE (old, new) REPLACE (n.new AS hardware_id)
			FROM merge_hardware s JOIN merge_map_hardware_new n ON n.old = s.old;
		CREATE TEMP TABLE merge_map_hardware_platforms AS
			SELECT s.old, coalesce(s.new, n.new) AS new FROM merge_hardware s LEFT JOIN merge_map_hardware_new n ON n.old = s.old;
		DROP TABLE merge_hardware; DROP TABLE merge_map_hardware_new`)
}

// HasRun reports whether db holds attempt attempt of run id.
func (db *DB) HasRun(ctx context.Context, id string, attempt int) (bool, error) {
	var n int
	err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM runs WHERE run_id = ? AND attempt = ?`, id, attempt).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("looking up run %s#%d in %s: %w", id, attempt, db.path, err)
	}
	return n > 0, nil
}
