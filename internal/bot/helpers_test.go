package bot

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/history"
	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/store"
)

const mainRef = "refs/heads/main"

var t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// commitID is the synthetic 40-hex id of commit i.
func commitID(i int) string {
	sum := sha1.Sum([]byte(strconv.Itoa(i)))
	return hex.EncodeToString(sum[:])
}

// spec is one synthetic series: a relative step from commit stepAt on, and
// another (back) from commit back on when back > 0.
type spec struct {
	name           string
	stepAt         int
	step           float64
	back           int
	backStep       float64
	driverFrom     int // driver version "d2" from this commit on, when > 0
	device, hwType string
}

func (s spec) value(i int) float64 {
	v := 100e-6
	if s.stepAt > 0 && i >= s.stepAt {
		v *= 1 + s.step
	}
	if s.back > 0 && i >= s.back {
		v *= 1 + s.backStep
	}
	return v
}

// history builds commits main-branch runs of specs (10 samples a commit,
// 1 % noise) in a new database and analyses it.
func analysis(tb testing.TB, commits int, specs []spec) *history.Analysis {
	tb.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(tb.TempDir(), "bench.duckdb"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range commits {
		var rs []results.Result
		for _, s := range specs {
			hw := results.Hardware{Type: "cpu", DeviceName: "EPYC", DriverVersion: "d1"}
			if s.hwType != "" {
				hw.Type, hw.DeviceName = s.hwType, s.device
			}
			if s.driverFrom > 0 && i >= s.driverFrom {
				hw.DriverVersion = "d2"
			}
			m := results.Metric{Name: "sec/op", Unit: "s", Better: results.SmallerIsBetter}
			for range 10 {
				m.Samples = append(m.Samples, s.value(i)*(1+0.01*rng.NormFloat64()))
			}
			rs = append(rs, results.Result{Name: s.name, Hardware: hw, Metrics: []results.Metric{m}})
		}
		run := store.Run{ID: fmt.Sprintf("run-%d", i), Commit: commitID(i), Ref: mainRef, Suite: "s", Runner: "r1",
			CreatedAt: t0.Add(time.Duration(i) * time.Hour), Environment: map[string]string{"go": "go1.26"}}
		if _, err := db.Ingest(ctx, run, rs); err != nil {
			tb.Fatal(err)
		}
	}
	a, err := history.Analyze(ctx, db, history.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

// twoSteps is the standard history's series: a 10 % step at commit 25 in
// A and B, noise in C, D and E.
func twoSteps() []spec {
	return []spec{
		{name: "BenchmarkA", stepAt: 25, step: 0.10},
		{name: "BenchmarkB", stepAt: 25, step: 0.10},
		{name: "BenchmarkC"}, {name: "BenchmarkD"}, {name: "BenchmarkE"},
	}
}

// fakeGitHub is an in-memory GitHub for Apply and Command.
type fakeGitHub struct {
	issues   []Issue
	comments map[int][]string
	perms    map[string]string
	labels   []Label
	calls    []string
	now      time.Time
}

func newFake() *fakeGitHub {
	return &fakeGitHub{comments: map[int][]string{}, perms: map[string]string{}, now: t0}
}

func (f *fakeGitHub) issue(n int) (*Issue, error) {
	for i := range f.issues {
		if f.issues[i].Number == n {
			return &f.issues[i], nil
		}
	}
	return nil, fmt.Errorf("no issue #%d", n)
}

func (f *fakeGitHub) ListIssues(_ context.Context, label, state string) ([]Issue, error) {
	f.calls = append(f.calls, "list")
	var out []Issue
	for _, is := range f.issues {
		if (label == "" || slices.Contains(is.Labels, label)) && (state == "all" || is.State == state) {
			out = append(out, is)
		}
	}
	return out, nil
}

func (f *fakeGitHub) CreateIssue(_ context.Context, title, body string, labels []string) (Issue, error) {
	f.calls = append(f.calls, "create")
	f.now = f.now.Add(time.Minute)
	is := Issue{Number: len(f.issues) + 1, Title: title, Body: body, State: "open", Labels: slices.Clone(labels), CreatedAt: f.now, UpdatedAt: f.now}
	f.issues = append(f.issues, is)
	return is, nil
}

func (f *fakeGitHub) EditIssue(_ context.Context, n int, e IssueEdit) (Issue, error) {
	f.calls = append(f.calls, fmt.Sprintf("edit %d", n))
	is, err := f.issue(n)
	if err != nil {
		return Issue{}, err
	}
	if e.Title != nil {
		is.Title = *e.Title
	}
	if e.Body != nil {
		is.Body = *e.Body
	}
	if e.State != nil {
		is.State = *e.State
		is.StateReason = ""
		if *e.State == "open" {
			is.StateReason = "reopened"
		}
	}
	if e.StateReason != nil {
		is.StateReason = *e.StateReason
	}
	if e.Labels != nil {
		is.Labels = slices.Clone(*e.Labels)
	}
	return *is, nil
}

func (f *fakeGitHub) CreateIssueComment(_ context.Context, n int, body string) (IssueComment, error) {
	f.calls = append(f.calls, fmt.Sprintf("comment %d", n))
	if _, err := f.issue(n); err != nil {
		return IssueComment{}, err
	}
	f.comments[n] = append(f.comments[n], body)
	return IssueComment{ID: int64(len(f.comments[n])), Body: body}, nil
}

func (f *fakeGitHub) ListIssueComments(_ context.Context, n int, _ time.Time) ([]IssueComment, error) {
	var out []IssueComment
	for i, c := range f.comments[n] {
		out = append(out, IssueComment{ID: int64(i + 1), Body: c})
	}
	return out, nil
}

func (f *fakeGitHub) EnsureLabels(_ context.Context, ls []Label) error {
	f.calls = append(f.calls, "labels")
	f.labels = ls
	return nil
}

func (f *fakeGitHub) Permission(_ context.Context, user string) (string, error) {
	if p, ok := f.perms[user]; ok {
		return p, nil
	}
	return "none", nil
}

// existingFrom turns a plan's open actions into existing issues, as GitHub
// would hold them after Apply.
func existingFrom(p Plan) []Issue {
	var out []Issue
	for i, a := range p.Actions {
		if a.Kind == KindOpen || (a.Kind == KindDigest && a.Issue == 0) {
			out = append(out, Issue{Number: 100 + i, Title: a.Title, Body: a.Body, State: "open", Labels: a.Labels, CreatedAt: t0.Add(time.Duration(i) * time.Minute)})
		}
	}
	return out
}

// kinds lists the kinds of p's actions.
func kinds(p Plan) []Kind {
	out := []Kind{}
	for _, a := range p.Actions {
		out = append(out, a.Kind)
	}
	return out
}
