// Package forkfile is the results file a fork's pull request leaves for
// the privileged workflow_run workflow (docs/action.md, "Fork pull
// requests"): the action writes it when its token is read-only, and
// `benchgate comment --from` reads it back — as untrusted data, since the
// fork controls its own workflow — validates it, compares it again with
// the gate under the trusted checkout's configuration and renders the
// comment itself.
package forkfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"unicode/utf8"

	gitcmd "github.com/benchgate/benchgate/internal/git"

	"github.com/benchgate/benchgate/internal/comparison"
	"github.com/benchgate/benchgate/internal/report"
	"github.com/benchgate/benchgate/internal/results"
)

// Name is the file's name in the workspace.
const Name = "benchgate-comment.json"

// File is the results file a read-only run writes for the privileged
// workflow_run workflow (`benchgate comment --from`). It is untrusted when
// read back: the fork's workflow wrote it, and a fork controls its own
// workflow. So it carries data, not rendered text: `comment --from`
// validates the results, compares them again with the gate and renders the
// comment and the check itself, escaping every string as for any pull
// request; the verdict a fork's results give is advisory (docs/action.md).
type File struct {
	Version    int                `json:"version"` // 2
	Repository string             `json:"repository"`
	PRNumber   int                `json:"pr_number"`
	HeadSHA    string             `json:"head_sha"`
	Workflow   string             `json:"workflow"`
	Suite      string             `json:"suite"`
	FailOn     string             `json:"fail_on"`
	NoBaseline string             `json:"no_baseline,omitempty"`
	Baseline   string             `json:"baseline,omitempty"`
	BaseSide   comparison.Side    `json:"base_side"`
	HeadSide   comparison.Side    `json:"head_side"`
	Base       []results.Result   `json:"base,omitempty"`
	Head       []results.Result   `json:"head,omitempty"`
	Env        []report.EnvChange `json:"environment,omitempty"`
	Charts     []report.Chart     `json:"charts,omitempty"`
}

// MaxSize caps the results file read back.
const MaxSize = 1 << 20

// finiteCharts drops charts with values JSON cannot carry.
func finiteCharts(cs []report.Chart) []report.Chart {
	var out []report.Chart
	for _, c := range cs {
		if results.CheckSamples(c.Values) == nil {
			out = append(out, c)
		}
	}
	return out
}

// chownLike gives path the owner of dir, best effort.
func chownLike(path, dir string) {
	fi, err := os.Stat(dir)
	if err != nil {
		return
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && os.Geteuid() == 0 {
		_ = os.Lchown(path, int(st.Uid), int(st.Gid))
	}
}

// Read reads and checks a results file: size, strict schema,
// values. The caller still checks the head SHA against GitHub.
func Read(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxSize {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, MaxSize)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var fr File
	if err := dec.Decode(&fr); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%s: trailing data after the JSON object", path)
	}
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if fr.Version != 2 {
		bad("version %d: want 2", fr.Version)
	}
	if !gitcmd.IsCommitSHA(fr.HeadSHA) {
		bad("head_sha %q: want a full commit id", fr.HeadSHA)
	}
	if fr.PRNumber < 0 {
		bad("pr_number %d: negative", fr.PRNumber)
	}
	for name, v := range map[string]string{"workflow": fr.Workflow, "suite": fr.Suite} {
		if v == "" || utf8.RuneCountInString(v) > 200 || strings.ContainsAny(v, "\x00\n\r") {
			bad("%s %q: want one line of at most 200 characters", name, v)
		}
	}
	if _, err := comparison.ParseFailOn(fr.FailOn); err != nil {
		bad("fail_on: %v", err)
	}
	if (len(fr.Base) == 0) != (fr.NoBaseline != "") {
		bad("base: want results, or no_baseline saying why there are none")
	}
	if len(fr.Head) == 0 {
		bad("head: no results")
	}
	for side, rs := range map[string][]results.Result{"base": fr.Base, "head": fr.Head} {
		for i := range rs {
			if err := rs[i].Validate(); err != nil {
				bad("%s[%d]: %v", side, i, err)
			}
		}
	}
	for i, c := range fr.Charts {
		if len(c.Labels) != len(c.Values) || len(c.Values) > 100 {
			bad("charts[%d]: want as many labels as values, at most 100", i)
		}
		if err := results.CheckSamples(c.Values); err != nil {
			bad("charts[%d]: %v", i, err)
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s: %w", path, errors.Join(errs...))
	}
	return &fr, nil
}

// Write writes f as Name into dir (the workspace), owned like dir (the
// container runs as root; a root-owned file would break the next checkout
// on a self-hosted runner). It never follows a symlink the pull request
// committed under that name.
func Write(dir string, f *File) (string, error) {
	f.Version = 2
	f.Charts = finiteCharts(f.Charts)
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, Name)
	// Note: the workspace holds the pull request's files and benchgate runs
	// as root: never follow a symlink the PR committed under this name.
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("writing the fork results file: %w", err)
	}
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, 0o644)
	if err != nil {
		return "", fmt.Errorf("writing the fork results file: %w", err)
	}
	if _, err := out.Write(append(data, '\n')); err != nil {
		out.Close()
		return "", fmt.Errorf("writing the fork results file: %w", err)
	}
	if err := out.Close(); err != nil {
		return "", fmt.Errorf("writing the fork results file: %w", err)
	}
	chownLike(path, dir)
	return path, nil
}

// Rendered is what Render made of a file.
type Rendered struct {
	Outcome comparison.Outcome
	Body    string // the comment
	Title   string // the check run's title
}

// Render compares the file's results again under cfg — the trusted
// checkout's suite thresholds, with the file's fail-on — and renders the
// comment and the check's title, as the fork's own run would have, but
// with this binary's code and escaping: nothing the fork wrote is posted
// as text without going through report.Comment.
func (f *File) Render(cfg comparison.Config, reportURL string) (Rendered, error) {
	fo, err := comparison.ParseFailOn(f.FailOn)
	if err != nil {
		return Rendered{}, fmt.Errorf("fail_on: %w", err)
	}
	cfg.FailOn = fo
	var c *comparison.Comparison
	if len(f.Base) > 0 {
		c = cfg.Compare(f.Base, f.Head, f.BaseSide, f.HeadSide)
	}
	o := comparison.Decide(c, f.Head, f.NoBaseline, fo)
	body := report.Comment(report.CommentInput{Suite: f.Suite, Outcome: o, Baseline: f.Baseline, Environment: f.Env,
		Charts: f.Charts, ReportURL: reportURL, Fork: true, HeadSHA: f.HeadSHA})
	return Rendered{Outcome: o, Body: body, Title: report.Truncate(o.Headline(), 200)}, nil
}
