package results

import (
	"errors"
	"fmt"
	"io/fs"
)

// ErrNoResults is wrapped by [Read] when an input holds no benchmark result
// at all (a Go run whose -bench pattern matched nothing, an empty "results"
// list). Test for it with errors.Is.
var ErrNoResults = errors.New("no benchmark results")

// ParseError reports input that is not well-formed in its format: an empty
// native file, invalid or truncated JSON. The runner classifies it as
// json_parse_error ([ErrJSONParse]); see [Classify] and [IsSyntaxError].
type ParseError struct {
	File string // file name as given to the reader
	Line int    // 1-based line of the problem; 0 when unknown
	Err  error
}

// Error returns "file:line: message".
func (e *ParseError) Error() string {
	return position(e.File, e.Line) + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// DataError reports well-formed input whose content is wrong: an unknown key
// or metric, a missing name, a negative latency, a number out of range. The
// runner classifies it as result_processing_error ([ErrResultProcessing]).
type DataError struct {
	File string // file name as given to the reader
	Line int    // 1-based line of the culprit; 0 when unknown
	// Key is the path of the culprit, e.g. "config.batch_size",
	// "latencies_ms[3]", or a unit such as "sec/op"; "" for the whole record.
	Key string
	Err error
}

// Error returns "file:line: key: message".
func (e *DataError) Error() string {
	s := position(e.File, e.Line)
	if e.Key != "" {
		s += e.Key + ": "
	}
	return s + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *DataError) Unwrap() error { return e.Err }

// MissingFileError reports a results file that does not exist, as "file
// x.txt does not exist"; errors.Is(err, fs.ErrNotExist) holds.
type MissingFileError struct {
	Path string // as the user gave it
}

// Error returns "file PATH does not exist".
func (e *MissingFileError) Error() string { return "file " + e.Path + " does not exist" }

// Unwrap returns fs.ErrNotExist.
func (e *MissingFileError) Unwrap() error { return fs.ErrNotExist }

// IsSyntaxError reports whether err, or an error it wraps, is a [*ParseError]:
// the input was not well-formed, as opposed to well-formed but wrong.
func IsSyntaxError(err error) bool {
	var pe *ParseError
	return errors.As(err, &pe)
}

// Classify maps an error from a reader to the seed's error taxonomy:
// [ErrJSONParse] for a [*ParseError], [ErrResultProcessing] for a
// [*DataError] (including [ErrNoResults]), [ErrUnexpected] for anything else
// (an I/O error), and "" for nil.
func Classify(err error) ErrorType {
	var de *DataError
	switch {
	case err == nil:
		return ""
	case IsSyntaxError(err):
		return ErrJSONParse
	case errors.As(err, &de), errors.Is(err, ErrNoResults):
		return ErrResultProcessing
	}
	return ErrUnexpected
}

// position formats "file:line: ", "file: " or "".
func position(file string, line int) string {
	switch {
	case file != "" && line > 0:
		return fmt.Sprintf("%s:%d: ", file, line)
	case file != "":
		return file + ": "
	case line > 0:
		return fmt.Sprintf("line %d: ", line)
	}
	return ""
}
