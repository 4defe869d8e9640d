package actions

import (
	"fmt"
	"os"
	"strings"
)

// SetOutputs appends name/value pairs to the step's outputs file
// ($GITHUB_OUTPUT) as heredocs "name<<D\nvalue\nD" with a random delimiter
// D that the value does not contain (as the runner's own toolkit does; the
// fixed delimiter of go-githubactions could be forged by pull-request
// text). Names are sanitised with OutputName. The pairs are written in one
// append, in the order given.
func (r *Runtime) SetOutputs(pairs ...[2]string) error {
	path := r.getenv("GITHUB_OUTPUT")
	if path == "" {
		return fmt.Errorf("writing outputs: GITHUB_OUTPUT is not set (not running in GitHub Actions?)")
	}
	var b strings.Builder
	for _, kv := range pairs {
		name := OutputName(kv[0])
		if name == "" {
			return fmt.Errorf("writing outputs: output name %q has no usable character", kv[0])
		}
		delim := "ghadelimiter_" + randomToken()
		for strings.Contains(kv[1], delim) {
			delim = "ghadelimiter_" + randomToken()
		}
		fmt.Fprintf(&b, "%s<<%s\n%s\n%s\n", name, delim, kv[1], delim)
	}
	return appendFile(path, b.String())
}

// OutputName returns name with every character other than ASCII letters,
// digits, '-' and '_' replaced by '_', and without a leading digit or '-'
// (prefixed '_'), so that a name built from a benchmark name is a valid
// output name and cannot break the outputs file. "" stays "".
func OutputName(name string) string {
	if name == "" {
		return ""
	}
	b := []byte(name)
	for i, c := range b {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			b[i] = '_'
		}
	}
	if c := b[0]; '0' <= c && c <= '9' || c == '-' {
		return "_" + string(b)
	}
	return string(b)
}

func appendFile(path, s string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(s); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
