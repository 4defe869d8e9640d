package report

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/benchgate/benchgate/gate"
	"github.com/benchgate/benchgate/internal/comparison"
	"github.com/benchgate/benchgate/internal/results"
)

// withSamples returns goResult(name, center) with vals as its samples.
func withSamples(name string, vals []float64) results.Result {
	r := goResult(name, 1)
	r.Metrics[0].Samples = vals
	return r
}

func compareFor(base, head []results.Result, failOn comparison.FailOn) *comparison.Comparison {
	return comparison.Compare(base, head,
		comparison.Side{Label: "main", RunID: "41#1", Commit: strings.Repeat("a", 40), Ref: "refs/heads/main"},
		comparison.Side{Label: "pull request", RunID: "42#1", Commit: strings.Repeat("b", 40)},
		func(results.SeriesKey) gate.Policy { return gate.DefaultPolicy }, comparison.WithFailOn(failOn))
}

func commentCases() map[string]CommentInput {
	base := []results.Result{goResult("BenchmarkParse", 100e-9), goResult("BenchmarkWordCount", 2e-6), goResult("BenchmarkHash", 50e-9)}
	slow := []results.Result{goResult("BenchmarkParse", 100e-9), goResult("BenchmarkWordCount", 3e-6), goResult("BenchmarkHash", 50e-9)}
	fast := []results.Result{goResult("BenchmarkParse", 70e-9), goResult("BenchmarkWordCount", 2e-6), goResult("BenchmarkHash", 50e-9)}
	noisyBase := []results.Result{withSamples("BenchmarkNoisy", []float64{100e-9, 180e-9, 90e-9})}
	noisyHead := []results.Result{withSamples("BenchmarkNoisy", []float64{130e-9, 95e-9, 210e-9})}
	baseline := "baseline: run 41#1 of commit aaaaaaaaaa, the merge-base; commit 2 h old, run measured 2 h ago"
	chart := Chart{Key: results.SeriesKey{Benchmark: "BenchmarkWordCount", Params: "pkg=example.com/p,procs=8", Metric: "sec/op", Hardware: "cpu", Device: "Test CPU"},
		Unit: "sec/op", Labels: []string{"1111111", "2222222", "3333333", "bbbbbbb"}, Values: []float64{2e-6, 2.01e-6, 1.99e-6, 3e-6}}
	// Many regressed series with long, hostile names: cut to the limit.
	var bigBase, bigHead []results.Result
	for i := range 400 {
		name := fmt.Sprintf("BenchmarkGenerated/%s/%03d/%s", strings.Repeat("x", 80), i, hostile)
		bigBase = append(bigBase, goResult(name, 1e-6))
		bigHead = append(bigHead, goResult(name, 1.5e-6))
	}
	return map[string]CommentInput{
		"regression": {Suite: "go", Outcome: comparison.OutcomeOf(compareFor(base, slow, comparison.FailMajor)), Baseline: baseline,
			Charts: []Chart{chart}, Environment: []EnvChange{{Name: "runner", Base: "gpu-1", Head: "gpu-2"}},
			HeadSHA: strings.Repeat("b", 40), ReportURL: "https://github.com/octo/bench/actions/runs/42"},
		"improvement":  {Suite: "go", Outcome: comparison.OutcomeOf(compareFor(base, fast, comparison.FailMajor)), Baseline: baseline},
		"nochange":     {Suite: "go", Outcome: comparison.OutcomeOf(compareFor(base, base, comparison.FailMajor)), Baseline: baseline},
		"inconclusive": {Suite: "go", Outcome: comparison.OutcomeOf(compareFor(noisyBase, noisyHead, comparison.FailMajor)), Baseline: baseline},
		"truncated": {Suite: "go", Outcome: comparison.OutcomeOf(compareFor(bigBase, bigHead, comparison.FailMajor)), Baseline: baseline,
			ReportURL: "https://github.com/octo/bench/actions/runs/42"},
		"fork": {Suite: "go", Outcome: comparison.OutcomeOf(compareFor(base, slow, comparison.FailNever)), Baseline: baseline, Fork: true,
			HeadSHA: strings.Repeat("c", 40)},
		"nobaseline": {Suite: "go", Outcome: comparison.Decide(nil, nil, "the data branch benchgate-data does not exist yet", comparison.FailMajor),
			HeadSHA: strings.Repeat("d", 40)},
	}
}

// TestCommentGolden renders the comment for each case and compares it with
// testdata/comment/<case>.md (go test -run TestCommentGolden -update
// rewrites them).
func TestCommentGolden(t *testing.T) {
	for name, in := range commentCases() {
		t.Run(name, func(t *testing.T) {
			got := Comment(in)
			golden(t, "comment/"+name+".md", []byte(got))
			if n := utf8.RuneCountInString(got); n > MaxCommentChars {
				t.Errorf("length: got %d characters; want at most %d", n, MaxCommentChars)
			}
		})
	}
}

// TestCommentContent checks what each case must say, independently of the
// golden files.
func TestCommentContent(t *testing.T) {
	cases := commentCases()
	tests := []struct {
		name       string
		want, not  []string
		wantCut    bool
		wantHeader string
	}{
		{name: "regression", wantHeader: "### ❌ benchgate · go — FAIL: 1 regression",
			want: []string{"#### Regressions (1)", "BenchmarkWordCount", "+50.0%", "xychart-beta", "line [2e-06, 2.01e-06, 1.99e-06, 3e-06]",
				"<details><summary>2 unchanged series</summary>", "**Baseline:** baseline: run 41", "The environment changed", "`gpu-1` → `gpu-2`"},
			not: []string{"Improvements"}},
		{name: "improvement", wantHeader: "### ✅ benchgate · go — PASS: 1 improvement", want: []string{"#### Improvements (1)", "BenchmarkParse", "-30.0%", "No regression."},
			not: []string{"Regressions (", "xychart"}},
		{name: "nochange", wantHeader: "### ✅ benchgate · go — PASS: 3 unchanged series", want: []string{"No significant change", "<details><summary>3 unchanged series</summary>"}},
		{name: "inconclusive", wantHeader: "### ✅ benchgate · go — PASS: 1 inconclusive series", want: []string{"#### Inconclusive (1)", "BenchmarkNoisy"}},
		{name: "truncated", wantHeader: "### ❌ benchgate · go — FAIL: 400 regressions", wantCut: true,
			want: []string{"more rows cut", "[the job summary of this run](https://github.com/octo/bench/actions/runs/42)"},
			not:  []string{"<script>", "@octocat", "[x](https://evil.example)"}},
		{name: "fork", wantHeader: "### ⚠️ benchgate · go — PASS: 1 regression", want: []string{"comes from a fork", "`cccccccccccc`", "below `fail-on: never`"}},
		{name: "nobaseline", wantHeader: "### ℹ️ benchgate · go — no baseline to compare with", want: []string{"does not exist yet", "`dddddddddddd`"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Comment(cases[tt.name])
			if !strings.HasPrefix(got, tt.wantHeader) {
				t.Errorf("header: got %q; want prefix %q", strings.SplitN(got, "\n", 2)[0], tt.wantHeader)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("comment lacks %q:\n%s", w, head(got, 3000))
				}
			}
			for _, w := range tt.not {
				if strings.Contains(got, w) {
					t.Errorf("comment contains %q", w)
				}
			}
			if cut := strings.Contains(got, "This comment was cut"); cut != tt.wantCut {
				t.Errorf("cut: got %v; want %v", cut, tt.wantCut)
			}
		})
	}
}

// TestCommentCutKeepsStructure checks that a cut comment still closes its
// <details> and code fences, at several limits.
func TestCommentCutKeepsStructure(t *testing.T) {
	in := commentCases()["regression"]
	for _, limit := range []int{300, 700, 1200, 2000} {
		in.MaxChars = limit
		got := Comment(in)
		if n := utf8.RuneCountInString(got); n > limit {
			t.Errorf("limit %d: got %d characters", limit, n)
		}
		if o, c := strings.Count(got, "<details"), strings.Count(got, "</details>"); o != c {
			t.Errorf("limit %d: %d <details> but %d </details>:\n%s", limit, o, c, got)
		}
		if n := strings.Count(got, "```"); n%2 != 0 {
			t.Errorf("limit %d: unbalanced code fences:\n%s", limit, got)
		}
	}
}

// TestMermaidText checks that untrusted names cannot leave a Mermaid string
// or show a scheme.
func TestMermaidText(t *testing.T) {
	got := MermaidText(`a"b%%{init}%%` + "\n`x`µs http://e")
	if want := "a_b___init_____x_us http_//e"; got != want {
		t.Errorf("got %q; want %q", got, want)
	}
}

func head(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
