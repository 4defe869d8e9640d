package config

import (
	"slices"
	"strings"
)

// The placeholders a command may use.
const (
	phModel       = "model"
	phHardware    = "hardware"
	phBatchSize   = "batch_size"
	phSmallModels = "small_models"
	phOutput      = "output"
	phRepetition  = "repetition"
)

// placeholderNames lists every placeholder, in the order error messages show.
var placeholderNames = []string{phModel, phHardware, phBatchSize, phSmallModels, phOutput, phRepetition}

// matrixOnly lists the placeholders that have a value only in the matrix.
var matrixOnly = []string{phModel, phHardware, phBatchSize, phSmallModels}

// knownPlaceholders renders placeholderNames for error messages.
func knownPlaceholders() string {
	q := make([]string, len(placeholderNames))
	for i, p := range placeholderNames {
		q[i] = "{" + p + "}"
	}
	return strings.Join(q, ", ")
}

// isMatrixOnly reports whether placeholder name has a value only in the matrix.
func isMatrixOnly(name string) bool { return slices.Contains(matrixOnly, name) }

// isKnownPlaceholder reports whether name is a placeholder.
func isKnownPlaceholder(name string) bool { return slices.Contains(placeholderNames, name) }

// findPlaceholders returns the names of the placeholders in s, in order.
func findPlaceholders(s string) []string {
	var names []string
	scanPlaceholders(s, func(lit string) {}, func(name, raw string) { names = append(names, name) }, false)
	return names
}

// expand substitutes the placeholders of s that have a value in vals and
// keeps the others as written. With final set it also turns "{{" into "{";
// without, escapes stay so that a later expand still sees them.
func expand(s string, vals map[string]string, final bool) string {
	var b strings.Builder
	scanPlaceholders(s, func(lit string) { b.WriteString(lit) }, func(name, raw string) {
		if v, ok := vals[name]; ok {
			b.WriteString(v)
		} else {
			b.WriteString(raw)
		}
	}, final)
	return b.String()
}

// scanPlaceholders walks s, calling lit for literal text and ph for each
// placeholder "{name}" (name: a letter or "_", then letters, digits or "_").
// "{{" is an escaped "{" (passed to lit as "{" when final, else as "{{");
// "${name}" is shell syntax and stays literal.
func scanPlaceholders(s string, lit func(string), ph func(name, raw string), final bool) {
	start := 0 // start of pending literal text
	flush := func(end int) {
		if end > start {
			lit(s[start:end])
		}
	}
	for i := 0; i < len(s); {
		if s[i] != '{' {
			i++
			continue
		}
		if i+1 < len(s) && s[i+1] == '{' {
			flush(i)
			if final {
				lit("{")
			} else {
				lit("{{")
			}
			i += 2
			start = i
			continue
		}
		if i > 0 && s[i-1] == '$' {
			i++
			continue
		}
		end := strings.IndexByte(s[i+1:], '}')
		if end < 0 || !isIdent(s[i+1:i+1+end]) {
			i++
			continue
		}
		flush(i)
		raw := s[i : i+end+2]
		ph(s[i+1:i+1+end], raw)
		i += end + 2
		start = i
	}
	flush(len(s))
}

// isIdent reports whether s looks like a placeholder name.
func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_'
		if !letter && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return true
}
