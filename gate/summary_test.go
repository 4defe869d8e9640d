package gate

import (
	"math"
	"slices"
	"testing"
)

func TestCompareAll(t *testing.T) {
	regressed := Series{Key: "b/latency", Base: noisy, Head: scaled(noisy, 1.2), Better: SmallerIsBetter}
	improved := Series{Key: "a/throughput", Base: noisy, Head: scaled(noisy, 1.2), Better: BiggerIsBetter}
	unchanged := Series{Key: "c/latency", Base: noisy, Head: noisy, Better: SmallerIsBetter}
	inconclusive := Series{Key: "d/latency", Base: noisy[:2], Head: noisy[2:4], Better: SmallerIsBetter}
	exact := Series{Key: "e/allocs", Base: []float64{3}, Head: []float64{3}, Better: SmallerIsBetter, Exact: true}

	tests := []struct {
		name       string
		series     []Series
		wantKeys   []string
		wantCounts [4]int // regressed, improved, unchanged, inconclusive
		want       Verdict
	}{
		{"empty", nil, []string{}, [4]int{}, Unchanged},
		{"all kinds sorted by key", []Series{exact, inconclusive, unchanged, regressed, improved},
			[]string{"a/throughput", "b/latency", "c/latency", "d/latency", "e/allocs"}, [4]int{1, 1, 2, 1}, Regressed},
		{"inconclusive beats improved", []Series{improved, inconclusive, unchanged},
			[]string{"a/throughput", "c/latency", "d/latency"}, [4]int{0, 1, 1, 1}, Inconclusive},
		{"improved beats unchanged", []Series{unchanged, improved},
			[]string{"a/throughput", "c/latency"}, [4]int{0, 1, 1, 0}, Improved},
		{"unchanged", []Series{unchanged, exact}, []string{"c/latency", "e/allocs"}, [4]int{0, 0, 2, 0}, Unchanged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := CompareAll(tt.series)
			keys := []string{}
			for _, o := range s.Outcomes {
				keys = append(keys, o.Key)
			}
			if !slices.Equal(keys, tt.wantKeys) {
				t.Errorf("keys = %q; want %q", keys, tt.wantKeys)
			}
			if got := [4]int{s.Regressed, s.Improved, s.Unchanged, s.Inconclusive}; got != tt.wantCounts {
				t.Errorf("counts (regressed, improved, unchanged, inconclusive) = %v; want %v", got, tt.wantCounts)
			}
			if s.Verdict != tt.want {
				t.Errorf("Verdict = %v; want %v", s.Verdict, tt.want)
			}
		})
	}
}

func TestCompareAllOutcomeMatchesCompare(t *testing.T) {
	p := Policy{Alpha: 0.01, Floor: 0.05, InconclusiveP: 0.1, Confidence: 0.9}
	s := CompareAll([]Series{{Key: "x", Base: noisy, Head: scaled(noisy, 1.03), Better: SmallerIsBetter, Policy: p}})
	want := Compare(noisy, scaled(noisy, 1.03), SmallerIsBetter, false, p)
	got := s.Outcomes[0].Comparison
	if got.Verdict != want.Verdict || got.P != want.P || got.Low != want.Low || got.High != want.High {
		t.Errorf("outcome = %+v; want Compare's %+v under the series' policy", got, want)
	}
}

func TestCompareAllDuplicateKeysKeepOrder(t *testing.T) {
	s := CompareAll([]Series{
		{Key: "k", Base: noisy, Head: scaled(noisy, 1.2)},
		{Key: "a", Base: noisy, Head: noisy},
		{Key: "k", Base: noisy, Head: scaled(noisy, 0.8)},
	})
	got := []Verdict{s.Outcomes[1].Verdict, s.Outcomes[2].Verdict}
	if want := []Verdict{Regressed, Improved}; !slices.Equal(got, want) {
		t.Errorf("verdicts of the two k series = %v; want %v (input order)", got, want)
	}
}

func TestGeomean(t *testing.T) {
	tests := []struct {
		name   string
		series []Series
		want   float64
		wantN  int
	}{
		{"benchstat style", []Series{
			{Key: "a", Base: []float64{100}, Head: []float64{200}, Exact: true},
			{Key: "b", Base: []float64{100}, Head: []float64{50}, Exact: true},
			{Key: "c", Base: []float64{10}, Head: []float64{40}, Exact: true},
		}, math.Cbrt(4), 3},
		{"0/0 counts as 1, x/0 is left out", []Series{
			{Key: "a", Base: []float64{0}, Head: []float64{0}, Exact: true},
			{Key: "b", Base: []float64{0}, Head: []float64{5}, Exact: true},
			{Key: "c", Base: []float64{10}, Head: []float64{40}, Exact: true},
		}, 2, 2},
		{"none comparable", []Series{{Key: "a", Base: nil, Head: []float64{1}}}, math.NaN(), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := CompareAll(tt.series)
			if s.GeomeanN != tt.wantN {
				t.Errorf("GeomeanN = %d; want %d", s.GeomeanN, tt.wantN)
			}
			if math.IsNaN(tt.want) != math.IsNaN(s.Geomean) || math.Abs(s.Geomean-tt.want) > 1e-12 {
				t.Errorf("Geomean = %v; want %v", s.Geomean, tt.want)
			}
		})
	}
}
