package site

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/history"
	"github.com/benchgate/benchgate/internal/results"
)

// buildFixture builds the site of a 40-commit fixture into a test
// directory and returns it.
func buildFixture(tb testing.TB) (dir string, stats Stats) {
	tb.Helper()
	path, db := fixture(tb, 40)
	dir = filepath.Join(tb.TempDir(), "site")
	stats, err := Build(context.Background(), db, Options{Out: dir, Repo: "acme/models", Downloads: true, DBFile: path,
		Issues: map[string]string{commitID(25): "https://github.com/acme/models/issues/9"},
		Now:    func() time.Time { return t0.Add(100 * time.Hour) }})
	if err != nil {
		tb.Fatal(err)
	}
	return dir, stats
}

func readJSON(tb testing.TB, path string, v any) {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
}

func TestBuildFixture(t *testing.T) {
	dir, stats := buildFixture(t)
	if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(sqlAssets), "duckdb-eh.wasm")); err != nil {
		t.Errorf("a site with downloads lacks the SQL tab's DuckDB-WASM: %v", err)
	}
	var m struct {
		MainBranch  string
		Counts      struct{ Series, Runs, Errors int }
		Latest      struct{ Regressed int }
		Branches    []struct{ Name string }
		Regressions []struct {
			ID, Direction, Severity, Status, From, To, Issue, Environment string
			Open                                                          bool
			Change                                                        float64
			Series                                                        []string
		}
		Heatmaps []struct {
			Kind, Metric  string
			Rows, Columns []string
			Best          []int
		}
		Errors    []struct{ Type, Benchmark, Command string }
		Downloads []struct{ Name, Format, Path string }
	}
	readJSON(t, filepath.Join(dir, "data", "manifest.json"), &m)
	// 3 models × 2 batches × 2 hardware × 3 metrics.
	if m.Counts.Series != 36 || stats.Series != 36 {
		t.Errorf("series: manifest %d, stats %d, want 36", m.Counts.Series, stats.Series)
	}
	if m.MainBranch != "refs/heads/main" || len(m.Branches) != 2 || m.Branches[1].Name != "refs/pull/7/merge" {
		t.Errorf("branches: main %q, %+v", m.MainBranch, m.Branches)
	}
	slow := results.SeriesKey{Benchmark: "resnet50", Params: "batch_size=8", Metric: "latency", Hardware: "cuda", Device: "H100"}
	var reg *struct {
		ID, Direction, Severity, Status, From, To, Issue, Environment string
		Open                                                          bool
		Change                                                        float64
		Series                                                        []string
	}
	for i, r := range m.Regressions {
		if r.Direction == "regression" && slices.Contains(r.Series, SeriesID(slow)) {
			reg = &m.Regressions[i]
		}
	}
	if reg == nil {
		t.Fatalf("no regression holds %s: %+v", slow, m.Regressions)
	}
	if reg.To != commitID(25) || reg.From != commitID(24) || !reg.Open || reg.Issue != "https://github.com/acme/models/issues/9" {
		t.Errorf("regression %+v: want from %s to %s, open, with its issue", reg, commitID(24), commitID(25))
	}
	if c := math.Abs(reg.Change); c < 0.07 || c > 0.13 {
		t.Errorf("regression change %.3f, want about +10 %%", reg.Change)
	}
	if m.Latest.Regressed == 0 {
		t.Error("latest status counts no regressed series")
	}
	kinds := map[string]bool{}
	for _, h := range m.Heatmaps {
		kinds[h.Kind] = true
		if len(h.Columns) != 2 || len(h.Rows) != 6 {
			t.Errorf("heatmap %s %s: %d rows × %d columns, want 6 × 2", h.Kind, h.Metric, len(h.Rows), len(h.Columns))
		}
		for r, best := range h.Best {
			// The H100 is faster, has more throughput and the same memory.
			if h.Kind != "memory" && (best < 0 || h.Columns[best] != "cuda (H100)") {
				t.Errorf("heatmap %s row %s: best %d of %v, want cuda (H100)", h.Kind, h.Rows[r], best, h.Columns)
			}
		}
	}
	if !kinds["latency"] || !kinds["throughput"] || !kinds["memory"] {
		t.Errorf("heatmap kinds %v, want latency, throughput and memory", kinds)
	}
	if len(m.Errors) != 1 || m.Errors[0].Type != "oom" || m.Errors[0].Benchmark != "bert-base" || !strings.Contains(m.Errors[0].Command, "bench.py") {
		t.Errorf("errors %+v, want bert-base's oom with its command", m.Errors)
	}
	formats := map[string]int{}
	for _, d := range m.Downloads {
		formats[d.Format]++
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(d.Path))); err != nil {
			t.Errorf("download %s: %v", d.Path, err)
		}
	}
	if formats["parquet"] < 5 || formats["csv"] != formats["parquet"] || formats["duckdb"] != 1 {
		t.Errorf("downloads by format %v", formats)
	}

	var s struct {
		Benchmark, Unit string
		Branches        map[string]struct {
			Commit []int
			Value  []float64
			N      []int
		}
		Changes     []struct{ Commit, Direction, Regression string }
		Environment []struct{ Commit, What string }
	}
	readJSON(t, filepath.Join(dir, "data", "s", SeriesID(slow)+".json"), &s)
	main := s.Branches["refs/heads/main"]
	if len(main.Commit) != 40 || len(main.Value) != 40 || main.N[0] != 10 || len(s.Branches["refs/pull/7/merge"].Commit) != 2 {
		t.Errorf("series points: main %d, pr %d", len(main.Commit), len(s.Branches["refs/pull/7/merge"].Commit))
	}
	if len(s.Changes) != 1 || s.Changes[0].Commit != commitID(25) || s.Changes[0].Regression != reg.ID {
		t.Errorf("series changes %+v, want one at commit 25 in %s", s.Changes, reg.ID)
	}
	if len(s.Environment) != 1 || s.Environment[0].Commit != commitID(30) || s.Environment[0].What != "driver 535.104 → 550.54" {
		t.Errorf("environment changes %+v, want the driver change at commit 30", s.Environment)
	}
	var commits struct{ Commits []struct{ ID string } }
	readJSON(t, filepath.Join(dir, "data", "commits.json"), &commits)
	if got := commits.Commits[main.Commit[25]].ID; got != commitID(25) {
		t.Errorf("point 25's commit %s, want %s", got, commitID(25))
	}
	var cat struct {
		Series []struct{ ID, Benchmark, Status string }
	}
	readJSON(t, filepath.Join(dir, "data", "series.json"), &cat)
	found := false
	for _, e := range cat.Series {
		if e.Benchmark == hostile {
			found = true
		}
		if e.ID == SeriesID(slow) && e.Status != "regressed" {
			t.Errorf("catalogue status of %s: %q, want regressed", slow, e.Status)
		}
	}
	if !found {
		t.Error("the hostile benchmark name is not in the catalogue as written")
	}
}

// TestBuildChunks: a history longer than a series file holds is split
// into older chunks that, with the file, hold every point once.
func TestBuildChunks(t *testing.T) {
	defer func(n int) { chunkPoints = n }(chunkPoints)
	chunkPoints = 20
	_, db := fixture(t, 2*chunkPoints+7)
	dir := filepath.Join(t.TempDir(), "site")
	if _, err := Build(context.Background(), db, Options{Out: dir}); err != nil {
		t.Fatal(err)
	}
	// Without downloads there are no tables and no SQL tab: no DuckDB-WASM.
	if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(sqlAssets))); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a site without downloads holds %s (%v); want it left out", sqlAssets, err)
	}
	id := SeriesID(results.SeriesKey{Benchmark: "resnet50", Params: "batch_size=1", Metric: "latency", Hardware: "cpu", Device: "EPYC 9654"})
	var s struct {
		Branches map[string]struct{ Commit []int }
		Older    []struct {
			Path   string
			Points int
		}
	}
	readJSON(t, filepath.Join(dir, "data", "s", id+".json"), &s)
	all := []int{}
	for _, o := range s.Older {
		var c struct{ Main struct{ Commit []int } }
		readJSON(t, filepath.Join(dir, filepath.FromSlash(o.Path)), &c)
		if len(c.Main.Commit) != o.Points {
			t.Errorf("%s: %d points, listed as %d", o.Path, len(c.Main.Commit), o.Points)
		}
		all = append(all, c.Main.Commit...)
	}
	main := s.Branches["refs/heads/main"].Commit
	if len(main) != chunkPoints || len(s.Older) != 2 {
		t.Errorf("series file: %d points and %d older chunks, want %d and 2", len(main), len(s.Older), chunkPoints)
	}
	all = append(all, main...)
	if len(all) != 2*chunkPoints+7 || !slices.IsSorted(all) {
		t.Errorf("chunks and file hold %d points (sorted %v), want %d in order", len(all), slices.IsSorted(all), 2*chunkPoints+7)
	}
}

// TestBuildRefusesForeignDir: Build replaces its output directory, so one
// holding anything but a site is refused and left as it was.
func TestBuildRefusesForeignDir(t *testing.T) {
	_, db := fixture(t, 3)
	dir := t.TempDir()
	keep := filepath.Join(dir, "thesis.tex")
	if err := os.WriteFile(keep, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Build(context.Background(), db, Options{Out: dir})
	if err == nil || !strings.Contains(err.Error(), "holds no benchgate site") {
		t.Fatalf("Build into a foreign directory: %v", err)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("the foreign file is gone: %v", err)
	}
	// A site directory is replaced: a second build over the first works.
	site := filepath.Join(t.TempDir(), "site")
	for range 2 {
		if _, err := Build(context.Background(), db, Options{Out: site}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBuildAccepted: a range a maintainer accepted is shown accepted, not
// open, and its series are back to ok.
func TestBuildAccepted(t *testing.T) {
	_, db := fixture(t, 40)
	dir := filepath.Join(t.TempDir(), "site")
	if _, err := Build(context.Background(), db, Options{Out: dir, Accepted: map[string]string{commitID(25): "accepted in #9"}}); err != nil {
		t.Fatal(err)
	}
	var m struct {
		Latest      struct{ Regressed int }
		Regressions []struct {
			To, Status, Note string
			Open             bool
		}
	}
	readJSON(t, filepath.Join(dir, "data", "manifest.json"), &m)
	found := false
	for _, r := range m.Regressions {
		if r.To == commitID(25) {
			found = true
			if r.Status != "accepted" || r.Open || r.Note != "accepted in #9" {
				t.Errorf("the accepted range: %+v", r)
			}
		}
	}
	if !found || m.Latest.Regressed != 0 {
		t.Errorf("ranges %+v, %d regressed; want the accepted one and none regressed", m.Regressions, m.Latest.Regressed)
	}
}

// TestColumnsJSON checks columns' own encoding against encoding/json's of
// the same fields: NaN and infinities as null, six significant digits.
func TestColumnsJSON(t *testing.T) {
	type plain columns // the fields and tags, without the method
	for _, c := range []*columns{
		{Commit: []int{}, Value: []value{}, Low: []value{}, High: []value{}, N: []int{}},
		{Commit: []int{0, 7, 1234567}, Value: []value{1.5, value(math.NaN()), 123456789}, Low: []value{-0.000123456789, value(math.Inf(1)), 0},
			High: []value{1e-300, 2, value(math.Inf(-1))}, N: []int{10, 0, 3}},
	} {
		got, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal((*plain)(c))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("columns encode as\n%s\nwant\n%s", got, want)
		}
	}
}

// TestWriteData checks the report's streamed data against json.Marshal of
// the same files, the encoding it replaces: keys in order, <, > and &
// escaped, so that a file holding "</script>" cannot end the element.
func TestWriteData(t *testing.T) {
	files := map[string]json.RawMessage{}
	for i, v := range []any{
		map[string]any{"name": "</script><script>alert(1)</script>", "x": 1.5},
		[]string{"a & b", "<b>", "\u2028"},
		map[string]any{},
	} {
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		files[fmt.Sprintf("data/s/<%d>.json", 2-i)] = data
	}
	// Not as json.Marshal writes it: a literal "</script>" in a string.
	files["data/raw.json"] = json.RawMessage(`{"s":"</script><b>&"}`)
	var got strings.Builder
	writeData(&got, files)
	want, err := json.Marshal(files)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		t.Errorf("writeData wrote\n%s\nwant\n%s", got.String(), want)
	}
	if strings.Contains(got.String(), "</script") {
		t.Errorf("writeData wrote %q, which ends a script element", got.String())
	}
}

// TestBuildGivenAnalysis checks that a site built from the caller's
// analysis of the main branch (Options.Analysis, as the bot's sync gives
// it) is the site Build makes analysing the store itself, file for file.
func TestBuildGivenAnalysis(t *testing.T) {
	_, db := fixture(t, 40)
	o := Options{Repo: "acme/models", Now: func() time.Time { return t0.Add(100 * time.Hour) }}
	build := func(o Options) map[string]string {
		t.Helper()
		o.Out = filepath.Join(t.TempDir(), "site")
		if _, err := Build(context.Background(), db, o); err != nil {
			t.Fatal(err)
		}
		files := map[string]string{}
		err := filepath.WalkDir(filepath.Join(o.Out, "data"), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			rel, _ := filepath.Rel(o.Out, p)
			files[rel] = string(data)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return files
	}
	want := build(o)
	a, err := history.Analyze(context.Background(), db, o.MainOptions())
	if err != nil {
		t.Fatal(err)
	}
	o.Analysis = a
	got := build(o)
	if len(got) != len(want) || len(want) < 10 {
		t.Fatalf("given the analysis: %d data files; analysing: %d", len(got), len(want))
	}
	for p, w := range want {
		if got[p] != w {
			t.Errorf("%s differs when the analysis is given", p)
		}
	}
	// And the analysis given is the one used: given an empty one, the
	// site has no change points.
	o.Analysis = &history.Analysis{}
	if m := build(o)[filepath.Join("data", "manifest.json")]; m == want[filepath.Join("data", "manifest.json")] || !strings.Contains(m, `"changes":[]`) {
		t.Errorf("given an empty analysis, the manifest is the analysed one's or lists change points")
	}
}
