package gate

import "fmt"

// Verdict is the outcome of comparing head with base for one series, or for a
// whole set of series (Summary.Verdict).
type Verdict int

// The verdicts. The zero Verdict is Unchanged.
const (
	// Unchanged: no significant change of at least the policy's floor.
	Unchanged Verdict = iota
	// Improved: head is significantly better than base by at least the floor.
	Improved
	// Regressed: head is significantly worse than base by at least the floor.
	Regressed
	// Inconclusive: the samples cannot tell; more runs are needed. Either
	// the sample sizes cannot reach significance, a sizeable change sits in
	// the inconclusive band of p-values, or the input is not comparable.
	Inconclusive
)

var verdictNames = [...]string{
	Unchanged:    "unchanged",
	Improved:     "improved",
	Regressed:    "regressed",
	Inconclusive: "inconclusive",
}

// String returns "unchanged", "improved", "regressed" or "inconclusive", and
// "Verdict(n)" for any other value.
func (v Verdict) String() string {
	if v >= 0 && int(v) < len(verdictNames) {
		return verdictNames[v]
	}
	return fmt.Sprintf("Verdict(%d)", int(v))
}

// MarshalText encodes v as its String form, so verdicts read well in JSON.
func (v Verdict) MarshalText() ([]byte, error) {
	if v < 0 || int(v) >= len(verdictNames) {
		return nil, fmt.Errorf("marshalling verdict: unknown value %d", int(v))
	}
	return []byte(verdictNames[v]), nil
}

// UnmarshalText decodes the String form of a verdict.
func (v *Verdict) UnmarshalText(text []byte) error {
	for i, name := range verdictNames {
		if string(text) == name {
			*v = Verdict(i)
			return nil
		}
	}
	return fmt.Errorf("unmarshalling verdict: unknown name %q (want unchanged, improved, regressed or inconclusive)", text)
}
