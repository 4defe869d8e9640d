package comparison

import (
	"fmt"

	"github.com/benchgate/benchgate/gate"
)

// FailOn is the least severity of a regression that fails the gate. The zero
// FailOn is FailMajor.
type FailOn int

// The fail-on levels.
const (
	FailMajor    FailOn = iota // major or critical fails (default)
	FailMinor                  // any regression fails
	FailNever                  // report only: neither a regression nor a failed benchmark fails
	FailCritical               // only a critical regression fails
)

// ParseFailOn parses "major", "minor", "critical" or "never".
func ParseFailOn(s string) (FailOn, error) {
	switch s {
	case "major":
		return FailMajor, nil
	case "minor":
		return FailMinor, nil
	case "never":
		return FailNever, nil
	case "critical":
		return FailCritical, nil
	}
	return 0, fmt.Errorf("%q is not one of minor, major, critical, never", s)
}

// String returns "major", "minor" or "never".
func (f FailOn) String() string {
	switch f {
	case FailMinor:
		return "minor"
	case FailNever:
		return "never"
	case FailCritical:
		return "critical"
	}
	return "major"
}

// Severity returns the gate severity that f fails on; SeverityNone for never.
func (f FailOn) Severity() gate.Severity {
	switch f {
	case FailMinor:
		return gate.SeverityMinor
	case FailNever:
		return gate.SeverityNone
	case FailCritical:
		return gate.SeverityCritical
	}
	return gate.SeverityMajor
}
