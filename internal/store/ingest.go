package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/benchgate/benchgate/internal/results"
)

// IngestStats says what Ingest did.
type IngestStats struct {
	// Inserted is false when this run and attempt were already stored: then
	// nothing changed and the counts are zero.
	Inserted bool
	Results  int // results written, failed ones included
	Failed   int // failed results written
}

// Ingest stores the results of one run attempt in one transaction: all of
// them or, on any error, none. It is idempotent by (run.ID, run.Attempt): a
// stored attempt is left as it is and Inserted is false.
//
// Every result is validated first (results.Result.Validate, valid UTF-8 in
// names, a direction for every metric, a type for every failure, no two
// successful results of the same benchmark, params and hardware: merge
// repetitions with results.Merge first). Free text (error message, command,
// stdout, stderr) is stored with invalid UTF-8 replaced by U+FFFD.
func (db *DB) Ingest(ctx context.Context, run Run, rs []results.Result) (IngestStats, error) {
	run, err := normalizeRun(run)
	if err != nil {
		return IngestStats{}, fmt.Errorf("ingesting into %s: %w", db.path, err)
	}
	if db.readOnly {
		return IngestStats{}, fmt.Errorf("ingesting run %s#%d: database %s is open read-only", run.ID, run.Attempt, db.path)
	}
	if err := checkResults(rs); err != nil {
		return IngestStats{}, fmt.Errorf("ingesting run %s#%d: %w", run.ID, run.Attempt, err)
	}
	stats, err := db.ingest(ctx, run, rs)
	if err != nil {
		return IngestStats{}, fmt.Errorf("ingesting run %s#%d into %s: %w", run.ID, run.Attempt, db.path, err)
	}
	return stats, nil
}

// normalizeRun checks a run and fills its defaults: attempt 1, created now;
// times are UTC with the microseconds DuckDB keeps.
func normalizeRun(run Run) (Run, error) {
	if run.ID == "" {
		return run, errors.New("run has no id")
	}
	if run.Attempt < 0 {
		return run, fmt.Errorf("run %s: attempt %d is negative", run.ID, run.Attempt)
	}
	if run.Attempt == 0 {
		run.Attempt = 1
	}
	if run.CreatedAt.IsZero() {
		run.CreatedAt = time.Now()
	}
	run.CreatedAt = run.CreatedAt.UTC().Truncate(time.Microsecond)
	for _, f := range []struct{ name, value string }{
		{"id", run.ID}, {"commit", run.Commit}, {"ref", run.Ref}, {"suite", run.Suite}, {"runner", run.Runner},
	} {
		if !utf8.ValidString(f.value) {
			return run, fmt.Errorf("run %q: %s is not valid UTF-8", run.ID, f.name)
		}
	}
	return run, nil
}

// checkResults validates every result before anything is written.
func checkResults(rs []results.Result) error {
	seen := map[string]bool{}
	for i := range rs {
		r := &rs[i]
		if err := r.Validate(); err != nil {
			return fmt.Errorf("result %d: %w", i+1, err)
		}
		if err := checkText(r); err != nil {
			return fmt.Errorf("result %d: benchmark %q: %w", i+1, r.Name, err)
		}
		for _, m := range r.Metrics {
			if m.Better != results.SmallerIsBetter && m.Better != results.BiggerIsBetter {
				return fmt.Errorf("result %d: benchmark %q metric %q: no direction (smaller or bigger is better)", i+1, r.Name, m.Name)
			}
		}
		if r.Failure != nil {
			if r.Failure.Type == "" {
				return fmt.Errorf("result %d: benchmark %q: failure has no error type", i+1, r.Name)
			}
			continue
		}
		k := strings.Join([]string{r.Name, r.ParamString(), r.Hardware.Type, r.Hardware.DeviceName}, "\x00")
		if seen[k] {
			return fmt.Errorf("result %d: benchmark %q [%s] on %s appears twice: merge repetitions first", i+1, r.Name, r.ParamString(), r.Hardware.Type)
		}
		seen[k] = true
	}
	return nil
}

// checkText rejects invalid UTF-8 in identifying text, which DuckDB cannot
// store and which cannot be repaired without changing series identity.
func checkText(r *results.Result) error {
	texts := []string{r.Name, r.Hardware.Type, r.Hardware.DeviceName, r.Hardware.DriverVersion}
	for k, v := range r.Params {
		texts = append(texts, k, v)
	}
	for _, m := range r.Metrics {
		texts = append(texts, m.Name, m.Unit)
	}
	if r.Model != nil {
		texts = append(texts, r.Model.Name, r.Model.Family, r.Model.Modality, r.Model.Size)
	}
	if r.Failure != nil {
		texts = append(texts, string(r.Failure.Type))
	}
	for _, t := range texts {
		if !utf8.ValidString(t) {
			return fmt.Errorf("%q is not valid UTF-8", t)
		}
	}
	return nil
}

// ingest writes run and rs in one transaction, on one connection that
// the writer's appenders share.
func (db *DB) ingest(ctx context.Context, run Run, rs []results.Result) (stats IngestStats, err error) {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return stats, err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return stats, err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback() // Note: the error that caused the rollback matters, not this one.
		}
	}()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM runs WHERE run_id = ? AND attempt = ?`, run.ID, run.Attempt).Scan(&n); err != nil {
		return stats, err
	}
	if n > 0 {
		return IngestStats{}, tx.Rollback()
	}
	env, err := jsonOrNull(run.Environment)
	if err != nil {
		return stats, fmt.Errorf("environment: %w", err)
	}
	var runKey int64
	err = tx.QueryRowContext(ctx, `INSERT INTO runs (run_id, attempt, commit_sha, ref, suite, runner, created_at, environment)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		run.ID, run.Attempt, run.Commit, run.Ref, run.Suite, run.Runner, run.CreatedAt, env).Scan(&runKey)
	if err != nil {
		return stats, fmt.Errorf("inserting run: %w", err)
	}
	if err := newWriter(conn, tx, run, runKey).writeAll(ctx, rs); err != nil {
		return stats, err
	}
	for i := range rs {
		stats.Results++
		if rs[i].Failure != nil {
			stats.Failed++
		}
	}
	if db.beforeCommit != nil {
		if err := db.beforeCommit(); err != nil {
			return stats, err
		}
	}
	if err := tx.Commit(); err != nil {
		return stats, fmt.Errorf("committing: %w", err)
	}
	stats.Inserted = true
	return stats, nil
}

// jsonOrNull encodes v as JSON text, or SQL NULL when v is nil.
func jsonOrNull[T any](v map[string]T) (any, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// paramInt returns params[key] as an INTEGER column value, NULL when absent
// or not a 32-bit integer (the params string keeps it).
func paramInt(params map[string]string, key string) any {
	v, ok := params[key]
	if !ok {
		return nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 32)
	if err != nil {
		return nil
	}
	return n
}

// paramString returns params[key], NULL when absent.
func paramString(params map[string]string, key string) any {
	if v, ok := params[key]; ok {
		return v
	}
	return nil
}

// nullable returns *p, or SQL NULL for nil.
func nullable[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// nonZero returns v, or SQL NULL for the zero value (unknown).
func nonZero[T comparable](v T) any {
	var zero T
	if v == zero {
		return nil
	}
	return v
}

// clean makes free text storable: invalid UTF-8 becomes U+FFFD.
func clean(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
