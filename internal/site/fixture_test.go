package site

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

// hostile is a benchmark name that is markup: the site must show it as text.
const hostile = `<img src=x onerror=alert(1)>`

// t0 is the date of the fixture's first commit.
var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func commitID(i int) string {
	sum := sha1.Sum([]byte(strconv.Itoa(i)))
	return hex.EncodeToString(sum[:])
}

// fixtureSeries is one benchmark of the fixture on one hardware: its
// latency in seconds (and so its throughput, batch/latency) and memory.
type fixtureSeries struct {
	name, batch string
	hw          results.Hardware
	latency     float64
	memory      float64
}

var (
	cpu  = results.Hardware{Type: "cpu", DeviceName: "EPYC 9654"}
	h100 = results.Hardware{Type: "cuda", DeviceName: "H100", DriverVersion: "535.104"}
)

// fixture fills a new database with a main-branch history of commits
// commits (one run each, an hour apart) of three models on two hardware
// types at two batch sizes, plus the hostile name: resnet50 at batch 8 on
// the H100 slows down by 10 % from commit 25; the driver changes at commit
// 30; the last run's bert-base on the CPU fails (out of memory); a pull
// request has two runs. It returns the database's path.
func fixture(tb testing.TB, commits int) (string, *store.DB) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "bench.duckdb")
	db, err := store.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	var series []fixtureSeries
	for _, m := range []struct {
		name string
		lat  float64
	}{{"resnet50", 0.004}, {"bert-base", 0.011}, {hostile, 2e-6}} {
		for _, batch := range []string{"1", "8"} {
			for _, hw := range []results.Hardware{cpu, h100} {
				lat := m.lat
				if hw.Type == "cpu" {
					lat *= 9
				}
				if batch == "8" {
					lat *= 5
				}
				mem := 60e6 // bytes
				if batch == "8" {
					mem = 300e6
				}
				series = append(series, fixtureSeries{name: m.name, batch: batch, hw: hw, latency: lat, memory: mem})
			}
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range commits {
		ingestRun(tb, db, rng, series, store.Run{ID: fmt.Sprintf("main-%d", i), Commit: commitID(i), Ref: "refs/heads/main",
			Suite: "models", CreatedAt: t0.Add(time.Duration(i) * time.Hour)}, i, i == commits-1)
	}
	for k := range 2 {
		ingestRun(tb, db, rng, series, store.Run{ID: fmt.Sprintf("pr-%d", k), Commit: commitID(1000 + k), Ref: "refs/pull/7/merge",
			Suite: "models", CreatedAt: t0.Add(time.Duration(commits+k) * time.Hour)}, commits, false)
	}
	return path, db
}

func ingestRun(tb testing.TB, db *store.DB, rng *rand.Rand, series []fixtureSeries, run store.Run, i int, fail bool) {
	tb.Helper()
	var rs []results.Result
	for _, s := range series {
		hw := s.hw
		if hw.Type == "cuda" && i >= 30 {
			hw.DriverVersion = "550.54"
		}
		r := results.Result{Name: s.name, Params: map[string]string{"batch_size": s.batch}, Hardware: hw}
		if fail && s.name == "bert-base" && s.hw.Type == "cpu" && s.batch == "8" {
			r.Failure = &results.Failure{Type: results.ErrorType("oom"), Message: "out of memory: tried to allocate 2.0 GiB",
				Command: "python bench.py --model bert-base --batch 8", ExitCode: 1}
			rs = append(rs, r)
			continue
		}
		lat := s.latency
		if s.name == "resnet50" && s.batch == "8" && s.hw.Type == "cuda" && i >= 25 {
			lat *= 1.10
		}
		l := results.Metric{Name: "latency", Unit: "s", Better: results.SmallerIsBetter}
		t := results.Metric{Name: "throughput", Unit: "items/s", Better: results.BiggerIsBetter}
		for range 10 {
			x := lat * (1 + 0.01*rng.NormFloat64())
			l.Samples = append(l.Samples, x)
			b, _ := strconv.Atoi(s.batch)
			t.Samples = append(t.Samples, float64(b)/x)
		}
		m := results.Metric{Name: "peak_memory", Unit: "B", Better: results.SmallerIsBetter, Exact: true, Samples: []float64{s.memory}}
		r.Metrics = []results.Metric{l, t, m}
		rs = append(rs, r)
	}
	if _, err := db.Ingest(context.Background(), run, rs); err != nil {
		tb.Fatal(err)
	}
}
