package history

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/store"
)

const mainRef = "refs/heads/main"

// oneChange checks that a has one group with the given members, all at
// commit stepAt, and returns it.
func oneChange(t *testing.T, a *Analysis, stepAt, members int) Group {
	t.Helper()
	if len(a.Groups) != 1 {
		for _, g := range a.Groups {
			t.Logf("group %s..%s: %d members", g.PreviousCommit[:8], g.Commit[:8], len(g.Members))
		}
		t.Fatalf("%d groups; want 1", len(a.Groups))
	}
	g := a.Groups[0]
	if g.Commit != commitID(stepAt) || g.PreviousCommit != commitID(stepAt-1) || len(g.Between) != 0 {
		t.Errorf("group %s..%s (between %d); want %s..%s", g.PreviousCommit, g.Commit, len(g.Between), commitID(stepAt-1), commitID(stepAt))
	}
	if len(g.Members) != members {
		t.Fatalf("group has %d members; want %d", len(g.Members), members)
	}
	return g
}

func TestStepOneSamplePerCommit(t *testing.T) {
	db := openTemp(t)
	build(t, db, mainRef, 40, []spec{{name: "BenchmarkA", metric: "sec/op", better: results.SmallerIsBetter, stepAt: 25, step: 0.10, noise: 0.01}})
	a := analyze(t, db, Options{})
	if a.Ref != mainRef || !a.Defaulted || len(a.Commits) != 40 {
		t.Errorf("ref %q defaulted %v, %d commits; want %s, true, 40", a.Ref, a.Defaulted, len(a.Commits), mainRef)
	}
	g := oneChange(t, a, 25, 1)
	c := g.Members[0].Change
	if c.Direction != Regression || c.Status != Confirmed || math.Abs(c.Magnitude-0.10) > 0.02 {
		t.Errorf("change %+.3f %s %s; want ≈ +0.10 regression confirmed", c.Magnitude, c.Direction, c.Status)
	}
	if c.Severity != "major" {
		t.Errorf("severity %s (interval %+.3f..%+.3f); want major", c.Severity, c.Low, c.High)
	}
	if len(c.Env) != 0 || c.ResolvedAt != nil {
		t.Errorf("env %v, resolved %v; want none", c.Env, c.ResolvedAt)
	}
}

func TestStepTenSamplesPerCommit(t *testing.T) {
	db := openTemp(t)
	build(t, db, mainRef, 40, []spec{
		{name: "BenchmarkA", metric: "sec/op", better: results.SmallerIsBetter, stepAt: 25, step: 0.10, samples: 10, noise: 0.03},
		{name: "BenchmarkT", metric: "throughput", better: results.BiggerIsBetter, stepAt: 25, step: 0.25, samples: 10, noise: 0.03},
	})
	a := analyze(t, db, Options{})
	g := oneChange(t, a, 25, 2)
	for _, m := range g.Members {
		if m.Series.Points[0].Runs != 1 || m.Series.Points[0].N != 10 {
			t.Errorf("%s point 0: %d runs, %d samples; want 1, 10", m.Series.Name(), m.Series.Points[0].Runs, m.Series.Points[0].N)
		}
	}
	// A throughput that rises is an improvement.
	if c := g.Members[1].Change; g.Members[1].Series.Key.Metric != "throughput" || c.Direction != Improvement || c.Severity != Improvement {
		t.Errorf("throughput change %+.3f %s %s; want an improvement", c.Magnitude, c.Direction, c.Severity)
	}
	p := a.Series[0].Points[0]
	if !(p.Low < p.Median && p.Median < p.High) {
		t.Errorf("point 0 interval %v < %v < %v; want a proper interval from 10 samples", p.Low, p.Median, p.High)
	}
}

func TestLateSeriesOneGroup(t *testing.T) {
	db := openTemp(t)
	build(t, db, mainRef, 40, []spec{
		{name: "BenchmarkA", metric: "sec/op", better: results.SmallerIsBetter, stepAt: 25, step: 0.10, noise: 0.01},
		{name: "BenchmarkLate", metric: "sec/op", better: results.SmallerIsBetter, start: 12, stepAt: 25, step: 0.30, noise: 0.01},
	})
	a := analyze(t, db, Options{})
	g := oneChange(t, a, 25, 2)
	late := g.Members[1]
	if late.Series.Key.Benchmark != "BenchmarkLate" || late.Change.Index != 13 || late.Series.Points[late.Change.Index].Position != 25 {
		t.Errorf("late member %s index %d; want BenchmarkLate at its point 13, position 25", late.Series.Key.Benchmark, late.Change.Index)
	}
	if late.Change.Severity != "critical" {
		t.Errorf("30%% step severity %s; want critical", late.Change.Severity)
	}
}

func TestSkippedCommitsAndRuns(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	sp := spec{name: "BenchmarkA", metric: "sec/op", better: results.SmallerIsBetter, stepAt: 25, step: 0.10, noise: 0.01}
	build(t, db, mainRef, 40, []spec{sp})
	// A second run of commit 30, a PR run far off, a run on another branch.
	r := results.Result{Name: "BenchmarkA", Hardware: results.Hardware{Type: "cpu", DeviceName: "EPYC", DriverVersion: "d1"},
		Metrics: []results.Metric{{Name: "sec/op", Unit: "s", Better: results.SmallerIsBetter, Samples: []float64{sp.value(30)}}}}
	ingest(t, db, store.Run{ID: "again", Commit: commitID(30), Ref: mainRef, Suite: "s", Runner: "r1", CreatedAt: t0.Add(100 * time.Hour)}, []results.Result{r})
	r.Metrics[0].Samples = []float64{1}
	ingest(t, db, store.Run{ID: "pr", Commit: "feed", Ref: "refs/pull/3/merge", Suite: "s", Runner: "r1", CreatedAt: t0.Add(time.Hour / 2)}, []results.Result{r})
	ingest(t, db, store.Run{ID: "dev", Commit: "deed", Ref: "refs/heads/dev", Suite: "s", Runner: "r1", CreatedAt: t0.Add(time.Hour / 3)}, []results.Result{r})
	a := analyze(t, db, Options{})
	s := a.Series[0]
	if len(a.Commits) != 40 || len(s.Points) != 40 {
		t.Fatalf("%d commits, %d points; want 40, 40 (two runs of a commit are one point, PR and dev ignored)", len(a.Commits), len(s.Points))
	}
	if p := s.Points[30]; p.Runs != 2 || p.N != 2 || p.Commit != commitID(30) {
		t.Errorf("point 30: %d runs, %d samples; want 2, 2", p.Runs, p.N)
	}
	oneChange(t, a, 25, 1)
	// The other branch, asked for by name.
	if _, err := Analyze(ctx, db, Options{Branch: "dev"}); err != nil {
		t.Errorf("Analyze(dev): %v", err)
	}
	_, err := Analyze(ctx, db, Options{Branch: "nope"})
	if !errors.Is(err, ErrNoData) || !strings.Contains(err.Error(), `"nope"`) || !strings.Contains(err.Error(), "refs/heads/main (41 runs)") {
		t.Errorf("Analyze(nope) = %v; want no runs on nope, listing refs", err)
	}
	_, err = Analyze(ctx, db, Options{Metric: "ns/op"})
	if !errors.Is(err, ErrNoData) || !strings.Contains(err.Error(), `unknown metric "ns/op"; stored metrics: sec/op`) {
		t.Errorf("Analyze(ns/op) = %v; want the stored metrics listed", err)
	}
	_, err = Analyze(ctx, db, Options{Benchmark: "Zzz"})
	if !errors.Is(err, ErrNoData) || !strings.Contains(err.Error(), `no series match benchmark "Zzz" on refs/heads/main`) {
		t.Errorf("Analyze(Zzz) = %v; want no series match", err)
	}
}

func TestResolvedAndEnvironment(t *testing.T) {
	db := openTemp(t)
	sp := spec{name: "BenchmarkA", metric: "sec/op", better: results.SmallerIsBetter, stepAt: 15, step: 0.20, back: 30, backStep: -0.15, noise: 0.01}
	rng := 0.0
	for i := range 45 {
		env := map[string]string{"cuda": "12.4", "commit_url": "u" + commitID(i)}
		if i >= 30 {
			env["cuda"] = "12.6"
		}
		v := sp.value(i) * (1 + 0.01*math.Sin(float64(i)*1.7+rng))
		ingest(t, db, store.Run{ID: commitID(i), Commit: commitID(i), Ref: mainRef, Suite: "s", Runner: "r1", CreatedAt: t0.Add(time.Duration(i) * time.Hour), Environment: env},
			[]results.Result{{Name: "BenchmarkA", Hardware: results.Hardware{Type: "cpu"},
				Metrics: []results.Metric{{Name: "sec/op", Unit: "s", Better: results.SmallerIsBetter, Samples: []float64{v}}}}})
	}
	a := analyze(t, db, Options{})
	cs := a.Series[0].Changes
	if len(cs) != 2 || cs[0].Commit != commitID(15) || cs[1].Commit != commitID(30) {
		t.Fatalf("changes %v; want at commits 15 and 30", cs)
	}
	if cs[0].ResolvedAt == nil || !cs[0].ResolvedAt.Equal(t0.Add(30*time.Hour)) || cs[0].ResolutionCommit != commitID(30) {
		t.Errorf("regression resolved %v at %s; want at commit 30", cs[0].ResolvedAt, cs[0].ResolutionCommit)
	}
	if cs[1].ResolvedAt != nil || cs[1].Direction != Improvement {
		t.Errorf("improvement %s resolved %v; want unresolved improvement", cs[1].Direction, cs[1].ResolvedAt)
	}
	if got := cs[1].EnvText(); got != "cuda 12.4 → 12.6" || cs[0].EnvText() != "" {
		t.Errorf("environment changes %q, %q; want none, then cuda 12.4 → 12.6", cs[0].EnvText(), got)
	}
}

func TestMedianInterval(t *testing.T) {
	for _, tt := range []struct {
		samples        []float64
		med, low, high float64
	}{
		{[]float64{3}, 3, 3, 3},
		{[]float64{5, 1, 3, 2, 4}, 3, 1, 5},                                     // < 6 samples: min–max
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 5.5, 2, 9},                   // cut 1 each end (P(X≤1) = 1.1 %)
		{slices.Repeat([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 2), 5.5, 3, 8}, // n = 20: cut 5
	} {
		med, lo, hi := medianInterval(tt.samples)
		if med != tt.med || lo != tt.low || hi != tt.high {
			t.Errorf("medianInterval(%v) = %v [%v, %v]; want %v [%v, %v]", tt.samples, med, lo, hi, tt.med, tt.low, tt.high)
		}
	}
}
