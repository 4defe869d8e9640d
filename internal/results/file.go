package results

import (
	"bufio"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// FormatNames lists the formats for help texts and errors: "auto, native, go, …".
func FormatNames() string {
	var names []string
	for _, f := range Formats() {
		names = append(names, string(f))
	}
	return strings.Join(names, ", ")
}

// LooksLikeFile reports whether name, where a results file or a stored
// run's id, commit or ref is accepted (compare --base), is meant as a
// file: a path starting with "/", "./", "../" or "~/", or a name ending in
// an extension results files have (.txt, .json, .jsonl, .ndjson, .js,
// .out, .log, .bench). Refs such as "origin/main" or "v1.2" are not.
func LooksLikeFile(name string) bool {
	for _, p := range []string{"/", "./", "../", "~/"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".txt", ".json", ".jsonl", ".ndjson", ".js", ".out", ".log", ".bench":
		return true
	}
	return false
}

// ReadFile reads and parses one results file, or a directory of Criterion
// output; format "auto" detects it. Reader warnings (e.g. malformed
// benchmark lines) go to log with their position. It also returns the
// SHA-256 digest of the file's content (of the results as JSON for a
// directory), which names a run when the user gives no id.
//
// The file is a regular file or a pipe; a device (/dev/zero), a socket, is
// refused with a [*DataError] naming it. Go benchmark text is streamed, its
// memory bounded as [ReadGoBench] says; any other format is read whole, and
// refused past [MaxFileBytes] with a [*DataError] naming the file and the
// limit.
func ReadFile(path, format string, log *slog.Logger) ([]Result, []byte, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	f, err := ParseFormat(format)
	if err != nil {
		return nil, nil, fmt.Errorf("format: %w", err)
	}
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, &MissingFileError{Path: path}
	}
	if err != nil {
		return nil, nil, err
	}
	if fi.IsDir() {
		return readDir(path, f, log)
	}
	// Note: checked before opening too, since opening a device may do
	// something (and opening a FIFO waits for its writer, as the user asked).
	if err := CheckFileType(path, fi.Mode(), true); err != nil {
		return nil, nil, err
	}
	file, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer file.Close()
	if fi, err = file.Stat(); err != nil {
		return nil, nil, err
	}
	if err := CheckFileType(path, fi.Mode(), true); err != nil {
		return nil, nil, err
	}
	digest := sha256.New()
	br := bufio.NewReaderSize(io.TeeReader(file, digest), detectBytes)
	if f == FormatAuto {
		head, _ := br.Peek(detectBytes) // a short head is fine; read errors recur below
		f = Detect(path, head)
	}
	var r io.Reader = br
	if f != FormatGoBench {
		if fi.Mode().IsRegular() && fi.Size() > maxFileBytes {
			return nil, nil, &DataError{File: path, Err: &SizeError{Limit: maxFileBytes}}
		}
		r = LimitReader(br, maxFileBytes)
	}
	out, err := Read(r, path, f)
	if err == nil {
		_, err = io.Copy(io.Discard, r) // the digest covers what the reader left
	}
	var de *DataError
	if errors.As(err, &de) && de.File == "" {
		err = &DataError{File: path, Line: de.Line, Key: de.Key, Err: de.Err}
	}
	if err != nil {
		return nil, nil, err
	}
	for _, w := range out.Warnings {
		log.Warn("skipped malformed input", "error", w)
	}
	if len(out.Results) == 0 {
		return nil, nil, fmt.Errorf("%s: no benchmark results found (format %s)", path, f)
	}
	return out.Results, digest.Sum(nil), nil
}

// readDir reads a directory of results: Criterion.rs's output
// (target/criterion or a directory under it), the one format written as a
// tree.
func readDir(path string, f Format, log *slog.Logger) ([]Result, []byte, error) {
	if f != FormatAuto && f != FormatCriterion {
		return nil, nil, fmt.Errorf("%s is a directory: only the criterion format is read from a directory", path)
	}
	out, err := ReadCriterionDir(os.DirFS(path), path)
	if err != nil {
		return nil, nil, err
	}
	for _, w := range out.Warnings {
		log.Warn("skipped malformed input", "error", w)
	}
	if len(out.Results) == 0 {
		return nil, nil, &DataError{File: path, Err: fmt.Errorf("%w (%d benchmarks skipped)", ErrNoResults, len(out.Warnings))}
	}
	data, err := json.Marshal(out.Results)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	digest := sha256.Sum256(data)
	return out.Results, digest[:], nil
}
