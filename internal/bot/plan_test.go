package bot

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/benchgate/benchgate/internal/history"
)

var opts = Options{Repo: "acme/widgets", Now: t0}

// openOne plans against no issues and checks for one open action.
func openOne(t *testing.T, a *history.Analysis) Plan {
	t.Helper()
	p := NewPlan(a, nil, opts)
	if got := kinds(p); !slices.Equal(got, []Kind{KindOpen}) {
		for _, g := range a.Groups {
			t.Logf("group %s..%s: %d members, confirmed %v", g.PreviousCommit[:12], g.Commit[:12], len(g.Members), g.Confirmed)
		}
		t.Fatalf("actions %v; want one open", got)
	}
	return p
}

func TestOpenThenNothing(t *testing.T) {
	a := analysis(t, 40, twoSteps())
	p := openOne(t, a)
	o := p.Actions[0]
	for _, want := range []string{"BenchmarkA", "BenchmarkB", commitID(24), commitID(25),
		"https://github.com/acme/widgets/compare/" + commitID(24) + "..." + commitID(25), "xychart-beta",
		"benchgate changes --since " + commitID(24)[:12], "benchgate history --benchmark 'BenchmarkA'", "+10.", "major", "confirmed"} {
		if !strings.Contains(o.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, o.Body)
		}
	}
	if strings.Contains(o.Body, "BenchmarkC") {
		t.Errorf("body names a noise series:\n%s", o.Body)
	}
	if !strings.HasPrefix(o.Title, "Regression: 2 series +10") || !strings.HasSuffix(o.Title, "at "+commitID(25)[:12]+" (cpu, EPYC)") {
		t.Errorf("title %q", o.Title)
	}
	if !slices.Equal(o.Labels, []string{LabelBot, LabelRegression}) {
		t.Errorf("labels %v", o.Labels)
	}
	m, ok := ParseMarker(o.Body)
	if !ok || m.Bad != commitID(25) || m.Good != commitID(24) || len(m.Series) != 2 || m.Fingerprint != Fingerprint(mainRef, commitID(25)) {
		t.Errorf("marker %+v, %v", m, ok)
	}
	if p2 := NewPlan(a, existingFrom(p), opts); len(p2.Actions) != 0 {
		t.Errorf("second plan %v; want none", kinds(p2))
	}
	var tbl, js bytes.Buffer
	if err := p.WriteTable(&tbl); err != nil || !strings.Contains(tbl.String(), "open    new") {
		t.Errorf("table %v:\n%s", err, tbl.String())
	}
	var back Plan
	if err := p.WriteJSON(&js); err != nil || json.Unmarshal(js.Bytes(), &back) != nil || back.Actions[0].Kind != KindOpen {
		t.Errorf("json %v:\n%s", err, js.String())
	}
}

func TestFirmUpUpdatesQuietly(t *testing.T) {
	p := openOne(t, analysis(t, 34, twoSteps()))
	p2 := NewPlan(analysis(t, 40, twoSteps()), existingFrom(p), opts)
	if got := kinds(p2); !slices.Equal(got, []Kind{KindUpdate}) {
		t.Fatalf("actions %v; want update", got)
	}
	if p2.Actions[0].Issue != 100 {
		t.Errorf("updates #%d; want #100", p2.Actions[0].Issue)
	}
}

func TestSeriesJoinsComments(t *testing.T) {
	p := openOne(t, analysis(t, 40, twoSteps()))
	specs := twoSteps()
	specs[2].stepAt, specs[2].step = 25, 0.10
	p2 := NewPlan(analysis(t, 40, specs), existingFrom(p), opts)
	if got := kinds(p2); !slices.Equal(got, []Kind{KindUpdate, KindComment}) {
		t.Fatalf("actions %v; want update, comment", got)
	}
	if c := p2.Actions[1].Comment; !strings.Contains(c, "BenchmarkC") || strings.Contains(c, "BenchmarkA") {
		t.Errorf("comment %q; want BenchmarkC joined", c)
	}
	if !strings.Contains(p2.Actions[0].Body, "BenchmarkC") {
		t.Errorf("updated body lacks BenchmarkC")
	}
}

// recovering is twoSteps with both steps undone at commit 35.
func recovering() []spec {
	s := twoSteps()
	for i := range 2 {
		s[i].back, s[i].backStep = 35, 1/1.1-1
	}
	return s
}

func TestRecoveryCloses(t *testing.T) {
	p := openOne(t, analysis(t, 40, twoSteps()))
	existing := existingFrom(p)
	a := analysis(t, 50, recovering())
	p2 := NewPlan(a, existing, opts)
	if got := kinds(p2); !slices.Equal(got, []Kind{KindClose}) {
		t.Fatalf("actions %v; want close", got)
	}
	c := p2.Actions[0]
	if c.Issue != 100 || c.StateReason != "completed" || !strings.Contains(c.Comment, commitID(35)[:12]) || !strings.Contains(c.Comment, "Net effect") {
		t.Errorf("close %+v", c)
	}
	m, _ := ParseMarker(c.Body)
	if m.Resolved != commitID(35) {
		t.Errorf("marker resolved %q; want commit 35", m.Resolved)
	}
	// Closed: a second plan leaves it alone; regressing again reopens it.
	closed := Issue{Number: 100, Title: existing[0].Title, Body: c.Body, State: "closed", StateReason: "completed", Labels: existing[0].Labels, CreatedAt: t0}
	if p3 := NewPlan(a, []Issue{closed}, opts); len(p3.Actions) != 0 {
		t.Errorf("plan on the closed issue: %v; want none", kinds(p3))
	}
	p4 := NewPlan(analysis(t, 40, twoSteps()), []Issue{closed}, opts)
	if got := kinds(p4); !slices.Equal(got, []Kind{KindReopen}) || p4.Actions[0].Issue != 100 {
		t.Fatalf("actions %v; want reopen #100", got)
	}
	if m, _ := ParseMarker(p4.Actions[0].Body); m.Resolved != "" {
		t.Errorf("reopened marker still resolved at %s", m.Resolved)
	}
	// Acknowledged: never closed, never commented.
	acked := existing[0]
	acked.Labels = append(slices.Clone(acked.Labels), LabelAck)
	if got := kinds(NewPlan(a, []Issue{acked}, opts)); !slices.Equal(got, []Kind{KindUpdate}) {
		t.Errorf("acknowledged issue: %v; want update only", got)
	}
}

func TestMaintainerClosedNeverRefiled(t *testing.T) {
	a := analysis(t, 40, twoSteps())
	p := openOne(t, a)
	for _, l := range []string{LabelAccepted, LabelInvalid} {
		is := existingFrom(p)[0]
		is.State, is.StateReason, is.Labels = "closed", "completed", append(is.Labels, l)
		if l == LabelInvalid {
			is.StateReason = "not_planned"
		}
		if got := kinds(NewPlan(a, []Issue{is}, opts)); len(got) != 0 {
			t.Errorf("%s: %v; want none", l, got)
		}
	}
}

func TestDuplicateClosed(t *testing.T) {
	a := analysis(t, 40, twoSteps())
	p := openOne(t, a)
	is := existingFrom(p)[0]
	younger := is
	younger.Number, younger.CreatedAt = 101, is.CreatedAt.Add(1)
	p2 := NewPlan(a, []Issue{younger, is}, opts)
	if got := kinds(p2); !slices.Equal(got, []Kind{KindClose}) {
		t.Fatalf("actions %v; want close", got)
	}
	if c := p2.Actions[0]; c.Issue != 101 || !strings.Contains(c.Comment, "Duplicate of #100") {
		t.Errorf("close %+v; want #101 as a duplicate of #100", c)
	}
}

func TestBudgetDigest(t *testing.T) {
	specs := []spec{
		{name: "BenchmarkA", stepAt: 10, step: 0.10}, {name: "BenchmarkB", stepAt: 20, step: 0.10},
		{name: "BenchmarkC", stepAt: 30, step: 0.10}, {name: "BenchmarkD"},
	}
	a := analysis(t, 42, specs)
	o := opts
	o.MaxNew = 1
	p := NewPlan(a, nil, o)
	if got := kinds(p); !slices.Equal(got, []Kind{KindOpen, KindDigest}) {
		t.Fatalf("actions %v; want open, digest", got)
	}
	d := p.Actions[1]
	if !slices.Contains(d.Labels, LabelDigest) || !strings.Contains(d.Title, "2 regression ranges") || !strings.Contains(d.Body, commitID(20)[:12]) {
		t.Errorf("digest %+v", d)
	}
	// Applied: the next plan opens one more and updates the digest in place.
	p2 := NewPlan(a, existingFrom(p), o)
	if got := kinds(p2); !slices.Equal(got, []Kind{KindOpen, KindDigest}) || p2.Actions[1].Issue != 101 {
		t.Fatalf("second plan %v (digest #%d); want open, digest #101", got, p2.Actions[1].Issue)
	}
}

func TestEnvironmentChangeFilesInfra(t *testing.T) {
	specs := twoSteps()
	for i := range specs {
		specs[i].driverFrom = 25
	}
	o := openOne(t, analysis(t, 40, specs)).Actions[0]
	if !slices.Equal(o.Labels, []string{LabelBot, LabelInfra}) || !strings.HasPrefix(o.Title, "Infrastructure change") ||
		!strings.Contains(o.Body, "driver d1 → d2") {
		t.Errorf("labels %v, title %q, body:\n%s", o.Labels, o.Title, o.Body)
	}
}

const evil = "@octocat <img src=x> | [x](http://e) `"

func TestEscaping(t *testing.T) {
	specs := []spec{{name: evil, stepAt: 25, step: 0.10}, {name: "BenchmarkD"}}
	o := openOne(t, analysis(t, 40, specs)).Actions[0]
	md, code, _ := strings.Cut(o.Body, "### Reproduce")
	if want := `@&#8288;octocat &lt;img src=x&gt; \| \[x\]\(http:&#8288;//e\) \` + "`"; !strings.Contains(md, want) {
		t.Errorf("body lacks %q:\n%s", want, md)
	}
	for _, bad := range []string{"@octocat", "<img", "](http", "http://e"} {
		if strings.Contains(md, bad) {
			t.Errorf("body holds %q:\n%s", bad, md)
		}
	}
	if !strings.Contains(md, `title "_octocat _img src=x_ _ _x__http_//e_ _`) {
		t.Errorf("mermaid title not sanitised:\n%s", md)
	}
	if !strings.Contains(code, "```sh\nbenchgate changes") || !strings.Contains(code, "--benchmark '"+evil+"'") {
		t.Errorf("commands:\n%s", code)
	}
	if strings.Contains(o.Title, "@octocat") {
		t.Errorf("title %q mentions", o.Title)
	}
}

func TestBodyLimit(t *testing.T) {
	a := analysis(t, 40, []spec{{name: "BenchmarkA", stepAt: 25, step: 0.10}})
	g := &a.Groups[0]
	m := g.Members[0]
	for i := range 499 {
		s := *m.Series
		s.Key.Benchmark = strings.Repeat("BenchmarkWithALongName/", 4) + strings.Repeat("x", i%7) + "/" + commitID(i)
		g.Members = append(g.Members, history.Member{Series: &s, Change: m.Change})
	}
	b := NewPlan(a, nil, opts).Actions[0].Body
	if len(b) > MaxBody || !strings.Contains(b, "Charts left out") || !strings.Contains(b, "more series not shown") {
		t.Errorf("body of %d bytes; want ≤ %d, charts and rows dropped with notes", len(b), MaxBody)
	}
	if mk, ok := ParseMarker(b); !ok || len(mk.Series) != 500 {
		t.Errorf("marker lost series: %d", len(mk.Series))
	}
}
