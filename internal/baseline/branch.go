package baseline

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/benchgate/benchgate/internal/comparison"
	"github.com/benchgate/benchgate/internal/databranch"
	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/store"
)

// OpenBranch brings the data branch b's database down to path and opens
// it read-write; when the branch does not exist yet, the database at path
// is new and empty and exists is false. The action and `compare
// --baseline` both start here.
func OpenBranch(ctx context.Context, b *databranch.Branch, path string) (st *store.DB, exists bool, err error) {
	_, err = b.Fetch(ctx, path)
	switch {
	case errors.Is(err, databranch.ErrNoBranch):
	case err != nil:
		return nil, false, fmt.Errorf("fetching the data branch %s: %w", b.Name, err)
	default:
		exists = true
	}
	st, err = store.Open(ctx, path)
	if err != nil {
		return nil, false, err
	}
	return st, exists, nil
}

// Baseline is a chosen baseline run and its results.
type Baseline struct {
	Choice
	Results []results.Result
	// Side is the comparison's base side.
	Side comparison.Side
	// Note is Choice.Describe at the time it was chosen.
	Note string
}

// Load selects the baseline among st's runs (Select) and reads its results.
func Load(ctx context.Context, st *store.DB, o Options) (*Baseline, error) {
	ch, err := Select(ctx, st, o)
	if err != nil {
		return nil, err
	}
	rs, err := st.Results(ctx, ch.Run)
	if err != nil {
		return nil, err
	}
	note := ch.Describe(time.Now())
	return &Baseline{Choice: ch, Results: rs, Note: note,
		Side: comparison.Side{Label: "baseline", RunID: fmt.Sprintf("%s#%d", ch.Run.ID, ch.Run.Attempt), Commit: ch.Run.Commit, Ref: ch.Run.Ref}}, nil
}
