package runner

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Status file names: StatusLatest is rewritten by every run, a
// StatusPrefix+timestamp+".json" file belongs to one Run call.
const (
	StatusLatest = "benchmark_status_latest.json"
	StatusPrefix = "benchmark_status_"
)

// Status is the content of the status files: what a Run call has done so
// far. It is written at the start, after runs (after every run unless runs
// come faster than the files can be rewritten; see statusWriter) and at the
// end, atomically (a reader sees the old or the new file, never a part; see
// replaceFile), to Options.StatusDir.
type Status struct {
	RunID     string    `json:"run_id,omitempty"`
	Suite     string    `json:"suite,omitempty"`
	StartedAt time.Time `json:"started_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// State is "running", "finished" or "interrupted" (ctx ended).
	State string `json:"state"`
	// Total counts the runs planned (jobs × repetitions, resumed ones
	// included); Completed the successful ones, Failed the failed ones.
	Total     int `json:"total"`
	Completed int `json:"completed"`
	Failed    int `json:"failed"`
	Remaining int `json:"remaining"`
	// Runs lists every run done, in order.
	Runs []StatusRun `json:"runs"`
	// Skipped lists the jobs not run, with the reason (unavailable hardware).
	Skipped []Skipped `json:"skipped,omitempty"`
}

// StatusRun is one run of one job.
type StatusRun struct {
	Job        string  `json:"job"`
	Repetition int     `json:"repetition"`
	Command    string  `json:"command"`
	Status     string  `json:"status"` // "success" or "failed"
	ErrorType  string  `json:"error_type,omitempty"`
	Message    string  `json:"message,omitempty"`
	ElapsedSec float64 `json:"elapsed_sec"`
	// Attempts is 2 when a transient failure was retried.
	Attempts int `json:"attempts"`
	// Retried is the first attempt's failure when there was a retry.
	Retried string `json:"retried,omitempty"`
	// Output is the file holding the benchmark's result (its {output}
	// file or its saved stdout), which --resume parses again.
	Output string `json:"output,omitempty"`
	// Resources are the monitor's summary, which --resume applies again.
	Resources *ResourceSummary `json:"resources,omitempty"`
	Resumed   bool             `json:"resumed,omitempty"`
}

// Skipped is a job that was not run, and why.
type Skipped struct {
	Job    string `json:"job"`
	Reason string `json:"reason"`
}

// ReadStatus reads a status file.
func ReadStatus(path string) (*Status, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading status file: %w", err)
	}
	var st Status
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("status file %s: %w", path, err)
	}
	return &st, nil
}

// statusWriter keeps the status of one Run call and writes it.
//
// Note: the status grows by one run per repetition, so re-encoding all of
// it and writing it after every run costs O(runs²) over a Run call (1,920
// repetitions of /bin/true took 6.7× the time of 480; issue 13). Two things
// keep the cost per run constant (BenchmarkRunRepetitions): each run is
// encoded once, when it is added, and a file is assembled from those
// pieces; and after a run the files are rewritten only when the time since
// the last write is at least statusGap times what that write cost, so that
// writing takes at most about 1/statusGap of the runner's time however long
// the status gets. A benchmark that runs for more than a few milliseconds
// still gets a write after every run; a crash between two writes loses at
// most the runs of the last gap, which --resume then runs again. The start,
// the end and an interruption are always written.
type statusWriter struct {
	dir   string
	stamp string // timestamp part of this call's file name
	st    Status // the header: st.Runs stays nil, the runs are in runs
	// runs holds the runs added so far, each encoded as the element of
	// "runs" that json.MarshalIndent(st, "", "  ") would write, joined
	// with the separator it would write.
	runs    []byte
	skipped []byte        // st.Skipped, encoded once
	last    time.Time     // when the files were last written
	cost    time.Duration // what that write took
}

// statusGap is the least ratio of the time between two status writes after
// a run to the time one write takes.
//
// Note: writing then takes at most 1/(statusGap+1) of a long suite's time
// and less of a short one's, so it bounds how much more than 4× the time
// 1,920 repetitions take next to 480 (issue 13 allows 4.2×). At 20 that
// bound, 4.8 %, put the ratio at 4.0–4.2 on a quiet machine and over it on
// a loaded one (BenchmarkRunRepetitions: 4.23); at 50 it is 2 %. A crash
// then loses at most 50 writes' time of runs, which --resume runs again.
const statusGap = 50

// newStatusWriter returns a writer for dir, or nil when dir is "".
func newStatusWriter(dir string, st Status) *statusWriter {
	if dir == "" {
		return nil
	}
	return &statusWriter{dir: dir, stamp: st.StartedAt.UTC().Format("20060102_150405.000000"), st: st}
}

// encode returns the status as json.MarshalIndent(st, "", "  ") encodes it,
// with its runs, followed by a newline.
func (w *statusWriter) encode() ([]byte, error) {
	// The embedding struct's empty Runs and Skipped shadow Status's, so
	// that head is the status without them.
	head, err := json.MarshalIndent(struct {
		*Status
		Runs    json.RawMessage `json:"runs,omitempty"`
		Skipped json.RawMessage `json:"skipped,omitempty"`
	}{Status: &w.st}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding status: %w", err)
	}
	if w.skipped == nil && len(w.st.Skipped) > 0 {
		if w.skipped, err = json.MarshalIndent(w.st.Skipped, "  ", "  "); err != nil {
			return nil, fmt.Errorf("encoding status: %w", err)
		}
	}
	b := make([]byte, 0, len(head)+len(w.runs)+len(w.skipped)+64)
	b = append(b, head[:len(head)-len("\n}")]...)
	if len(w.runs) == 0 {
		b = append(b, ",\n  \"runs\": []"...)
	} else {
		b = append(b, ",\n  \"runs\": [\n    "...)
		b = append(b, w.runs...)
		b = append(b, "\n  ]"...)
	}
	if len(w.skipped) > 0 {
		b = append(b, ",\n  \"skipped\": "...)
		b = append(b, w.skipped...)
	}
	return append(b, "\n}\n"...), nil
}

// write writes the status to both files, atomically each.
func (w *statusWriter) write() error {
	if w == nil {
		return nil
	}
	start := time.Now()
	w.st.UpdatedAt = start.UTC()
	w.st.Remaining = max(0, w.st.Total-w.st.Completed-w.st.Failed)
	b, err := w.encode()
	if err != nil {
		return err
	}
	for _, name := range []string{StatusPrefix + w.stamp + ".json", StatusLatest} {
		if err := replaceFile(filepath.Join(w.dir, name), b); err != nil {
			return fmt.Errorf("writing status file: %w", err)
		}
	}
	w.last = time.Now()
	w.cost = w.last.Sub(start)
	return nil
}

// add records one run and writes the files when they are due (see
// statusWriter).
func (w *statusWriter) add(sr StatusRun) error {
	if w == nil {
		return nil
	}
	b, err := json.MarshalIndent(sr, "    ", "  ")
	if err != nil {
		return fmt.Errorf("encoding status: %w", err)
	}
	if len(w.runs) > 0 {
		w.runs = append(w.runs, ",\n    "...)
	}
	w.runs = append(w.runs, b...)
	if sr.Status == "success" {
		w.st.Completed++
	} else {
		w.st.Failed++
	}
	if time.Since(w.last) < statusGap*w.cost {
		return nil
	}
	return w.write()
}

// end records the final state and writes the files.
func (w *statusWriter) end(state string) error {
	if w == nil {
		return nil
	}
	w.st.State = state
	return w.write()
}

// LatestStatus reads dir's benchmark_status_latest.json; a missing file
// gives nil and no error.
func LatestStatus(dir string) (*Status, error) {
	st, err := ReadStatus(filepath.Join(dir, StatusLatest))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return st, err
}

// replaceFile replaces path's content with data atomically: it writes a
// temporary file in the same directory and renames it over path, so that a
// reader sees the old or the new content, never a part.
//
// Note: there is no fsync. The status files must be whole for readers, not
// durable across a power cut; an fsync per write (as github.com/google/renameio
// does) measured about 7 ms per file here, which made status files the
// largest per-run cost of the runner (BenchmarkRun/status).
func replaceFile(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}
