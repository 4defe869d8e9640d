package history

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/store"
)

// spec is one synthetic series: benchmark name, metric and direction, the
// first commit it is measured at, a relative step from commit stepAt on
// (and another from back on, when back > 0), samples per commit and noise.
type spec struct {
	name, metric string
	better       results.Direction
	start        int
	stepAt       int
	step         float64
	back         int
	backStep     float64
	samples      int
	noise        float64 // relative σ of each sample
}

// t0 is the date of the synthetic histories' first commit.
var t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// commitID is the synthetic 40-hex id of commit i.
func commitID(i int) string {
	sum := sha1.Sum([]byte(strconv.Itoa(i)))
	return hex.EncodeToString(sum[:])
}

// openTemp opens a new database in a test directory, closed at cleanup.
func openTemp(tb testing.TB) *store.DB {
	tb.Helper()
	return openAt(tb, filepath.Join(tb.TempDir(), "bench.duckdb"))
}

func openAt(tb testing.TB, path string) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// value is the true value of s at commit i.
func (s spec) value(i int) float64 {
	v := 100e-6 // 100 µs or 100 µ-units
	if s.better == results.BiggerIsBetter {
		v = 5000
	}
	if s.stepAt > 0 && i >= s.stepAt {
		v *= 1 + s.step
	}
	if s.back > 0 && i >= s.back {
		v *= 1 + s.backStep
	}
	return v
}

// build ingests commits runs on ref (one per commit, an hour apart) holding
// the series of specs measured at that commit.
func build(tb testing.TB, db *store.DB, ref string, commits int, specs []spec) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range commits {
		var rs []results.Result
		for _, s := range specs {
			if i < s.start {
				continue
			}
			r := results.Result{Name: s.name, Hardware: results.Hardware{Type: "cpu", DeviceName: "EPYC", DriverVersion: "d1"}}
			m := results.Metric{Name: s.metric, Unit: "s", Better: s.better}
			if s.better == results.BiggerIsBetter {
				m.Unit = "items/s"
			}
			for range max(s.samples, 1) {
				m.Samples = append(m.Samples, s.value(i)*(1+s.noise*rng.NormFloat64()))
			}
			r.Metrics = []results.Metric{m}
			rs = append(rs, r)
		}
		if len(rs) == 0 {
			continue
		}
		ingest(tb, db, store.Run{ID: fmt.Sprintf("run-%s-%d", ref, i), Commit: commitID(i), Ref: ref, Suite: "s", Runner: "r1",
			CreatedAt: t0.Add(time.Duration(i) * time.Hour), Environment: map[string]string{"go": "go1.26"}}, rs)
	}
}

func ingest(tb testing.TB, db *store.DB, run store.Run, rs []results.Result) {
	tb.Helper()
	if _, err := db.Ingest(context.Background(), run, rs); err != nil {
		tb.Fatal(err)
	}
}

// analyze runs Analyze with o and fails the test on error.
func analyze(tb testing.TB, db *store.DB, o Options) *Analysis {
	tb.Helper()
	a, err := Analyze(context.Background(), db, o)
	if err != nil {
		tb.Fatal(err)
	}
	return a
}
