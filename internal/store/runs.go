package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrNotFound is wrapped by errors for a run (or database) that does not
// exist.
var ErrNotFound = errors.New("run not found")

// ErrAmbiguous is wrapped by FindRun's error when a selector matches several
// commits.
var ErrAmbiguous = errors.New("ambiguous run selector")

// Run is one attempt of one workflow run: the unit that Ingest stores at most
// once.
type Run struct {
	ID          string    // workflow run id, e.g. $GITHUB_RUN_ID; required
	Attempt     int       // from 1, e.g. $GITHUB_RUN_ATTEMPT; Ingest reads 0 as 1
	Commit      string    // commit SHA measured
	Ref         string    // e.g. refs/heads/main
	Suite       string    // suite name
	Runner      string    // runner label: part of every series identity
	CreatedAt   time.Time // UTC, microsecond precision; Ingest reads zero as now
	Environment map[string]string
}

// runColumns are the columns scanRun reads, in order, from runs aliased r.
const runColumns = `r.id, r.run_id, r.attempt, r.commit_sha, r.ref, r.suite, r.runner, r.created_at, r.environment::VARCHAR`

// scanRun scans runColumns (and extra destinations after them) into a Run
// and returns the run's row key.
func scanRun(sc interface{ Scan(...any) error }, extra ...any) (Run, int64, error) {
	var (
		r   Run
		key int64
		env sql.NullString
	)
	dest := append([]any{&key, &r.ID, &r.Attempt, &r.Commit, &r.Ref, &r.Suite, &r.Runner, &r.CreatedAt, &env}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return Run{}, 0, err
	}
	r.CreatedAt = r.CreatedAt.UTC()
	if env.Valid {
		if err := json.Unmarshal([]byte(env.String), &r.Environment); err != nil {
			return Run{}, 0, fmt.Errorf("run %s#%d: environment: %w", r.ID, r.Attempt, err)
		}
	}
	return r, key, nil
}

// queryRuns runs a query selecting runColumns and returns its runs.
func (db *DB) queryRuns(ctx context.Context, query string, args ...any) ([]Run, error) {
	rows, err := db.sql.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		r, _, err := scanRun(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Runs returns every stored run attempt, newest first.
func (db *DB) Runs(ctx context.Context) ([]Run, error) {
	rs, err := db.queryRuns(ctx, `SELECT `+runColumns+` FROM runs r ORDER BY r.created_at DESC, r.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("listing runs in %s: %w", db.path, err)
	}
	return rs, nil
}

// latestAttempts keeps the newest attempt of each run id: a re-run attempt
// supersedes the earlier ones.
const latestAttempts = ` QUALIFY row_number() OVER (PARTITION BY r.run_id ORDER BY r.attempt DESC) = 1`

// newestFirst orders runs newest first, insertion order breaking ties.
const newestFirst = ` ORDER BY r.created_at DESC, r.id DESC`

// FindRun resolves a selector to one run. In the order tried:
//   - "latest" is the newest run, "latest~N" the Nth before it;
//   - "ID#N" is attempt N of run ID;
//   - "ID" is the latest attempt of run ID;
//   - a commit SHA or a unique prefix of at least 7 hex digits is the newest
//     run of that commit;
//   - a ref ("main", "refs/heads/main", "v1.2") is the newest run of that ref.
//
// Except for "ID#N", only the latest attempt of each run is considered. The
// error wraps ErrNotFound or ErrAmbiguous and names the selector.
func (db *DB) FindRun(ctx context.Context, selector string) (Run, error) {
	r, err := db.findRun(ctx, strings.TrimSpace(selector))
	if err != nil {
		return Run{}, fmt.Errorf("finding run %q: %w", selector, err)
	}
	return r, nil
}

func (db *DB) findRun(ctx context.Context, sel string) (Run, error) {
	if sel == "" {
		return Run{}, fmt.Errorf("empty selector: %w", ErrNotFound)
	}
	if n, ok, err := parseLatest(sel); err != nil {
		return Run{}, err
	} else if ok {
		rs, err := db.queryRuns(ctx, `SELECT `+runColumns+` FROM runs r`+latestAttempts+newestFirst+` LIMIT 1 OFFSET ?`, n)
		if err != nil {
			return Run{}, err
		}
		if len(rs) == 0 {
			return Run{}, fmt.Errorf("fewer than %d runs stored: %w", n+1, ErrNotFound)
		}
		return rs[0], nil
	}
	if i := strings.LastIndexByte(sel, '#'); i > 0 {
		if attempt, err := strconv.Atoi(sel[i+1:]); err == nil && attempt >= 1 {
			rs, err := db.queryRuns(ctx, `SELECT `+runColumns+` FROM runs r WHERE r.run_id = ? AND r.attempt = ?`, sel[:i], attempt)
			if err != nil {
				return Run{}, err
			}
			if len(rs) == 0 {
				return Run{}, fmt.Errorf("no attempt %d of run %s: %w", attempt, sel[:i], ErrNotFound)
			}
			return rs[0], nil
		}
	}
	rs, err := db.queryRuns(ctx, `SELECT `+runColumns+` FROM runs r WHERE r.run_id = ? ORDER BY r.attempt DESC LIMIT 1`, sel)
	if err != nil || len(rs) > 0 {
		return first(rs), err
	}
	if isCommitPrefix(sel) {
		r, ok, err := db.findCommit(ctx, strings.ToLower(sel))
		if err != nil || ok {
			return r, err
		}
	}
	rs, err = db.queryRuns(ctx, `SELECT `+runColumns+` FROM runs r
		WHERE r.ref IN (?, 'refs/heads/' || ?, 'refs/tags/' || ?)`+latestAttempts+newestFirst+` LIMIT 1`, sel, sel, sel)
	if err != nil || len(rs) > 0 {
		return first(rs), err
	}
	return Run{}, fmt.Errorf("no run id, commit or ref matches: %w", ErrNotFound)
}

// findCommit returns the newest run of the one commit starting with prefix.
func (db *DB) findCommit(ctx context.Context, prefix string) (Run, bool, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT DISTINCT commit_sha FROM runs WHERE starts_with(lower(commit_sha), ?) ORDER BY 1 LIMIT 3`, prefix)
	if err != nil {
		return Run{}, false, err
	}
	var commits []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return Run{}, false, err
		}
		commits = append(commits, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Run{}, false, err
	}
	switch len(commits) {
	case 0:
		return Run{}, false, nil
	case 1:
	default:
		return Run{}, false, fmt.Errorf("commit prefix matches several commits (%s, …): %w", strings.Join(commits[:2], ", "), ErrAmbiguous)
	}
	rs, err := db.queryRuns(ctx, `SELECT `+runColumns+` FROM runs r WHERE r.commit_sha = ?`+latestAttempts+newestFirst+` LIMIT 1`, commits[0])
	if err != nil || len(rs) == 0 {
		return Run{}, false, err
	}
	return rs[0], true, nil
}

// parseLatest parses "latest" (0) and "latest~N" (N).
func parseLatest(sel string) (n int, ok bool, err error) {
	if sel == "latest" {
		return 0, true, nil
	}
	rest, found := strings.CutPrefix(sel, "latest~")
	if !found {
		return 0, false, nil
	}
	n, err = strconv.Atoi(rest)
	if err != nil || n < 0 {
		return 0, false, errors.New("want latest~N with N a non-negative integer")
	}
	return n, true, nil
}

// isCommitPrefix reports whether s can abbreviate a commit SHA: 7 to 64 hex
// digits.
func isCommitPrefix(s string) bool {
	if len(s) < 7 || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return false
		}
	}
	return true
}

// first returns the first run, or the zero Run.
func first(rs []Run) Run {
	if len(rs) == 0 {
		return Run{}
	}
	return rs[0]
}
