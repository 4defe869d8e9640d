package databranch

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
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

// MaxRunFileSize is the most bytes a run file may inflate to: one that
// inflates to more (a gzip bomb: a few megabytes of zeros inflate to
// gigabytes) is refused, without being inflated further.
//
// Note: a run of 5,000 Go benchmarks with 3 metrics and 10 samples each
// (15,000 series) is a 0.5 MB run file inflating to 3.9 MB; the limit is
// 65 times that.
const MaxRunFileSize = 256 << 20

// maxRunFileSize is MaxRunFileSize; tests lower it.
var maxRunFileSize int64 = MaxRunFileSize

// ErrRunFileTooLarge is wrapped by the error of a run file that inflates
// to more than MaxRunFileSize.
var ErrRunFileTooLarge = errors.New("run file too large")

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

// decodeRunFile parses a run file; name, its path on the branch, is used in
// errors. The file is inflated as it is parsed, never beyond
// maxRunFileSize: one that inflates to more is refused with an error
// wrapping ErrRunFileTooLarge, whether or not it parses up to there.
func decodeRunFile(name string, data []byte) (runFile, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return runFile{}, fmt.Errorf("run file %s: %w", name, err)
	}
	// Note: one byte over the limit tells a file of exactly the limit from
	// a larger one.
	lr := &io.LimitedReader{R: zr, N: maxRunFileSize + 1}
	dec := json.NewDecoder(lr)
	var f runFile
	err = dec.Decode(&f)
	if err == nil {
		// The rest must be blank: what follows the value, up to the end of
		// the stream (which checks gzip's checksum), is read too.
		var extra json.RawMessage
		if err = dec.Decode(&extra); err == io.EOF {
			err = nil
		} else if err == nil {
			err = errors.New("data after the run")
		}
	}
	if err != nil {
		// A file that does not parse may still be too large: said so
		// whatever byte it breaks at (a bomb of zeros breaks at the first).
		_, _ = io.Copy(io.Discard, lr) // Note: the parse error is the one to report.
	}
	if lr.N == 0 {
		return runFile{}, fmt.Errorf("run file %s inflates to more than %d MiB (%s compressed), the limit of a run file: %w",
			name, maxRunFileSize>>20, mb(int64(len(data))), ErrRunFileTooLarge)
	}
	if err != nil {
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
