package store

import (
	"context"
	"fmt"
	"slices"
)

// MergeStats says what Merge did.
type MergeStats struct {
	Runs    int // run attempts of the source
	Added   int // run attempts written to the destination
	Skipped int // run attempts the destination already held
}

// Merge copies every run attempt of src that db does not hold yet into db,
// oldest first, each in its own transaction (see Ingest). It is idempotent
// by (run id, attempt): merging the same source twice, or two databases
// that share runs, never duplicates a row. src is only read.
//
// Note: runs are reconstructed with Results and re-ingested, not copied
// table by table, so that row keys of the two files never collide and every
// row is validated again on the way in.
//
// Note: the analysis tables (performance_history, performance_regressions)
// are derived data and are not merged: db keeps its own, src's are not
// copied (see the package doc, "Analysis tables").
func (db *DB) Merge(ctx context.Context, src *DB) (MergeStats, error) {
	var st MergeStats
	runs, err := src.Runs(ctx)
	if err != nil {
		return st, fmt.Errorf("merging %s into %s: %w", src.path, db.path, err)
	}
	slices.Reverse(runs) // oldest first: ids in db follow history
	st.Runs = len(runs)
	for _, run := range runs {
		rs, err := src.Results(ctx, run)
		if err != nil {
			return st, fmt.Errorf("merging %s into %s: %w", src.path, db.path, err)
		}
		is, err := db.Ingest(ctx, run, rs)
		if err != nil {
			return st, fmt.Errorf("merging %s into %s: %w", src.path, db.path, err)
		}
		if is.Inserted {
			st.Added++
		} else {
			st.Skipped++
		}
	}
	return st, nil
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
