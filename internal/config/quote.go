package config

import "strings"

// ShellQuote renders argv as one line a POSIX shell would split back into the
// same arguments: safe arguments as they are, the others in single quotes.
// It is meant for display (logs, failure records) and for substituting values
// into "shell: bash" commands.
func ShellQuote(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		q[i] = quoteArg(a)
	}
	return strings.Join(q, " ")
}

// quoteArg quotes one argument for a POSIX shell.
func quoteArg(s string) string {
	if s == "" {
		return "''"
	}
	safe := true
	for _, r := range s {
		if !isShellSafe(r) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// isShellSafe reports whether r never needs quoting in a POSIX shell.
func isShellSafe(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	}
	return strings.ContainsRune("@%_+=:,./-", r)
}
