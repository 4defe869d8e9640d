package history

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/store"
)

// Detections returns every change point of a as the store keeps it
// (performance_regressions), DetectedAt now.
func (a *Analysis) Detections(now time.Time) []store.Detection {
	var out []store.Detection
	for _, s := range a.Series {
		for _, c := range s.Changes {
			out = append(out, store.Detection{Key: s.Key, Unit: s.Unit,
				Commit: c.Commit, PreviousCommit: c.PreviousCommit,
				Change: c.Magnitude, Low: c.Low, High: c.High, Before: c.Before, After: c.After, P: c.P,
				Direction: c.Direction, Severity: c.Severity, Status: c.Status, EnvironmentChange: c.EnvText(),
				DetectedAt: now, ResolvedAt: c.ResolvedAt, ResolutionCommit: c.ResolutionCommit})
		}
	}
	return out
}

// HistoryRows returns every point of a as the store keeps it
// (performance_history): the median with its interval, and at the first
// commit after a change, the change.
func (a *Analysis) HistoryRows() []store.HistoryRow {
	var out []store.HistoryRow
	for _, s := range a.Series {
		at := map[int]*Change{}
		for _, c := range s.Changes {
			at[c.Index] = c
		}
		for i, p := range s.Points {
			r := store.HistoryRow{Key: s.Key, Unit: s.Unit, Commit: p.Commit, RunDate: p.Date, N: p.N,
				Value: p.Median, Low: p.Low, High: p.High}
			if c := at[i]; c != nil {
				r.Change = c.Magnitude
				if c.Direction == Regression {
					r.Regression, r.Severity = true, c.Severity
				}
			}
			out = append(out, r)
		}
	}
	return out
}

// Save writes a's detections and history rows to st, replacing those of the
// series analysed: saving the same analysis again changes nothing.
func Save(ctx context.Context, st *store.DB, a *Analysis, now time.Time) (store.SaveStats, error) {
	keys := make([]results.SeriesKey, 0, len(a.Series))
	for _, s := range a.Series {
		keys = append(keys, s.Key)
	}
	ds := a.Detections(now)
	if err := keepAccepted(ctx, st, ds); err != nil {
		return store.SaveStats{}, fmt.Errorf("saving the history of %s: %w", RefName(a.Ref), err)
	}
	stats, err := st.SaveAnalysis(ctx, keys, ds, a.HistoryRows(), now)
	if err != nil {
		return stats, fmt.Errorf("saving the history of %s: %w", RefName(a.Ref), err)
	}
	return stats, nil
}

// keepAccepted gives the detections a maintainer accepted (stored with
// store.StatusAccepted) that status and their notes again, so that saving
// the analysis keeps them accepted.
func keepAccepted(ctx context.Context, st *store.DB, ds []store.Detection) error {
	stored, err := st.Detections(ctx)
	if err != nil {
		return err
	}
	type key struct {
		k      results.SeriesKey
		commit string
	}
	accepted := map[key]string{}
	for _, d := range stored {
		if d.Status == store.StatusAccepted {
			accepted[key{d.Key, d.Commit}] = d.Notes
		}
	}
	for i := range ds {
		if notes, ok := accepted[key{ds[i].Key, ds[i].Commit}]; ok && ds[i].Direction == Regression {
			ds[i].Status, ds[i].Notes = store.StatusAccepted, notes
		}
	}
	return nil
}

// SaveText says what a save changed, e.g. "saved: 3 new, 0 updated, 0
// deleted, 120 unchanged".
func SaveText(s store.SaveStats) string {
	return fmt.Sprintf("saved: %d new, %d updated, %d deleted, %d unchanged", s.Inserted, s.Updated, s.Deleted, s.Unchanged)
}

// AnalyzeFile opens the database at path, analyses its history and, unless
// dryRun, saves the detections (Save). With dryRun, or when path does not
// exist, the database is opened read-only: it is never created, and a
// missing one is an error.
func AnalyzeFile(ctx context.Context, path string, o Options, dryRun bool, now time.Time) (*Analysis, store.SaveStats, error) {
	open := store.Open
	if _, err := os.Stat(path); dryRun || err != nil {
		open = store.OpenReadOnly
	}
	st, err := open(ctx, path)
	if err != nil {
		return nil, store.SaveStats{}, err
	}
	defer st.Close()
	a, err := Analyze(ctx, st, o)
	if err != nil || dryRun {
		return a, store.SaveStats{}, err
	}
	stats, err := Save(ctx, st, a, now)
	return a, stats, err
}
