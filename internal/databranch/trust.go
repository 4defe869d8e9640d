package databranch

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
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

// CheckWriter is the one data-branch write policy, for `benchgate save`,
// the action and the bot: nil when a run of event on ref may write. Pull
// request, merge-group and workflow_run events never write (under
// workflow_run, GITHUB_REF is the default branch while what was measured
// is often a pull request's head). Otherwise ref must match trusted
// (CheckTrusted), which defaults to the repository's default branch
// defaultBranch. With no event and no ref — the CLI outside GitHub
// Actions — any writer is allowed: it works against any remote.
func CheckWriter(event, ref string, trusted []string, defaultBranch string) error {
	switch event {
	case "pull_request", "pull_request_target", "merge_group", "workflow_run":
		return fmt.Errorf("event %s may not write the data branch: pull requests only read it: %w", event, ErrUntrusted)
	}
	if ref == "" {
		return nil
	}
	if len(trusted) == 0 {
		if defaultBranch == "" {
			return fmt.Errorf("ref %s: the repository's default branch is unknown (no event payload): name the refs that may write (save-on, --trusted-refs)", ref)
		}
		trusted = []string{"refs/heads/" + defaultBranch}
	}
	return CheckTrusted(ref, trusted)
}

// Fallback keeps the results of a failed save: unless the branch refused
// them (corrupt, newer schema, too large) or fallback is "", it copies the
// local database at path to fallback and returns the message to show;
// err comes back, wrapped when the copy failed too.
func Fallback(branch, path, fallback string, err error) (string, error) {
	var refused *RefusedError
	if errors.As(err, &refused) || errors.Is(err, ErrTooLarge) || fallback == "" {
		return "", err
	}
	if abs, aerr := filepath.Abs(fallback); aerr == nil {
		fallback = abs
	}
	if cerr := copyFile(path, fallback); cerr != nil {
		return "", fmt.Errorf("%w; copying the results to %s also failed: %v", err, fallback, cerr)
	}
	return fmt.Sprintf("benchgate: the results were NOT saved to the data branch %s (the error follows). They are in %s: upload it as an artifact and run 'benchgate save --db %s' later; nothing is lost.",
		branch, fallback, fallback), err
}

// copyFile copies src to dst (replaced).
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
