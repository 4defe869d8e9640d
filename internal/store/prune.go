package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
)

// PruneOptions says which raw samples Prune keeps.
type PruneOptions struct {
	// KeepRuns is how many of the newest runs of each series group
	// (benchmark, params, hardware, runner) keep their raw samples; ≥ 1.
	KeepRuns int
}

// DefaultKeepRuns is the retention window of raw samples per series group:
// enough for the gate's history (≤ 64 points, docs/STATISTICS.md §7.2) with a
// margin.
const DefaultKeepRuns = 100

// PruneStats says what Prune did.
type PruneStats struct {
	Results    int // successful results outside the window
	Iterations int // iteration_samples rows deleted
	Metrics    int // metric_samples rows collapsed to their median
}

// Prune drops the raw samples of results that fall outside the newest
// o.KeepRuns runs of their series group, in one transaction: their
// per-iteration latencies are deleted and each metric's samples are
// replaced by their median, a one-element list. Summary columns of
// performance_results, runs, failures and every row's identity are kept
// forever, so reports, trends and change-point detection still see every
// run; only comparisons against a pruned run have one sample per metric.
// Pruning twice with the same options changes nothing the second time.
//
// Note: DuckDB reuses freed blocks but does not shrink its file; CompactTo
// writes a copy without them.
func (db *DB) Prune(ctx context.Context, o PruneOptions) (st PruneStats, err error) {
	if o.KeepRuns < 1 {
		return st, fmt.Errorf("pruning %s: keep %d runs: want at least 1", db.path, o.KeepRuns)
	}
	if db.readOnly {
		return st, fmt.Errorf("pruning %s: database is open read-only", db.path)
	}
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return st, fmt.Errorf("pruning %s: %w", db.path, err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback() // Note: the error that caused the rollback matters, not this one.
		}
	}()
	// old lists the successful results outside the window: rank runs per
	// series group, newest first, latest attempt of a run id counting once.
	const old = `CREATE TEMP TABLE prune_old AS
		SELECT id FROM (
			SELECT pr.id, dense_rank() OVER (
				PARTITION BY pr.benchmark, pr.params, pr.hardware_id, r.runner
				ORDER BY r.created_at DESC, r.run_id DESC) AS k
			FROM performance_results pr JOIN runs r ON r.id = pr.run_key
			WHERE pr.status = 'success')
		WHERE k > ?`
	if _, err = tx.ExecContext(ctx, old, o.KeepRuns); err != nil {
		return st, fmt.Errorf("pruning %s: selecting old results: %w", db.path, err)
	}
	if err = tx.QueryRowContext(ctx, `SELECT count(*) FROM prune_old`).Scan(&st.Results); err != nil {
		return st, fmt.Errorf("pruning %s: %w", db.path, err)
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM iteration_samples WHERE performance_id IN (SELECT id FROM prune_old)`)
	if err != nil {
		return st, fmt.Errorf("pruning %s: deleting iterations: %w", db.path, err)
	}
	st.Iterations = affected(res)
	res, err = tx.ExecContext(ctx, `UPDATE metric_samples SET samples = [list_median(samples)]
		WHERE len(samples) > 1 AND performance_id IN (SELECT id FROM prune_old)`)
	if err != nil {
		return st, fmt.Errorf("pruning %s: collapsing samples: %w", db.path, err)
	}
	st.Metrics = affected(res)
	if _, err = tx.ExecContext(ctx, `DROP TABLE prune_old`); err != nil {
		return st, fmt.Errorf("pruning %s: %w", db.path, err)
	}
	if err = tx.Commit(); err != nil {
		return st, fmt.Errorf("pruning %s: committing: %w", db.path, err)
	}
	return st, nil
}

// affected returns the rows a statement changed, 0 when unknown.
func affected(res interface{ RowsAffected() (int64, error) }) int {
	n, err := res.RowsAffected()
	if err != nil {
		return 0
	}
	return int(n)
}

// CompactTo writes a compact copy of the database to path, a file that must
// not exist yet: the same schema, sequences and rows without the free
// blocks that deletes and updates leave behind, metric_samples in series
// order so that the raw samples compress, their ids renumbered in that
// order (compactOrder). The copy is written next to path and renamed into
// place, so path holds either nothing or the whole copy.
func (db *DB) CompactTo(ctx context.Context, path string) (err error) {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("compacting %s: %s already exists", db.path, path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("compacting %s: %w", db.path, err)
	}
	if _, err := db.sql.ExecContext(ctx, `CHECKPOINT`); err != nil && !db.readOnly {
		return fmt.Errorf("compacting %s: checkpoint: %w", db.path, err)
	}
	tmp := path + ".tmp"
	_ = os.Remove(tmp)
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return fmt.Errorf("compacting %s: %w", db.path, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `ATTACH `+quoteLiteral(tmp)+` AS compact_target`); err != nil {
		return fmt.Errorf("compacting %s: attaching %s: %w", db.path, tmp, err)
	}
	var src string
	if err := conn.QueryRowContext(ctx, `SELECT current_database()`).Scan(&src); err != nil {
		return fmt.Errorf("compacting %s: %w", db.path, err)
	}
	cerr := copyDatabase(ctx, conn, src, "compact_target")
	if _, err := conn.ExecContext(ctx, `DETACH compact_target`); err != nil && cerr == nil {
		cerr = err
	}
	if cerr != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("compacting %s into %s: %w", db.path, path, cerr)
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("compacting %s: %w", db.path, err)
	}
	return nil
}

// compactOrder is the order CompactTo writes metric_samples in: by metric,
// then series, then run. A series' samples across runs are alike (timings
// within a few percent of each other, B/op and allocs/op the same integer),
// and DuckDB's ALP and bit-packing compress a column of alike values to a
// few bits each; in ingest order, one vector of 1,024 values mixes every
// metric of a hundred benchmarks, nanoseconds and bytes, and DuckDB falls
// back to run-length encoding at 10 bytes a timing value (measured:
// BenchmarkStorage, 119 MiB → 35 MiB for 1,000,000 results × 3 metrics ×
// 10 samples). Readers never depend on the physical order: they sort by
// run, result and position.
//
// Note: the copy renumbers metric_samples.id in this order (8 MiB of the
// 1,000,000 results: ids in row order bit-pack to nothing). Nothing refers
// to a metric_samples id; it stays unique, and below the sequence's next
// value.
const compactOrder = `ms.metric, ms.unit, pr.benchmark, pr.params, pr.hardware_id, r.runner, ms.performance_id, ms.id`

// copyDatabase copies the schema and rows of catalog src into the empty
// catalog dst on conn: the schema (tables, sequences at their current
// values, views, macros) first, then each table's rows, metric_samples in
// compactOrder and renumbered.
func copyDatabase(ctx context.Context, conn *sql.Conn, src, dst string) error {
	if _, err := conn.ExecContext(ctx, `COPY FROM DATABASE `+quoteIdent(src)+` TO `+quoteIdent(dst)+` (SCHEMA)`); err != nil {
		return fmt.Errorf("copying the schema: %w", err)
	}
	rows, err := conn.QueryContext(ctx, `SELECT schema_name, table_name FROM duckdb_tables()
		WHERE database_name = ? AND NOT temporary AND NOT internal ORDER BY schema_name, table_name`, src)
	if err != nil {
		return fmt.Errorf("listing tables: %w", err)
	}
	var tables [][2]string
	for rows.Next() {
		var t [2]string
		if err := rows.Scan(&t[0], &t[1]); err != nil {
			rows.Close()
			return fmt.Errorf("listing tables: %w", err)
		}
		tables = append(tables, t)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return fmt.Errorf("listing tables: %w", err)
	}
	for _, t := range tables {
		from := quoteIdent(src) + "." + quoteIdent(t[0]) + "."
		if t == [2]string{"main", "metric_samples"} {
			err = copySamples(ctx, conn, from, dst)
		} else {
			_, err = conn.ExecContext(ctx, `INSERT INTO `+quoteIdent(dst)+"."+quoteIdent(t[0])+"."+quoteIdent(t[1])+
				` BY NAME SELECT * FROM `+from+quoteIdent(t[1]))
		}
		if err != nil {
			return fmt.Errorf("copying table %s: %w", t[1], err)
		}
	}
	return nil
}

// copySamples copies metric_samples from the catalog and schema prefix from
// ("src"."main".) to catalog dst in compactOrder, renumbered.
//
// Note: the order is taken on narrow rows first, then the rows are sorted
// by their new id: one sort of the wide rows (the raw samples), not two
// (measured on a year of 520 series: 285 MB peak RSS, 475 MB with the row
// number and the order both on the wide rows; a plain copy 265 MB).
func copySamples(ctx context.Context, conn *sql.Conn, from, dst string) error {
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE compact_order AS
		SELECT ms.rowid AS old, row_number() OVER (ORDER BY `+compactOrder+`)::INTEGER AS new
		FROM `+from+`metric_samples ms
		LEFT JOIN `+from+`performance_results pr ON pr.id = ms.performance_id
		LEFT JOIN `+from+`runs r ON r.id = pr.run_key`); err != nil {
		return err
	}
	defer func() {
		_, _ = conn.ExecContext(ctx, `DROP TABLE IF EXISTS temp.compact_order`) // Note: a leftover is replaced next time.
	}()
	_, err := conn.ExecContext(ctx, `INSERT INTO `+quoteIdent(dst)+`.main.metric_samples BY NAME
		SELECT ms.* REPLACE (o.new AS id)
		FROM `+from+`metric_samples ms JOIN temp.compact_order o ON o.old = ms.rowid
		ORDER BY o.new`)
	return err
}

// quoteLiteral quotes s as an SQL string literal.
func quoteLiteral(s string) string {
	out := []byte{'\''}
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' {
			out = append(out, '\'')
		}
		out = append(out, s[i])
	}
	return string(append(out, '\''))
}

// quoteIdent quotes s as an SQL identifier.
func quoteIdent(s string) string {
	out := []byte{'"'}
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			out = append(out, '"')
		}
		out = append(out, s[i])
	}
	return string(append(out, '"'))
}
