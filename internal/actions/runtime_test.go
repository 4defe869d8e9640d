package actions

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func newRuntime(t *testing.T) (*Runtime, *bytes.Buffer, map[string]string) {
	t.Helper()
	dir := t.TempDir()
	env := map[string]string{
		"GITHUB_OUTPUT":       filepath.Join(dir, "output"),
		"GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary"),
	}
	var log bytes.Buffer
	return New(&log, mapEnv(env)), &log, env
}

// parseOutputs reads an outputs file as the runner does: name<<DELIM
// heredocs or name=value lines.
func parseOutputs(t *testing.T, s string) map[string]string {
	t.Helper()
	out := map[string]string{}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		name, delim, ok := strings.Cut(lines[i], "<<")
		if !ok {
			k, v, _ := strings.Cut(lines[i], "=")
			out[k] = v
			continue
		}
		var val []string
		for i++; i < len(lines) && lines[i] != delim; i++ {
			val = append(val, lines[i])
		}
		if i == len(lines) {
			t.Fatalf("outputs: heredoc %q of %s not closed", delim, name)
		}
		out[name] = strings.Join(val, "\n")
	}
	return out
}

func TestSetOutputs(t *testing.T) {
	r, _, env := newRuntime(t)
	// A value from pull-request code that tries go-githubactions' fixed
	// delimiter and a fake second output.
	evil := "x\n_GitHubActionsFileCommandDelimeter_\nverdict<<EOF\npass\nEOF"
	if err := r.SetOutputs([2]string{"verdict", "regression"}, [2]string{"report-markdown", evil},
		[2]string{"Benchmark/size=1 µs", "3"}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(env["GITHUB_OUTPUT"])
	got := parseOutputs(t, string(b))
	want := map[string]string{"verdict": "regression", "report-markdown": evil, "Benchmark_size_1___s": "3"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("outputs: got %q; want %q", got, want)
	}
	if d := regexp.MustCompile(`<<(ghadelimiter_[0-9a-f]{32})\n`).FindAllStringSubmatch(string(b), -1); len(d) != 3 || d[0][1] == d[1][1] {
		t.Errorf("delimiters: got %q; want 3 distinct random ones", d)
	}
	r2 := New(&bytes.Buffer{}, mapEnv(nil))
	if err := r2.SetOutputs([2]string{"a", "b"}); err == nil || !strings.Contains(err.Error(), "GITHUB_OUTPUT") {
		t.Errorf("without GITHUB_OUTPUT: got %v; want an error naming it (not a panic)", err)
	}
}

func TestOutputName(t *testing.T) {
	for in, want := range map[string]string{"verdict": "verdict", "a b": "a_b", "9lives": "_9lives", "-x": "_-x",
		"a\nb<<EOF": "a_b__EOF", "": ""} {
		if got := OutputName(in); got != want {
			t.Errorf("OutputName(%q): got %q; want %q", in, got, want)
		}
	}
}

func TestWriteSummary(t *testing.T) {
	tests := []struct {
		name    string
		md      string
		wantCut bool
	}{
		{"small", "# ok\n", false},
		{"exactly the limit", strings.Repeat("a", MaxSummaryBytes), false},
		{"lines over the limit", strings.Repeat("| row | 1 |\n", MaxSummaryBytes/12+100), true},
		{"one multibyte line", strings.Repeat("é", MaxSummaryBytes), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _, env := newRuntime(t)
			if err := os.WriteFile(env["GITHUB_STEP_SUMMARY"], []byte("old content"), 0o644); err != nil {
				t.Fatal(err)
			}
			cut, err := r.WriteSummary(tt.md)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(env["GITHUB_STEP_SUMMARY"])
			if cut != tt.wantCut {
				t.Errorf("cut: got %v; want %v", cut, tt.wantCut)
			}
			if len(b) > MaxSummaryBytes || !utf8.Valid(b) {
				t.Errorf("summary: %d bytes, valid UTF-8 %v; want ≤ %d, valid", len(b), utf8.Valid(b), MaxSummaryBytes)
			}
			if tt.wantCut && !strings.Contains(string(b), "The summary was cut here") {
				t.Errorf("summary: no truncation note")
			}
			if !tt.wantCut && string(b) != tt.md {
				t.Errorf("summary: not replaced with the markdown")
			}
		})
	}
}

func TestAnnotate(t *testing.T) {
	r, log, _ := newRuntime(t)
	var anns []Annotation
	for i := range 12 {
		anns = append(anns, Annotation{Level: Error, File: "bench/x_test.go", Line: i + 1, Title: "Regression: x, y",
			Message: fmt.Sprintf("BenchmarkX/%d regressed by 12%%\nsecond line", i)})
	}
	anns = append(anns, Annotation{Level: Notice, Message: "::add-mask::not a command"},
		Annotation{Level: "bogus", File: "a.go", Line: 3, EndLine: 2, Col: 4, Message: "w"})
	r.Annotate(anns)
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if len(lines) != 12 {
		t.Fatalf("commands: got %d; want 10 errors (9 + 1 summary), 1 notice, 1 warning:\n%s", len(lines), log)
	}
	want := []string{
		"::error file=bench/x_test.go,line=1,title=Regression%3A x%2C y::BenchmarkX/0 regressed by 12%25%0Asecond line",
		"::error title=3 more errors::… and 3 more error annotations: GitHub shows 10 per level; see the job summary for all.",
		"::notice::::add-mask::not a command",
		"::warning file=a.go,line=3::w",
	}
	for _, w := range want {
		found := false
		for _, l := range lines {
			found = found || l == w
		}
		if !found {
			t.Errorf("missing command %q in:\n%s", w, log)
		}
	}
}

func TestUntrustedAndMask(t *testing.T) {
	r, log, _ := newRuntime(t)
	r.Mask("line1\nline2\n")
	var out bytes.Buffer
	if err := r.Untrusted(&out, "::add-mask::x\n::error::fake"); err != nil {
		t.Fatal(err)
	}
	got := log.String()
	if !strings.HasPrefix(got, "::add-mask::line1\n::add-mask::line2\n") {
		t.Errorf("mask: got %q", got)
	}
	m := regexp.MustCompile(`::stop-commands::([0-9a-f]{32})\n::([0-9a-f]{32})::\n$`).FindStringSubmatch(got)
	if m == nil || m[1] != m[2] {
		t.Fatalf("stop-commands: got %q; want a random token that resumes", got)
	}
	if out.String() != "::add-mask::x\n::error::fake\n" {
		t.Errorf("untrusted text: got %q", out.String())
	}
}
