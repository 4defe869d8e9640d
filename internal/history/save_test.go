package history

import (
	"context"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/store"
)

func TestIdempotentSave(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	build(t, db, mainRef, 40, []spec{
		{name: "BenchmarkA", metric: "sec/op", better: results.SmallerIsBetter, stepAt: 25, step: 0.10, noise: 0.01},
		{name: "BenchmarkB", metric: "sec/op", better: results.SmallerIsBetter, noise: 0.01},
	})
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	first, err := Save(ctx, db, analyze(t, db, Options{}), now)
	if err != nil {
		t.Fatal(err)
	}
	if first.Inserted != 81 || first.Updated != 0 || first.Deleted != 0 {
		t.Errorf("first save %+v; want 81 new (80 points, 1 detection)", first)
	}
	second, err := Save(ctx, db, analyze(t, db, Options{}), now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if second != (store.SaveStats{Unchanged: 81}) {
		t.Errorf("second save %+v (%s); want all 81 unchanged", second, SaveText(second))
	}
	ds, err := db.Detections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].Commit != commitID(25) || ds[0].Direction != Regression || !ds[0].DetectedAt.Equal(now) {
		t.Errorf("stored detections %+v; want one regression at commit 25 detected at the first save", ds)
	}
}

// TestAcceptedKept: a regression a maintainer accepted stays accepted, with
// its notes, through later saves of the same and of a longer history.
func TestAcceptedKept(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	specs := []spec{{name: "BenchmarkA", metric: "sec/op", better: results.SmallerIsBetter, stepAt: 25, step: 0.10, noise: 0.01}}
	build(t, db, mainRef, 40, specs)
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	if _, err := Save(ctx, db, analyze(t, db, Options{}), now); err != nil {
		t.Fatal(err)
	}
	n, err := db.Accept(ctx, commitID(25), "accepted in #3", now)
	if err != nil || n != 1 {
		t.Fatalf("Accept: %d rows, %v; want 1", n, err)
	}
	again, err := Save(ctx, db, analyze(t, db, Options{}), now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if again.Updated != 0 || again.Deleted != 0 {
		t.Errorf("saving the same analysis after the accept: %s; want nothing changed", SaveText(again))
	}
	build(t, db, mainRef, 50, specs) // ten more commits at the new level
	if _, err := Save(ctx, db, analyze(t, db, Options{}), now.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	ds, err := db.Detections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].Status != store.StatusAccepted || ds[0].Notes != "accepted in #3" {
		t.Errorf("stored detections %+v; want the one regression accepted, with its notes", ds)
	}
}
