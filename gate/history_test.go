package gate

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/aclements/go-moremath/stats"
)

// logNormal returns n values 100·exp(cv·z) from a seeded generator.
func logNormal(seed uint64, n int, cv, factor float64) []float64 {
	r := rand.New(rand.NewPCG(seed, 99))
	out := make([]float64, n)
	for i := range out {
		out[i] = 100 * factor * math.Exp(cv*r.NormFloat64())
	}
	return out
}

func TestComparePaired(t *testing.T) {
	// Rounds share a drift of ±10 % that swamps a 3 % change for the
	// unpaired test; the per-round ratios see it clearly.
	drift := []float64{1.00, 1.10, 0.92, 1.05, 0.95, 1.08, 0.90, 1.03, 0.97, 1.06}
	base, head := make([]float64, 10), make([]float64, 10)
	noise := logNormal(1, 20, 0.002, 1)
	for i := range drift {
		base[i] = 100 * drift[i] * noise[i]
		head[i] = 103 * drift[i] * noise[10+i]
	}
	p := ComparePaired(base, head, SmallerIsBetter, false, DefaultPolicy)
	u := Compare(base, head, SmallerIsBetter, false, DefaultPolicy)
	if !p.Paired || !p.Severity.IsRegression() {
		t.Errorf("paired: Paired %v Severity %v (%s); want a regression", p.Paired, p.Severity, p.Reason)
	}
	if u.Severity.IsRegression() {
		t.Errorf("unpaired: Severity %v; want no regression under ±10%% round drift", u.Severity)
	}
	if math.Abs(p.Shift-0.03) > 0.005 || !(p.Low < 0.03 && 0.03 < p.High) {
		t.Errorf("paired Shift %v [%v, %v]; want about +3%% inside the interval", p.Shift, p.Low, p.High)
	}
	t.Run("unequal rounds fall back", func(t *testing.T) {
		c := ComparePaired(base, head[:9], SmallerIsBetter, false, DefaultPolicy)
		if c.Paired || !hasWarning(c, "paired analysis needs as many") {
			t.Errorf("Paired %v Warnings %q; want unpaired with a warning", c.Paired, c.Warnings)
		}
	})
	t.Run("signed-rank exact p", func(t *testing.T) {
		// All 8 differences positive: P(T+ ≥ 36) = 1/256.
		above, below := signedRank([]float64{1, 2, 3, 4, 5, 6, 7, 8})
		if above != 1.0/256 || below != 1 {
			t.Errorf("signedRank = %v, %v; want 1/256, 1", above, below)
		}
	})
}

func TestCompareHistory(t *testing.T) {
	history := logNormal(2, 40, 0.01, 1)
	tests := []struct {
		name   string
		head   []float64
		better Direction
		want   Severity
	}{
		{"same", logNormal(3, 5, 0.01, 1), SmallerIsBetter, SeverityNone},
		{"+4% minor", logNormal(3, 5, 0.002, 1.04), SmallerIsBetter, SeverityMinor},
		{"+8% major", logNormal(3, 5, 0.002, 1.08), SmallerIsBetter, SeverityMajor},
		{"+30% critical", logNormal(3, 5, 0.002, 1.30), SmallerIsBetter, SeverityCritical},
		{"-8% improvement", logNormal(3, 5, 0.002, 0.92), SmallerIsBetter, SeverityImprovement},
		{"throughput -8% major", logNormal(3, 5, 0.002, 0.92), BiggerIsBetter, SeverityMajor},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := CompareHistory(history, tt.head, tt.better, DefaultPolicy)
			if c.Severity != tt.want {
				t.Errorf("Severity = %v (%s, P=%.3g, E=%+.3f); want %v", c.Severity, c.Reason, c.P, c.Estimate(), tt.want)
			}
		})
	}
	if c := CompareHistory(history[:5], []float64{200}, SmallerIsBetter, DefaultPolicy); c.Severity != SeverityInconclusive {
		t.Errorf("5 history points: Severity %v; want inconclusive", c.Severity)
	}
	if c := CompareHistory(history, []float64{math.NaN()}, SmallerIsBetter, DefaultPolicy); c.Severity != SeverityInconclusive || len(c.Warnings) == 0 {
		t.Errorf("NaN head: Severity %v Warnings %q; want inconclusive with a warning", c.Severity, c.Warnings)
	}
}

func TestNoiseOf(t *testing.T) {
	n := NoiseOf(logNormal(4, 64, 0.02, 1))
	if n.N != 64 || math.Abs(n.CV-0.02) > 0.006 {
		t.Errorf("N, CV = %d, %.4f; want 64, about 0.02", n.N, n.CV)
	}
	// Consecutive differences of N(0, 2 %) have |Δ| with Q3 ≈ 1.9 %:
	// the floor lands well above the noise of one step.
	if !(n.Floor > 0.03 && n.Floor < 0.15) {
		t.Errorf("Floor = %.4f; want between 3%% and 15%%", n.Floor)
	}
	if n.Bimodal {
		t.Errorf("log-normal history reported bimodal (coefficient %.3f)", n.Bimodality)
	}
	two := logNormal(5, 64, 0.005, 1)
	for i := range two {
		if i%2 == 0 {
			two[i] *= 1.3
		}
	}
	if b := NoiseOf(two); !b.Bimodal {
		t.Errorf("two-mode history: Bimodal false (coefficient %.3f); want true", b.Bimodality)
	}
	if got := n.SamplesFor(0.03, DefaultPolicy); got < 10 || got > 20 {
		t.Errorf("SamplesFor(3%% at CV 2%%) = %d; want about 14", got)
	}
	if bad := NoiseOf([]float64{1, -1}); len(bad.Warnings) != 2 || !math.IsNaN(bad.CV) {
		t.Errorf("bad history: Warnings %q CV %v; want 2 warnings and NaN", bad.Warnings, bad.CV)
	}
}

func TestChangePoints(t *testing.T) {
	x := logNormal(6, 200, 0.01, 1)
	for i := 120; i < 200; i++ {
		x[i] *= 1.05
	}
	ch := ChangePoints(x, ChangePointOptions{})
	if len(ch.Points) != 1 {
		t.Fatalf("Points = %+v; want one change", ch.Points)
	}
	cp := ch.Points[0]
	if cp.Index < 118 || cp.Index > 122 || math.Abs(cp.Magnitude-0.05) > 0.01 || !cp.Confirmed || cp.P >= 0.001 {
		t.Errorf("change = %+v; want index ≈ 120, magnitude ≈ +5%%, confirmed, p < 0.001", cp)
	}
	if seg := Segment(x, ch.Points); len(seg) != 200-cp.Index {
		t.Errorf("Segment has %d points; want %d", len(seg), 200-cp.Index)
	}
	t.Run("provisional", func(t *testing.T) {
		ch := ChangePoints(x[:123], ChangePointOptions{})
		if len(ch.Points) != 1 || ch.Points[0].Confirmed {
			t.Errorf("3 points after: %+v; want one provisional change", ch.Points)
		}
	})
	t.Run("no change", func(t *testing.T) {
		if ch := ChangePoints(logNormal(7, 300, 0.01, 1), ChangePointOptions{}); len(ch.Points) != 0 {
			t.Errorf("A/A history: %+v; want no change", ch.Points)
		}
	})
	t.Run("spike is not a change", func(t *testing.T) {
		y := logNormal(8, 150, 0.01, 1)
		y[70] *= 1.5
		if ch := ChangePoints(y, ChangePointOptions{}); len(ch.Points) != 0 {
			t.Errorf("spike: %+v; want no change", ch.Points)
		}
	})
	t.Run("failed runs neither change nor hide", func(t *testing.T) {
		// Two consecutive failed runs recorded as values (−97 %) beside a
		// real 6 % shift: the shift is found, the failed runs are outliers.
		y := logNormal(9, 200, 0.01, 1)
		for i := 100; i < 200; i++ {
			y[i] *= 1.06
		}
		y[98], y[99] = y[98]*0.03, y[99]*0.03
		ch := ChangePoints(y, ChangePointOptions{})
		if len(ch.Points) != 1 || ch.Points[0].Index != 100 || ch.Points[0].Previous != 97 {
			t.Errorf("points = %+v; want one change at 100 after 97", ch.Points)
		}
		if !slices.Equal(ch.Outliers, []int{98, 99}) {
			t.Errorf("outliers = %v; want [98 99]", ch.Outliers)
		}
	})
	t.Run("outliers one commit apart", func(t *testing.T) {
		// gurl's B/op history (MiB): four allocation spikes, two of them
		// one commit apart; none is a change.
		v := []float64{4.937, 4.978, 4.869, 4.943, 7.302, 6.846, 4.740, 4.709, 4.856, 4.798, 4.801, 4.980, 4.711, 4.862, 4.838,
			4.747, 4.889, 4.755, 4.929, 7.588, 4.933, 7.021, 4.998, 4.942, 4.823, 4.894, 4.813, 4.776, 4.963}
		ch := ChangePoints(v, ChangePointOptions{})
		if !slices.Equal(ch.Outliers, []int{4, 5, 19, 21}) || len(ch.Points) != 0 {
			t.Errorf("outliers %v, points %+v; want [4 5 19 21] and none", ch.Outliers, ch.Points)
		}
	})
	t.Run("short plateau", func(t *testing.T) {
		// Three commits at +80 %, then back: both edges.
		y := logNormal(10, 150, 0.02, 1)
		for i := 80; i < 83; i++ {
			y[i] *= 1.8
		}
		ch := ChangePoints(y, ChangePointOptions{})
		if len(ch.Points) != 2 || ch.Points[0].Index != 80 || ch.Points[1].Index != 83 {
			t.Errorf("points = %+v; want changes at 80 and 83", ch.Points)
		}
	})
	t.Run("bad values", func(t *testing.T) {
		if ch := ChangePoints([]float64{1, 2, 0, 3, 4, 5, 6}, ChangePointOptions{}); len(ch.Warnings) != 1 || ch.Points != nil {
			t.Errorf("zero on the log scale: %+v; want a warning and no points", ch)
		}
	})
	t.Run("grouping by commit", func(t *testing.T) {
		positions := func(start, n int) []int {
			p := make([]int, n)
			for i := range p {
				p[i] = start + i
			}
			return p
		}
		// a covers commits 0–399; b starts late, at commit 100; c measures
		// every other commit. a and b changed at commit 220 (index 220 of a,
		// 120 of b), c between commits 218 and 222; a again at 300, b at 301.
		g := GroupChangePoints([]SeriesChanges{
			{Key: "b", Positions: positions(100, 300), Points: []ChangePoint{{Index: 120, Previous: 119, Confirmed: true}, {Index: 201, Previous: 200}}},
			{Key: "a", Positions: positions(0, 400), Points: []ChangePoint{{Index: 220, Previous: 219, Confirmed: true}, {Index: 300, Previous: 299}}},
			{Key: "c", Positions: []int{216, 218, 222, 224}, Points: []ChangePoint{{Index: 2, Previous: 1}}},
		})
		if len(g) != 3 {
			t.Fatalf("groups = %+v; want 3", g)
		}
		if g[0].From != 219 || g[0].To != 220 || !slices.Equal(g[0].Keys, []string{"a", "b", "c"}) || g[0].Confirmed {
			t.Errorf("group 0 = %+v; want commits (219, 220]: a, b, c, provisional", g[0])
		}
		if g[1].To != 300 || !slices.Equal(g[1].Keys, []string{"a"}) || g[2].To != 301 || !slices.Equal(g[2].Keys, []string{"b"}) {
			t.Errorf("groups 1, 2 = %+v, %+v; want a at 300 and b at 301 apart", g[1], g[2])
		}
	})
}

// BenchmarkChangePoints analyses one year of daily main-branch points with
// two real changes (the per-series cost of `benchgate changes`).
func BenchmarkChangePoints(b *testing.B) {
	x := logNormal(11, 365, 0.02, 1)
	for i := 120; i < 365; i++ {
		x[i] *= 1.05
	}
	for i := 250; i < 365; i++ {
		x[i] *= 0.9
	}
	b.ResetTimer()
	for b.Loop() {
		ChangePoints(x, ChangePointOptions{})
	}
}

func TestTQuantile(t *testing.T) {
	var s series
	for df := 1.0; df <= 200; df++ {
		want := stats.InvCDF(stats.TDist{V: df})(0.975)
		if got := s.tQuantile(df); math.Abs(got-want) > 0.01 {
			t.Errorf("tQuantile(%v) = %v; want %v", df, got, want)
		}
	}
}
