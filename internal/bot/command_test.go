package bot

import (
	"context"
	"slices"
	"strings"
	"testing"
)

var _ GitHub = (*fakeGitHub)(nil)

func TestApplyThenCommands(t *testing.T) {
	ctx := context.Background()
	a := analysis(t, 40, twoSteps())
	gh := newFake()
	st, err := Apply(ctx, gh, NewPlan(a, nil, opts))
	if err != nil || st != (Stats{Opened: 1}) || len(gh.issues) != 1 || gh.calls[0] != "labels" || len(gh.labels) != len(Labels) {
		t.Fatalf("Apply = %+v, %v; calls %v", st, err, gh.calls)
	}
	existing, _ := gh.ListIssues(ctx, LabelBot, "all")
	if st, err := Apply(ctx, gh, NewPlan(a, existing, opts)); err != nil || st != (Stats{}) {
		t.Errorf("second Apply = %+v, %v; want nothing", st, err)
	}
	is := gh.issues[0]

	gh.perms["reader"], gh.perms["writer"] = "read", "write"
	r, err := Command(ctx, gh, is, "reader", CmdAccept, "fine")
	if err != nil || r.Done || !strings.Contains(r.Text, "need write access") || gh.issues[0].State != "open" || len(gh.comments[1]) != 0 {
		t.Errorf("reader: %+v, %v; issue %+v", r, err, gh.issues[0])
	}
	r, err = Command(ctx, gh, is, "writer", CmdAccept, "expected: @octocat's <b>new</b> [cache](http://x)")
	got := gh.issues[0]
	if err != nil || !r.Done || !r.Posted || got.State != "closed" || got.StateReason != "completed" || !slices.Contains(got.Labels, LabelAccepted) {
		t.Fatalf("writer accept: %+v, %v; issue %+v", r, err, got)
	}
	if c := gh.comments[1]; len(c) != 1 || !strings.Contains(c[0], `> expected: @&#8288;octocat's &lt;b&gt;new&lt;/b&gt; \[cache\]\(http:&#8288;//x\)`) {
		t.Errorf("accept comment %q", c)
	}
	if m, _ := ParseMarker(got.Body); m.Accepted != commitID(25) {
		t.Errorf("accepted commit %q; want commit 25", m.Accepted)
	}
	existing, _ = gh.ListIssues(ctx, LabelBot, "all")
	if p := NewPlan(a, existing, opts); len(p.Actions) != 0 {
		t.Errorf("plan after accept: %v; want none", kinds(p))
	}

	// infra, ack and invalid on a fresh issue.
	is2, _ := gh.CreateIssue(ctx, "t", is.Body, []string{LabelBot, LabelRegression})
	for _, tt := range []struct {
		cmd, state string
		has, lacks string
	}{{CmdInfra, "open", LabelInfra, LabelRegression}, {CmdAck, "open", LabelAck, ""}, {CmdInvalid, "closed", LabelInvalid, LabelAck}} {
		cur, _ := gh.issue(is2.Number)
		r, err := Command(ctx, gh, *cur, "writer", tt.cmd, "")
		cur, _ = gh.issue(is2.Number)
		if err != nil || !r.Done || cur.State != tt.state || !slices.Contains(cur.Labels, tt.has) || (tt.lacks != "" && slices.Contains(cur.Labels, tt.lacks)) {
			t.Errorf("%s: %+v, %v; issue labels %v state %s", tt.cmd, r, err, cur.Labels, cur.State)
		}
	}
	if cur, _ := gh.issue(is2.Number); cur.StateReason != "not_planned" {
		t.Errorf("invalid closed as %q", cur.StateReason)
	}
	if r, _ := Command(ctx, gh, is2, "writer", "frobnicate", ""); r.Done || !strings.Contains(r.Text, "Unknown command") {
		t.Errorf("unknown command: %+v", r)
	}
}
