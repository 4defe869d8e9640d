package gate

import "fmt"

// Severity grades a comparison's outcome (docs/STATISTICS.md §7.4). The zero
// Severity is SeverityNone.
type Severity int

// The severities, in the order of their urgency for a regression.
const (
	// SeverityNone: no significant change of at least the floor (a pass).
	SeverityNone Severity = iota
	// SeverityImprovement: head is significantly better by at least the floor.
	SeverityImprovement
	// SeverityInconclusive: the samples cannot tell (too few, underpowered,
	// a sizeable change in the inconclusive band, or bad input).
	SeverityInconclusive
	// SeverityMinor: significantly worse by at least the floor, but the
	// lower bound of the worsening is under Policy.Major. Does not block.
	SeverityMinor
	// SeverityMajor: the lower bound of the worsening is at least
	// Policy.Major (or the estimate is at least Policy.MajorEstimate with
	// p < Policy.MajorP). Blocks.
	SeverityMajor
	// SeverityCritical: the lower bound is at least Policy.Critical, or an
	// absolute budget is breached. Blocks.
	SeverityCritical
)

var severityNames = [...]string{
	SeverityNone:         "none",
	SeverityImprovement:  "improvement",
	SeverityInconclusive: "inconclusive",
	SeverityMinor:        "minor",
	SeverityMajor:        "major",
	SeverityCritical:     "critical",
}

// String returns the severity's name: "none", "improvement",
// "inconclusive", "minor", "major" or "critical".
func (s Severity) String() string {
	if s >= 0 && int(s) < len(severityNames) {
		return severityNames[s]
	}
	return fmt.Sprintf("Severity(%d)", int(s))
}

// ParseSeverity returns the severity named s (its String form).
func ParseSeverity(s string) (Severity, error) {
	for i, name := range severityNames {
		if s == name {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want none, improvement, inconclusive, minor, major or critical)", s)
}

// MarshalText encodes s as its String form.
func (s Severity) MarshalText() ([]byte, error) {
	if s < 0 || int(s) >= len(severityNames) {
		return nil, fmt.Errorf("marshalling severity: unknown value %d", int(s))
	}
	return []byte(severityNames[s]), nil
}

// UnmarshalText decodes the String form of a severity.
func (s *Severity) UnmarshalText(text []byte) error {
	v, err := ParseSeverity(string(text))
	if err != nil {
		return fmt.Errorf("unmarshalling severity: %w", err)
	}
	*s = v
	return nil
}

// IsRegression reports whether s is minor, major or critical.
func (s Severity) IsRegression() bool { return s >= SeverityMinor }

// Reaches reports whether s is a regression at least as severe as level; a
// level that is not a regression (SeverityNone, for "never fail") is never
// reached.
func (s Severity) Reaches(level Severity) bool {
	return level.IsRegression() && s >= level
}

// Verdict returns the verdict that corresponds to s.
func (s Severity) Verdict() Verdict {
	switch {
	case s.IsRegression():
		return Regressed
	case s == SeverityImprovement:
		return Improved
	case s == SeverityInconclusive:
		return Inconclusive
	}
	return Unchanged
}
