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
// far. It is written after every run, atomically (a reader sees the old
// or the new file, never a part; see replaceFile), to Options.StatusDir.
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
type statusWriter struct {
	dir   string
	stamp string // timestamp part of this call's file name
	st    Status
}

// newStatusWriter returns a writer for dir, or nil when dir is "".
func newStatusWriter(dir string, st Status) *statusWriter {
	if dir == "" {
		return nil
	}
	return &statusWriter{dir: dir, stamp: st.StartedAt.UTC().Format("20060102_150405.000000"), st: st}
}

// write writes the status to both files, atomically each.
func (w *statusWriter) write() error {
	if w == nil {
		return nil
	}
	w.st.UpdatedAt = time.Now().UTC()
	w.st.Remaining = max(0, w.st.Total-w.st.Completed-w.st.Failed)
	b, err := json.MarshalIndent(w.st, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding status: %w", err)
	}
	b = append(b, '\n')
	for _, name := range []string{StatusPrefix + w.stamp + ".json", StatusLatest} {
		if err := replaceFile(filepath.Join(w.dir, name), b); err != nil {
			return fmt.Errorf("writing status file: %w", err)
		}
	}
	return nil
}

// add records one run and writes the files.
func (w *statusWriter) add(sr StatusRun) error {
	if w == nil {
		return nil
	}
	w.st.Runs = append(w.st.Runs, sr)
	if sr.Status == "success" {
		w.st.Completed++
	} else {
		w.st.Failed++
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
