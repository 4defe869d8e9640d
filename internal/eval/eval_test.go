package eval

import (
	"bytes"
	"math"
	"strings"
	"sync"
	"testing"
)

// short is the short-mode run shared by the tests: one run, seconds. Under
// the race detector, which slows the statistics tenfold, it runs a fifth of
// the trials and the bounds widen accordingly.
var short = sync.OnceValue(func() Results {
	cfg := Short(1)
	if raceEnabled {
		cfg.Trials, cfg.PRTrials, cfg.CPDTrials = 60, 10, 5
	}
	return Run(cfg)
})

// slack widens a short-mode bound under the race detector's smaller run.
func slack(normal, race float64) float64 {
	if raceEnabled {
		return race
	}
	return normal
}

func TestShortModeTargets(t *testing.T) {
	res := short()
	var md bytes.Buffer
	if err := res.Markdown(&md, "go test ./internal/eval"); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + md.String())
	// The short mode has 300 trials per cell: the bounds below are the
	// targets plus a margin that a correct gate stays inside (the Wilson
	// half-width at 1 % and n = 300 is about 1.2 %).
	for _, tg := range res.Targets() {
		var ok bool
		switch tg.Name {
		case "A/A false alarm per benchmark, any regression":
			ok = tg.Measured <= slack(0.03, 0.07)
		case "A/A false alarm per benchmark, blocking (≥ major)":
			ok = tg.Measured <= slack(0.01, 0.04)
		case "power at +5%, CV ≤ 2%, n=10":
			ok = tg.Measured >= slack(0.9, 0.85)
		case "power at +2%, CV ≤ 1%, n=10", "power at +10%, CV ≤ 5%, n=10":
			ok = tg.Measured >= slack(0.7, 0.6)
		case "+20% classified ≥ major, CV ≤ 5%":
			ok = tg.Measured >= slack(0.9, 0.85)
		case "per-PR blocking false alarm, m=50":
			ok = tg.Measured <= slack(0.1, 0.3)
		case "change points: recall of 5% steps, one sample per commit, CV ≤ 2%",
			"change points: recall of 5% steps, 10 samples per commit, CV 2%",
			"change points: recall of 10% steps, one sample per commit, CV 2%",
			"change points: recall of 5% steps beside failed-run pairs, CV ≤ 2%",
			"change points: recall of 3-commit plateaus at +8σ":
			ok = tg.Measured >= slack(0.8, 0.6)
		case "change points: false alerts per 1,000 commits (A/A, i.i.d. CV ≤ 5% and AR(1) ρ=0.3)",
			"change points: false alerts per 1,000 commits with failed runs (i.i.d. and AR(1))":
			ok = tg.Measured <= slack(3, 8)
		case "confirmed changes that flip on re-analysis":
			ok = tg.Measured <= slack(0.03, 0.1)
		case "grouping by commit: changes 20 commits apart are two groups":
			ok = tg.Measured >= slack(0.97, 0.8)
		default:
			continue
		}
		if !ok {
			t.Errorf("%s = %s (at %s); want %s within the short mode's margin", tg.Name, tg.Got, tg.Worst, tg.Want)
		}
	}
	// The targets above are asserted on their worst cell; every cell of
	// the named targets also has a result (no target holds vacuously).
	for _, tg := range res.Targets() {
		if math.IsNaN(tg.Measured) {
			t.Errorf("target %q measured nothing", tg.Name)
		}
	}
	if len(res.Flip) == 0 || len(res.Group) == 0 {
		t.Errorf("no re-analysis or grouping cells: %d, %d", len(res.Flip), len(res.Group))
	}
}

func TestBaselinesBehaveAsPublished(t *testing.T) {
	res := short()
	for _, tt := range []struct {
		model    string
		delta    float64
		method   Method
		min, max float64
	}{
		// The 200 % ratio rule catches nothing up to +50 %.
		{"log-normal CV 2%", 0.50, Ratio200, 0, 0},
		// benchstat at α = 0.05 flags about 2.5 % of A/A pairs as slower.
		{"log-normal CV 2%", 0, Benchstat05, 0.005, 0.06},
		// Separate jobs with a job offset defeat every within-job test.
		{"separate jobs, job offset 1×CV (CV 2%)", 0, Benchstat05, 0.15, 1},
	} {
		c, ok := res.Cell(tt.model, 10, tt.delta)
		if !ok {
			t.Fatalf("no cell %s δ=%v", tt.model, tt.delta)
		}
		if got := c.Flag[tt.method].P(); got < tt.min || got > tt.max {
			t.Errorf("%s at %s δ=%v flags %v; want in [%v, %v]", tt.method, tt.model, tt.delta, got, tt.min, tt.max)
		}
	}
}

func TestReproducibleFromSeed(t *testing.T) {
	cfg := Config{Mode: "tiny", Seed: 7, Trials: 4, PRTrials: 1, CPDTrials: 1}
	render := func(workers int) string {
		cfg.Workers = workers
		res := Run(cfg)
		var b bytes.Buffer
		if err := res.Markdown(&b, "test"); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	a, b := render(1), render(3)
	if a != b {
		t.Errorf("same seed, 1 vs 3 workers: reports differ")
	}
	cfg.Seed = 8
	if c := render(2); c == a {
		t.Errorf("seeds 7 and 8 gave identical reports; want different draws")
	}
	if !strings.Contains(a, "seed 7") {
		t.Errorf("report does not record its seed")
	}
}

func TestWilson(t *testing.T) {
	tests := []struct {
		r      Rate
		lo, hi float64
	}{
		{Rate{K: 0, N: 100}, 0, 0.0370},
		{Rate{K: 10, N: 100}, 0.0552, 0.1744},
		{Rate{K: 50, N: 100}, 0.4038, 0.5962},
	}
	for _, tt := range tests {
		lo, hi := tt.r.Wilson()
		if math.Abs(lo-tt.lo) > 5e-4 || math.Abs(hi-tt.hi) > 5e-4 {
			t.Errorf("Wilson(%d/%d) = [%.4f, %.4f]; want [%.4f, %.4f]", tt.r.K, tt.r.N, lo, hi, tt.lo, tt.hi)
		}
	}
}
