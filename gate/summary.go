package gate

import (
	"math"
	"slices"
	"strings"
)

// Series is one comparable quantity, such as one metric of one benchmark on
// one hardware, with its base and head samples.
type Series struct {
	Key    string    // identifies the series; Summary.Outcomes is sorted by it
	Base   []float64 // one sample per base run; not modified
	Head   []float64 // one sample per head run; not modified
	Better Direction // which way the metric improves
	Exact  bool      // deterministic metric (see Compare)
	// Paired says the samples come from interleaved rounds: Base[i] and
	// Head[i] were measured in round i. The series is then compared with
	// ComparePaired.
	Paired bool
	Policy Policy // zero fields take their defaults
}

// Outcome is the comparison of one series.
type Outcome struct {
	Key string
	Comparison
}

// Summary is the result of comparing a set of series.
type Summary struct {
	// Outcomes holds one Outcome per series, sorted by Key; series with the
	// same Key keep their input order. Their Q fields are the
	// Benjamini–Hochberg q-values across all outcomes.
	Outcomes []Outcome

	// Regressed, Improved, Unchanged and Inconclusive count the outcomes
	// with each verdict.
	Regressed, Improved, Unchanged, Inconclusive int

	// Minor, Major and Critical count the regressions by severity.
	Minor, Major, Critical int

	// Worst is the most severe regression (SeverityMinor or above), else
	// SeverityInconclusive if any series was inconclusive, else
	// SeverityImprovement if any improved, else SeverityNone.
	Worst Severity

	// Verdict is the headline: Regressed if any series regressed, else
	// Inconclusive if any was inconclusive, else Improved if any improved,
	// else Unchanged (also for no series at all). A regression dominates
	// because it is what the gate exists to catch; an inconclusive series
	// comes next because it means the set cannot be passed as unchanged.
	Verdict Verdict

	// Geomean is the geometric mean, over the GeomeanN series whose
	// medians are both positive or both zero (0/0 counts as ratio 1), of
	// the ratios HeadMedian/BaseMedian, as benchstat computes its geomean
	// row. It is informational only: no test, no interval, and it mixes
	// directions when the series do (a faster latency and a lower
	// throughput both pull it down). NaN when GeomeanN is 0.
	Geomean  float64
	GeomeanN int
}

// Blocks reports whether some series' severity reaches level (see
// Severity.Reaches): the gate's pass/fail question.
func (s Summary) Blocks(level Severity) bool {
	return level.IsRegression() && s.Worst.Reaches(level)
}

// CompareAll compares every series with Compare (ComparePaired when
// Series.Paired) under its own policy, sets the Benjamini–Hochberg q-values
// across all of them, and summarises the outcomes. The result does not
// depend on the order of series, except among series that share a Key.
func CompareAll(series []Series) Summary {
	s := Summary{Outcomes: make([]Outcome, 0, len(series))}
	var m memo // the series share sample sizes, hence null distributions
	for _, x := range series {
		s.Outcomes = append(s.Outcomes, Outcome{Key: x.Key, Comparison: compare(x.Base, x.Head, x.Better, x.Exact, x.Paired, x.Policy, &m)})
	}
	slices.SortStableFunc(s.Outcomes, func(a, b Outcome) int { return strings.Compare(a.Key, b.Key) })

	ps := make([]float64, len(s.Outcomes))
	for i, o := range s.Outcomes {
		ps[i] = o.P
	}
	for i, q := range QValues(ps) {
		s.Outcomes[i].Q = q
	}

	logSum := 0.0
	s.Worst = SeverityNone
	for _, o := range s.Outcomes {
		switch o.Verdict {
		case Regressed:
			s.Regressed++
		case Improved:
			s.Improved++
		case Inconclusive:
			s.Inconclusive++
		default:
			s.Unchanged++
		}
		switch o.Severity {
		case SeverityMinor:
			s.Minor++
		case SeverityMajor:
			s.Major++
		case SeverityCritical:
			s.Critical++
		}
		s.Worst = max(s.Worst, o.Severity)
		switch {
		case o.BaseMedian > 0 && o.HeadMedian > 0:
			logSum += math.Log(o.HeadMedian / o.BaseMedian)
			s.GeomeanN++
		case o.BaseMedian == 0 && o.HeadMedian == 0:
			s.GeomeanN++
		}
	}
	s.Geomean = math.NaN()
	if s.GeomeanN > 0 {
		s.Geomean = math.Exp(logSum / float64(s.GeomeanN))
	}

	switch {
	case s.Regressed > 0:
		s.Verdict = Regressed
	case s.Inconclusive > 0:
		s.Verdict = Inconclusive
	case s.Improved > 0:
		s.Verdict = Improved
	default:
		s.Verdict = Unchanged
	}
	return s
}
