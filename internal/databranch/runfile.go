package databranch

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/store"
)

// runFileFormat is the version of the run file layout this benchgate writes
// and reads; a newer one is refused.
const runFileFormat = 1

// runsDir is the directory of the branch that holds the per-run files.
const runsDir = "runs"

// runFile is one run attempt as the branch stores it before compaction:
// gzip-compressed JSON.
type runFile struct {
	Format  int              `json:"format"`
	Run     store.Run        `json:"run"`
	Results []results.Result `json:"results"`
}

// runFileName is the path of the run file of run id, attempt on the branch:
// the id is escaped so that any id gives one safe file name, and the name
// alone says which run and attempt the file holds.
func runFileName(id string, attempt int) string {
	return runsDir + "/" + url.PathEscape(id) + "." + strconv.Itoa(attempt) + ".json.gz"
}

// parseRunFileName returns the run id and attempt a run file name encodes.
func parseRunFileName(name string) (id string, attempt int, ok bool) {
	base, found := strings.CutPrefix(name, runsDir+"/")
	if !found {
		return "", 0, false
	}
	base, found = strings.CutSuffix(base, ".json.gz")
	if !found {
		return "", 0, false
	}
	i := strings.LastIndexByte(base, '.')
	if i <= 0 {
		return "", 0, false
	}
	n, err := strconv.Atoi(base[i+1:])
	if err != nil || n < 1 {
		return "", 0, false
	}
	id, err = url.PathUnescape(base[:i])
	if err != nil {
		return "", 0, false
	}
	return id, n, true
}

// encodeRunFile serialises one run attempt.
func encodeRunFile(run store.Run, rs []results.Result) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if err := json.NewEncoder(zw).Encode(runFile{Format: runFileFormat, Run: run, Results: rs}); err != nil {
		return nil, fmt.Errorf("encoding run %s#%d: %w", run.ID, run.Attempt, err)
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// decodeRunFile parses a run file; name is used in errors.
func decodeRunFile(name string, data []byte) (runFile, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return runFile{}, fmt.Errorf("run file %s: %w", name, err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return runFile{}, fmt.Errorf("run file %s: %w", name, err)
	}
	var f runFile
	if err := json.Unmarshal(raw, &f); err != nil {
		return runFile{}, fmt.Errorf("run file %s: %w", name, err)
	}
	if f.Format > runFileFormat {
		return runFile{}, fmt.Errorf("run file %s has format %d, this benchgate reads up to %d: upgrade benchgate: %w",
			name, f.Format, runFileFormat, store.ErrNewerSchema)
	}
	if f.Format < 1 || f.Run.ID == "" {
		return runFile{}, fmt.Errorf("run file %s: not a benchgate run file", name)
	}
	return f, nil
}
