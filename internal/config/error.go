package config

import "fmt"

// Error is one problem found in a suite file, located by line and key path.
// [Parse] returns every Error it finds, joined with errors.Join; use
// errors.As to get at the first one, or unwrap the join to list them all
// (e.g. as workflow annotations).
type Error struct {
	File string // the file name given to Parse or Load
	Line int    // 1-based; 0 when the problem has no line (an empty file)
	Path string // key path, e.g. "benchmarks[0].timeout"; "" for the whole file
	Msg  string
}

// Error renders the error as "file:line: path: msg", leaving out the parts
// that are unknown.
func (e *Error) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	if e.Path == "" {
		return loc + ": " + e.Msg
	}
	return loc + ": " + e.Path + ": " + e.Msg
}
