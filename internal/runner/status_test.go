package runner

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// TestStatusEncode checks that the status assembled from runs encoded one
// by one is the bytes json.MarshalIndent writes for the whole status, and
// that it reads back.
func TestStatusEncode(t *testing.T) {
	runs := []StatusRun{
		{Job: "a", Repetition: 1, Command: "x", Status: "success", ElapsedSec: 0.5, Attempts: 1, Output: "/o/a-r1.json",
			Resources: &ResourceSummary{}},
		{Job: "a", Repetition: 2, Command: "x", Status: "failed", ErrorType: "execution", Message: "exit 1 \"q\" <\n>", Attempts: 2, Retried: "oom: killed"},
		{Job: "b", Repetition: 1, Command: "y", Status: "success", Attempts: 1, Resumed: true},
	}
	for _, tc := range []struct {
		name    string
		runs    []StatusRun
		skipped []Skipped
	}{
		{"empty", nil, nil},
		{"one", runs[:1], nil},
		{"runs and skipped", runs, []Skipped{{Job: "c", Reason: "rocm: none"}, {Job: "d", Reason: "qnn: none"}}},
		{"skipped only", nil, []Skipped{{Job: "c", Reason: "rocm: none"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			start := time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)
			w := newStatusWriter(dir, Status{RunID: "r", Suite: "s", StartedAt: start, State: "running", Total: 5, Skipped: tc.skipped})
			for _, sr := range tc.runs {
				if err := w.add(sr); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.end("finished"); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(filepath.Join(dir, StatusLatest))
			if err != nil {
				t.Fatal(err)
			}
			whole := w.st
			whole.Runs = tc.runs
			if whole.Runs == nil {
				whole.Runs = []StatusRun{}
			}
			want, _ := json.MarshalIndent(whole, "", "  ")
			want = append(want, '\n')
			if !bytes.Equal(got, want) {
				t.Errorf("status file:\n%s\nwant (json.MarshalIndent):\n%s", got, want)
			}
			st, err := ReadStatus(filepath.Join(dir, StatusLatest))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(st.Runs, whole.Runs) || st.Completed+st.Failed != len(tc.runs) || st.Remaining != 5-len(tc.runs) {
				t.Errorf("read back: got %+v", st)
			}
		})
	}
}

// TestStatusWriteDue checks that a run is written at once when writes are
// cheap next to the time between runs, and that one coming sooner than
// statusGap write costs after the last write waits for a later write.
func TestStatusWriteDue(t *testing.T) {
	dir := t.TempDir()
	w := newStatusWriter(dir, Status{StartedAt: time.Now(), State: "running", Total: 3})
	if err := w.write(); err != nil {
		t.Fatal(err)
	}
	read := func() int {
		st, err := LatestStatus(dir)
		if err != nil {
			t.Fatal(err)
		}
		return len(st.Runs)
	}
	w.last = time.Now().Add(-time.Hour) // a long run since the last write
	if err := w.add(StatusRun{Job: "a", Repetition: 1, Status: "success"}); err != nil || read() != 1 {
		t.Fatalf("after a long run: %d runs written (%v); want 1", read(), err)
	}
	w.cost = time.Hour // the last write was slow: the next one waits
	if err := w.add(StatusRun{Job: "a", Repetition: 2, Status: "success"}); err != nil || read() != 1 {
		t.Fatalf("right after a slow write: %d runs written (%v); want 1", read(), err)
	}
	if err := w.end("finished"); err != nil || read() != 2 {
		t.Fatalf("at the end: %d runs written (%v); want 2", read(), err)
	}
}
