package ghaction

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/google/go-github/v60/github"

	"github.com/benchgate/benchgate/gate"
	"github.com/benchgate/benchgate/internal/actions"
	"github.com/benchgate/benchgate/internal/comparison"
	"github.com/benchgate/benchgate/internal/forge"
	"github.com/benchgate/benchgate/internal/forkfile"
	gitcmd "github.com/benchgate/benchgate/internal/git"
	"github.com/benchgate/benchgate/internal/report"
	"github.com/benchgate/benchgate/internal/store"
)

// historyPoints bounds the points of a history chart.
const historyPoints = 20

// publish writes every report: job summary, outputs (recorded, written at
// the end of the run), annotations, then
// the check run and the PR comment (or, with a read-only token, the fork
// results file).
func (r *run) publish(ctx context.Context, st *store.DB, m *measured) error {
	ci := report.CommentInput{Suite: r.suiteName, Outcome: m.outcome, Baseline: m.baseline,
		Environment: m.env, Charts: r.charts(ctx, st, m), ReportURL: r.runURL(), HeadSHA: r.ev.HeadSHA}
	body := report.Comment(ci)
	if r.in.JobSummary {
		full := ci
		full.MaxChars = actions.MaxSummaryBytes
		if _, err := r.rt.WriteSummary(report.Comment(full)); err != nil {
			return err
		}
	}
	v := report.Verdict(m.outcome)
	js, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	r.setOutputs(
		[2]string{"verdict", string(v.Verdict)},
		[2]string{"regressions", strconv.Itoa(v.Regressions)},
		[2]string{"improvements", strconv.Itoa(v.Improvements)},
		[2]string{"report-markdown", body},
		[2]string{"report-json", string(js)},
		[2]string{"baseline-sha", m.baselineSHA},
	)
	anns := r.annotations(m.outcome)
	r.rt.Annotate(anns)
	return r.publishAPI(ctx, m, ci, body, anns)
}

// publishAPI posts the check run and the comment; a read-only token (a
// fork's pull request, or a 403 on a write) leaves the fork results file
// for a workflow_run workflow instead.
func (r *run) publishAPI(ctx context.Context, m *measured, ci report.CommentInput, body string, anns []actions.Annotation) error {
	if r.ev.Fork && r.ev.Name == "pull_request" {
		r.Log.Info("a fork's pull request has a read-only token: leaving the comment for a workflow_run workflow", "file", forkfile.Name)
		return r.writeForkFile(m, ci)
	}
	if r.in.GitHubToken == "" {
		r.Log.Warn("input github-token is empty: no check run and no comment")
		return nil
	}
	client, err := forge.New(ctx, forge.Config{APIURL: r.Getenv("GITHUB_API_URL"), Token: r.in.GitHubToken, Repository: r.ev.Repository, Log: r.Log})
	if err != nil {
		return err
	}
	if gitcmd.IsCommitSHA(r.ev.HeadSHA) {
		id, err := client.PublishCheck(ctx, r.check(m.outcome, body, anns))
		switch {
		case forbidden(err):
			r.Log.Warn("the token may not create check runs (read-only): leaving the results file", "file", forkfile.Name, "error", err)
			return r.writeForkFile(m, ci)
		case err != nil:
			return err
		}
		r.Log.Info("published the check run", "name", forge.CheckName(r.suiteName), "id", id, "head", r.ev.HeadSHA)
	}
	if !r.ev.IsPullRequest() || r.in.CommentOnPR == "never" {
		return nil
	}
	err = r.comment(ctx, client, m.outcome, body)
	if forbidden(err) {
		r.Log.Warn("the token may not comment (read-only): leaving the results file", "file", forkfile.Name, "error", err)
		return r.writeForkFile(m, ci)
	}
	return err
}

// comment creates or updates the PR comment (comment-on-pr).
func (r *run) comment(ctx context.Context, client *forge.Client, o comparison.Outcome, body string) error {
	marker := forge.Marker(r.Getenv("GITHUB_WORKFLOW"), r.suiteName)
	v := o.Verdict()
	changed := v == comparison.VerdictRegression || v == comparison.VerdictImprovement || v == comparison.VerdictFailed
	var cm forge.Comment
	var err error
	existed := true
	if r.in.CommentOnPR == "on-change" && !changed {
		cm, existed, err = client.UpdateComment(ctx, r.ev.PRNumber, marker, body)
	} else {
		cm, err = client.UpsertComment(ctx, r.ev.PRNumber, marker, body)
	}
	switch {
	case err != nil:
		return err
	case !existed:
		r.Log.Info("nothing changed and no comment exists: not commenting (comment-on-pr: on-change)")
	default:
		r.Log.Info("commented", "pr", r.ev.PRNumber, "comment", cm.ID, "created", cm.Created)
	}
	return nil
}

// writeForkFile leaves the fork results file in the workspace.
func (r *run) writeForkFile(m *measured, ci report.CommentInput) error {
	path, err := forkfile.Write(r.ws, &forkfile.File{Repository: r.ev.Repository, PRNumber: r.ev.PRNumber, HeadSHA: r.ev.HeadSHA,
		Workflow: r.Getenv("GITHUB_WORKFLOW"), Suite: r.suiteName, FailOn: m.outcome.FailOn.String(),
		NoBaseline: m.outcome.NoBaseline, Baseline: m.baseline, BaseSide: m.bSide, HeadSide: m.hSide,
		Base: m.base, Head: m.head, Env: ci.Environment, Charts: ci.Charts})
	if err != nil {
		return err
	}
	fmt.Fprintf(r.Stdout, "benchgate: wrote %s for a workflow_run workflow to post (upload it as an artifact)\n", filepath.Base(path))
	return nil
}

// forbidden reports whether err is GitHub's 403 (a read-only token).
func forbidden(err error) bool {
	var er *github.ErrorResponse
	return errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusForbidden
}

// check is the `benchgate / <suite>` check run on the head commit.
func (r *run) check(o comparison.Outcome, body string, anns []actions.Annotation) forge.Check {
	ch := forge.Check{Suite: r.suiteName, HeadSHA: r.ev.HeadSHA, Conclusion: o.Conclusion(),
		Title: report.Truncate(o.Headline(), 200), Summary: body, DetailsURL: r.runURL()}
	for _, a := range anns {
		if a.File == "" {
			continue
		}
		level := "warning"
		if a.Level == actions.Error {
			level = "failure"
		}
		ch.Annotations = append(ch.Annotations, forge.CheckAnnotation{Path: a.File, StartLine: 1, EndLine: 1,
			Level: level, Title: a.Title, Message: a.Message})
	}
	return ch
}

// annotations are one per regressed series and failed benchmark, on the
// suite file (or the first results file) when the workspace holds it.
func (r *run) annotations(o comparison.Outcome) []actions.Annotation {
	file := r.annotationFile()
	var anns []actions.Annotation
	if c := o.Comparison; c != nil {
		for _, row := range c.Rows {
			if !row.Severity.IsRegression() {
				continue
			}
			level := actions.Warning
			if o.Blocks() && row.Severity.Reaches(c.FailOn.Severity()) {
				level = actions.Error
			}
			name := row.Key.Benchmark
			if row.Key.Params != "" {
				name += " [" + report.DisplayParams(row.Key.Params) + "]"
			}
			anns = append(anns, actions.Annotation{Level: level, File: file,
				Title: fmt.Sprintf("benchgate: %s regressed (%s)", report.OneLine(name), row.Severity),
				Message: fmt.Sprintf("%s %s on %s: %s → %s, change %s [%s, %s], p %s",
					report.OneLine(name), row.Key.Metric, row.Key.Hardware, report.FormatValue(row.BaseMedian, row.Unit), report.FormatValue(row.HeadMedian, row.Unit),
					report.FormatChange(row.Change), report.FormatChange(row.Low), report.FormatChange(row.High), report.FormatP(row.P))})
		}
	}
	level := actions.Warning
	if o.Blocks() {
		level = actions.Error
	}
	for _, f := range o.Failed {
		anns = append(anns, actions.Annotation{Level: level, File: file,
			Title:   "benchgate: benchmark failed: " + report.OneLine(f.Name),
			Message: fmt.Sprintf("%s on %s failed (%s): %s", report.OneLine(f.Name), f.Hardware.Type, f.Failure.Type, report.Truncate(report.OneLine(f.Failure.Message), 500))})
	}
	return anns
}

// annotationFile is the repository-relative path annotations point at.
func (r *run) annotationFile() string {
	p := r.suitePath
	if p == "" && len(r.in.ResultsFile) > 0 {
		p = r.resolve(r.in.ResultsFile[0])
	}
	if p == "" {
		return ""
	}
	rel, err := filepath.Rel(r.ws, p)
	if err != nil || strings.HasPrefix(rel, "..") {
		return ""
	}
	return filepath.ToSlash(rel)
}

// charts are the recent histories of the regressed series, from the
// database (the data branch and this run).
func (r *run) charts(ctx context.Context, st *store.DB, m *measured) []report.Chart {
	c := m.outcome.Comparison
	if c == nil {
		return nil
	}
	var charts []report.Chart
	for _, row := range c.Rows {
		if !row.Severity.IsRegression() || len(charts) == 5 {
			continue
		}
		key := row.Key
		key.Runner = m.headRun.Runner
		pts, err := st.History(ctx, key, historyPoints)
		if err != nil {
			r.Log.Warn("reading a series' history", "series", key.String(), "error", err)
			continue
		}
		ch := report.Chart{Key: row.Key, Unit: row.Unit}
		for _, p := range pts {
			if len(p.Samples) == 0 {
				continue
			}
			ch.Labels = append(ch.Labels, gitcmd.Short(p.Run.Commit))
			ch.Values = append(ch.Values, gate.Median(p.Samples))
		}
		charts = append(charts, ch)
	}
	return charts
}
