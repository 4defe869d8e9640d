package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/benchgate/benchgate/internal/actions"
	"github.com/benchgate/benchgate/internal/comparison"
	"github.com/benchgate/benchgate/internal/results"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"unicode/utf8"

	"github.com/benchgate/benchgate/internal/report"
)

// forkResults is the results file a read-only run writes for the privileged
// workflow_run workflow (`benchgate comment --from`). It is untrusted when
// read back: the fork's workflow wrote it, and a fork controls its own
// workflow. So it carries data, not rendered text: `comment --from`
// validates the results, compares them again with the gate and renders the
// comment and the check itself, escaping every string as for any pull
// request; the verdict a fork's results give is advisory (docs/action.md).
type forkResults struct {
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

// maxForkFile caps the results file read back.
const maxForkFile = 1 << 20

// writeForkFile writes forkFile into the workspace, owned like the
// workspace (the container runs as root; a root-owned file would break the
// next checkout on a self-hosted runner).
func (g *ghMode) writeForkFile(out *outcome, ci report.CommentInput) error {
	fr := forkResults{Version: 2, Repository: g.ev.Repository, PRNumber: g.ev.PRNumber, HeadSHA: g.ev.HeadSHA,
		Workflow: g.e.getenv("GITHUB_WORKFLOW"), Suite: g.suiteName, FailOn: g.in.FailOn,
		NoBaseline: ci.NoBaseline, Baseline: ci.Baseline, BaseSide: out.bSide, HeadSide: out.hSide,
		Base: out.base, Head: out.head, Env: ci.Environment, Charts: finiteCharts(ci.Charts)}
	data, err := json.MarshalIndent(fr, "", "  ")
	if err != nil {
		return err
	}
	path := filepath.Join(g.ws, forkFile)
	// Note: the workspace holds the pull request's files and benchgate runs
	// as root: never follow a symlink the PR committed under this name.
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("writing the fork results file: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, 0o644)
	if err != nil {
		return fmt.Errorf("writing the fork results file: %w", err)
	}
	if _, err := f.Write(append(data, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("writing the fork results file: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing the fork results file: %w", err)
	}
	chownLike(path, g.ws)
	fmt.Fprintf(g.e.stdout, "benchgate: wrote %s for a workflow_run workflow to post (upload it as an artifact)\n", forkFile)
	return nil
}

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

// render compares the file's results again with the gate and renders the
// comment, the check's title and its conclusion, as the fork's own run
// would have, but with this binary's code and escaping: nothing the fork
// wrote is posted as text without going through report.Comment.
func (fr *forkResults) render(reportURL string) (body, title, conclusion string, err error) {
	in := actions.Inputs{FailOn: fr.FailOn}
	g := &ghMode{in: &in}
	out := &outcome{noBaseline: fr.NoBaseline}
	if len(fr.Base) > 0 {
		gf := gateFlags{failOn: fr.FailOn}
		policy, err := gf.policy()
		if err != nil {
			return "", "", "", err
		}
		opts, err := gf.options()
		if err != nil {
			return "", "", "", err
		}
		out.cmp = comparison.Compare(fr.Base, fr.Head, fr.BaseSide, fr.HeadSide, policy, opts...)
	}
	out.headline = "no baseline: " + out.noBaseline
	if out.cmp != nil {
		out.headline = report.Headline(out.cmp)
	}
	body = report.Comment(report.CommentInput{Suite: fr.Suite, Comparison: out.cmp, NoBaseline: fr.NoBaseline,
		Baseline: fr.Baseline, Environment: fr.Env, Charts: fr.Charts, ReportURL: reportURL, Fork: true, HeadSHA: fr.HeadSHA})
	return body, truncateRunes(out.headline, 200), g.conclusion(out), nil
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

// readForkResults reads and checks a results file: size, strict schema,
// values. The caller still checks the head SHA against GitHub.
func readForkResults(path string) (*forkResults, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxForkFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxForkFile {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, maxForkFile)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var fr forkResults
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
	if !isCommitSHA(fr.HeadSHA) {
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
