package databranch

import (
	"fmt"
	"path"
	"strings"
)

// ErrUntrusted is wrapped by CheckTrusted's error.
var ErrUntrusted = fmt.Errorf("ref may not write the data branch")

// CheckTrusted returns nil when ref may write the data branch: it matches
// one of trusted, each a full ref ("refs/heads/main") or a path.Match
// pattern ("refs/heads/release/*"); a bare branch name "main" is read as
// "refs/heads/main". Pull request refs ("refs/pull/…") never match, whatever
// the patterns: pull requests only read.
func CheckTrusted(ref string, trusted []string) error {
	full := ref
	if !strings.HasPrefix(full, "refs/") {
		full = "refs/heads/" + full
	}
	if strings.HasPrefix(full, "refs/pull/") {
		return fmt.Errorf("%s is a pull request ref: pull requests only read the data branch: %w", ref, ErrUntrusted)
	}
	for _, p := range trusted {
		if !strings.HasPrefix(p, "refs/") {
			p = "refs/heads/" + p
		}
		if ok, err := path.Match(p, full); err != nil {
			return fmt.Errorf("trusted ref pattern %q: %w", p, err)
		} else if ok {
			return nil
		}
	}
	return fmt.Errorf("%s is not one of the trusted refs (%s): %w", ref, strings.Join(trusted, ", "), ErrUntrusted)
}
