package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	gitcmd "github.com/benchgate/benchgate/internal/git"
	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/store"
)

// ImportOptions configure ImportHistory.
type ImportOptions struct {
	// Suite, when set, imports only that suite's entries.
	Suite string
	// Ref and Runner are recorded with every run (the history says neither).
	Ref, Runner string
}

// ImportStats are what ImportHistory stored.
type ImportStats struct {
	Suites, Stored, Already, Results int
}

// ImportHistory stores a github-action-benchmark history read from path,
// one run per entry, each in its own transaction with an id derived from
// the suite, commit and date (gabRun): importing again, or after an
// interruption, stores only what is missing.
func ImportHistory(ctx context.Context, st *store.DB, h results.GABHistory, path string, o ImportOptions) (ImportStats, error) {
	var is ImportStats
	seen := map[string]bool{}
	for _, entry := range h.Entries {
		if o.Suite != "" && entry.Suite != o.Suite {
			continue
		}
		if !seen[entry.Suite] {
			seen[entry.Suite] = true
			is.Suites++
		}
		stats, err := st.Ingest(ctx, gabRun(h, entry, o.Ref, o.Runner), entry.Results)
		if err != nil {
			return is, fmt.Errorf("%s:%d: entry %s[%d] (commit %s): %w", path, entry.Line, entry.Suite, entry.Index, entry.Commit.ID, err)
		}
		if !stats.Inserted {
			is.Already++
			continue
		}
		is.Stored++
		is.Results += stats.Results
	}
	if o.Suite != "" && is.Suites == 0 {
		return is, fmt.Errorf("%s: no entries of suite %q", path, o.Suite)
	}
	return is, nil
}

// gabRun describes one history entry as a stored run. Its id is
// "gab-<commit>-<date in ms>-<suite hash>": stable across imports, distinct
// for two runs of one commit and for two suites.
func gabRun(h results.GABHistory, entry results.GABEntry, ref, runner string) store.Run {
	sum := sha256.Sum256([]byte(entry.Suite))
	commit := gitcmd.Short(entry.Commit.ID)
	env := map[string]string{"source": "github-action-benchmark", "tool": entry.Tool}
	for k, v := range map[string]string{"repo_url": h.RepoURL, "commit_url": entry.Commit.URL, "commit_author": entry.Commit.Author} {
		if v != "" {
			env[k] = v
		}
	}
	if !entry.Commit.Timestamp.IsZero() {
		env["commit_timestamp"] = entry.Commit.Timestamp.Format(time.RFC3339)
	}
	return store.Run{
		ID:          "gab-" + commit + "-" + strconv.FormatInt(entry.Date.UnixMilli(), 10) + "-" + hex.EncodeToString(sum[:4]),
		Attempt:     1,
		Commit:      entry.Commit.ID,
		Ref:         ref,
		Suite:       entry.Suite,
		Runner:      runner,
		CreatedAt:   entry.Date,
		Environment: env,
	}
}
