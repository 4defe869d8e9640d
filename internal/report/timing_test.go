package report

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/store"
)

// TestLoadTimingCountsOmitted checks that a --days window says how many
// older runs and results it leaves out, and that 0 leaves out nothing.
func TestLoadTimingCountsOmitted(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "bench.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	for i, age := range []time.Duration{400 * 24 * time.Hour, 40 * 24 * time.Hour, 24 * time.Hour} {
		run := store.Run{ID: string(rune('a' + i)), Attempt: 1, Commit: strings.Repeat("ab", 20), CreatedAt: now.Add(-age)}
		if _, err := db.Ingest(ctx, run, []results.Result{goResult("BenchmarkA", 1e-6), goResult("BenchmarkB", 2e-6)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		days                   int
		runs, omitted, results int
		note                   string
	}{
		{30, 1, 2, 4, "2 runs (4 results) older than 30 days are left out; use --days 0 for all."},
		{60, 2, 1, 2, "1 run (2 results) older than 60 days is left out; use --days 0 for all."},
		{0, 3, 0, 0, ""},
	} {
		tm, err := LoadTiming(ctx, db, tc.days, nil, now)
		if err != nil {
			t.Fatal(err)
		}
		if len(tm.Runs) != tc.runs || tm.OmittedRuns != tc.omitted || tm.OmittedResults != tc.results || tm.Omitted() != tc.note {
			t.Errorf("--days %d: %d runs, %d omitted (%d results), note %q; want %d, %d (%d), %q",
				tc.days, len(tm.Runs), tm.OmittedRuns, tm.OmittedResults, tm.Omitted(), tc.runs, tc.omitted, tc.results, tc.note)
		}
	}
}

// TestTimingSaysWhatItOmits checks every format says what the window left
// out and how to include it.
func TestTimingSaysWhatItOmits(t *testing.T) {
	tm := testTiming()
	tm.OmittedRuns, tm.OmittedResults = 12, 340
	const note = "12 runs (340 results) older than 30 days are left out; use --days 0 for all."
	var md, js bytes.Buffer
	if err := TimingMarkdown(&md, tm); err != nil {
		t.Fatal(err)
	}
	if want := "> **Note:** " + EscapeMarkdown(note) + "\n"; !strings.Contains(md.String(), want) {
		t.Errorf("Markdown report lacks %q:\n%s", want, md.String())
	}
	if err := TimingJSON(&js, tm); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Days    int `json:"days"`
		Omitted struct {
			Runs    int    `json:"runs"`
			Results int    `json:"results"`
			Note    string `json:"note"`
		} `json:"omitted"`
	}
	if err := json.Unmarshal(js.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Days != 30 || got.Omitted.Runs != 12 || got.Omitted.Results != 340 || got.Omitted.Note != note {
		t.Errorf("JSON days %d, omitted %+v; want 30, 12 runs, 340 results, %q", got.Days, got.Omitted, note)
	}

	tm.OmittedRuns, tm.OmittedResults = 0, 0
	md.Reset()
	if err := TimingMarkdown(&md, tm); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(md.String(), "Note:") {
		t.Error("a report that left nothing out has a note")
	}
}
