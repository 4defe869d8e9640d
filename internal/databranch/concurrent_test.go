package databranch

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/store"
)

// TestConcurrentWriters runs W writers × P pushes in parallel against one
// bare repository and counts the runs at the end: none lost, none
// duplicated. Default 4 × 3; with BENCHGATE_LONG=1, the 16 × 10.
// It runs against a repository that filters fetches (as GitHub's: appends
// fetch no database) and one that does not.
func TestConcurrentWriters(t *testing.T) {
	t.Run("filtering", func(t *testing.T) { concurrentWriters(t, filteringRemote(t)) })
	t.Run("plain", func(t *testing.T) { concurrentWriters(t, bareRepo(t)) })
}

func concurrentWriters(t *testing.T, remote string) {
	writers, pushes := 4, 3
	if long() {
		writers, pushes = 16, 10
	}
	// A small CompactEvery makes compactions race with appends too.
	b := &Branch{Remote: remote, CompactEvery: 8, MaxAttempts: 200, MaxBackoff: 2 * time.Second}
	dir := t.TempDir()
	start := time.Now()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		attempts int
		errs     []error
	)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range pushes {
				id := fmt.Sprintf("w%02d-p%02d", w, p)
				path := fmt.Sprintf("%s/%s.duckdb", dir, id)
				if err := writeLocalDB(path, id); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
					return
				}
				db, err := store.OpenReadOnly(context.Background(), path)
				if err == nil {
					var res SaveResult
					res, err = b.Save(context.Background(), db)
					db.Close()
					mu.Lock()
					attempts += res.Attempts
					mu.Unlock()
				}
				if err != nil {
					mu.Lock()
					errs = append(errs, fmt.Errorf("%s: %w", id, err))
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		t.Error(err)
	}
	got := fetchRuns(t, b)
	lost, dup := 0, 0
	for w := range writers {
		for p := range pushes {
			switch n := got[fmt.Sprintf("w%02d-p%02d", w, p)]; {
			case n == 0:
				lost++
			case n > 1:
				dup++
			}
		}
	}
	t.Logf("%d writers × %d pushes: %d runs on the branch, %d lost, %d duplicated, %d attempts in all, %s",
		writers, pushes, len(got), lost, dup, attempts, time.Since(start).Round(time.Millisecond))
	if lost != 0 || dup != 0 || len(got) != writers*pushes {
		t.Errorf("got %d runs, %d lost, %d duplicated; want %d, 0, 0", len(got), lost, dup, writers*pushes)
	}
}
