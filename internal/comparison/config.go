package comparison

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/benchgate/benchgate/gate"
	"github.com/benchgate/benchgate/internal/results"
)

// Field is one tunable of the gate with its one documented range
// (docs/gate.md, "Configuration"). Every place a user sets it — a suite
// file's thresholds, a CLI flag, an action input — parses it with
// Field.Parse, so the three accept exactly the same values; the caller
// wraps the error with the name the user wrote (`input floor`, `--floor`,
// `benchgate.yml:12 thresholds.latency_p50.floor`).
type Field struct {
	Name string
	// Min and Max bound the value; MinOpen and MaxOpen exclude the bound.
	Min, Max         float64
	MinOpen, MaxOpen bool
	// Fraction fields accept a percentage ("5%" is 0.05); the others are
	// plain numbers in the metric's base unit.
	Fraction bool
}

// The gate's tunables.
var (
	// FloorField is the least practical change: [0%, 100%). 0 leaves only
	// the series' own noise floor.
	FloorField = Field{Name: "floor", Min: 0, Max: 1, MaxOpen: true, Fraction: true}
	// AlphaField is the one-sided significance level: (0, 0.5].
	AlphaField = Field{Name: "alpha", Min: 0, Max: 0.5, MinOpen: true, Fraction: true}
	// MajorField and CriticalField are the severity thresholds on the
	// lower bound of the worsening: above 0, e.g. 10% or 300%.
	MajorField    = Field{Name: "major", Min: 0, Max: math.Inf(1), MinOpen: true, MaxOpen: true, Fraction: true}
	CriticalField = Field{Name: "critical", Min: 0, Max: math.Inf(1), MinOpen: true, MaxOpen: true, Fraction: true}
	// BudgetField is an absolute limit on the head's median in the
	// metric's base unit (seconds, bytes, items/s): above 0.
	BudgetField = Field{Name: "budget", Min: 0, Max: math.Inf(1), MinOpen: true, MaxOpen: true}
)

// Range describes f's accepted values, e.g. "a fraction in [0, 1) or a
// percentage in [0%, 100%)".
func (f Field) Range() string {
	lo, hi := "[", "]"
	if f.MinOpen {
		lo = "("
	}
	if f.MaxOpen {
		hi = ")"
	}
	num := func(x float64, pct bool) string {
		if math.IsInf(x, 1) {
			return "∞"
		}
		if pct {
			return strconv.FormatFloat(x*100, 'g', -1, 64) + "%"
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	if !f.Fraction {
		return fmt.Sprintf("a number in %s%s, %s%s", lo, num(f.Min, false), num(f.Max, false), hi)
	}
	return fmt.Sprintf("a fraction in %s%s, %s%s or a percentage in %s%s, %s%s",
		lo, num(f.Min, false), num(f.Max, false), hi, lo, num(f.Min, true), num(f.Max, true), hi)
}

// Parse reads s — "0.05", "5%", "5 %", "1_000" — and checks f's range.
func (f Field) Parse(s string) (float64, error) {
	t := strings.TrimSpace(s)
	scale := 1.0
	if p, ok := strings.CutSuffix(t, "%"); ok && f.Fraction {
		t, scale = strings.TrimSpace(p), 0.01
	}
	x, err := strconv.ParseFloat(strings.ReplaceAll(t, "_", ""), 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, fmt.Errorf("%q is not %s", s, f.Range())
	}
	x *= scale
	if x < f.Min || x > f.Max || (f.MinOpen && x == f.Min) || (f.MaxOpen && x == f.Max) {
		return 0, fmt.Errorf("%q is out of range: %s must be %s", s, f.Name, f.Range())
	}
	return x, nil
}

// Config is the gate's whole configuration for one comparison: the suite's
// per-metric thresholds, then the run-wide overrides (a CLI flag or an
// action input) for every metric, and the least severity that fails.
type Config struct {
	Thresholds Thresholds
	// Floor and Alpha, when set, override every metric's.
	Floor, Alpha *float64
	FailOn       FailOn
}

// Policy is the per-series policy: the gate's defaults, then the
// thresholds by metric and by metric@hardware, then the overrides.
func (c Config) Policy() PolicyFunc {
	base := c.Thresholds.PolicyFor(gate.DefaultPolicy)
	return func(k results.SeriesKey) gate.Policy {
		p := base(k)
		if c.Floor != nil {
			p.Floor = *c.Floor
		}
		if c.Alpha != nil {
			p.Alpha = *c.Alpha
		}
		return p
	}
}

// Compare compares base and head under c.
func (c Config) Compare(base, head []results.Result, baseSide, headSide Side) *Comparison {
	return Compare(base, head, baseSide, headSide, c.Policy(), WithFailOn(c.FailOn), WithExact(c.Thresholds.ExactFor()))
}

// Overrides are the run-wide settings as the user wrote them ("" when not
// set); Apply parses them into c.
type Overrides struct {
	Floor, Alpha, FailOn string
}

// Apply parses o into c. name gives the name the user wrote for a
// setting — "--floor" or "input floor" — for the errors, which are all
// reported, joined.
func (c *Config) Apply(o Overrides, name func(setting string) string) error {
	var errs []error
	parse := func(f Field, s string) *float64 {
		if s == "" {
			return nil
		}
		x, err := f.Parse(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name(f.Name), err))
			return nil
		}
		return &x
	}
	c.Floor = parse(FloorField, o.Floor)
	c.Alpha = parse(AlphaField, o.Alpha)
	if o.FailOn != "" {
		f, err := ParseFailOn(o.FailOn)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name("fail-on"), err))
		}
		c.FailOn = f
	}
	return errors.Join(errs...)
}

// Same reports whether a and b set the same values.
func (th Threshold) Same(b Threshold) bool {
	eq := func(x, y *float64) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	eb := func(x, y *bool) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	return eq(th.Floor, b.Floor) && eq(th.Alpha, b.Alpha) && eq(th.Major, b.Major) && eq(th.Critical, b.Critical) &&
		eq(th.Budget, b.Budget) && eb(th.Exact, b.Exact)
}
