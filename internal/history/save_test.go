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
