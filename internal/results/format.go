package results

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// Format names an input format of benchmark results.
type Format string

// The formats [Read] accepts.
const (
	// FormatAuto picks the format with [Detect].
	FormatAuto Format = "auto"
	// FormatNative is benchgate's native result document (see [ReadNative]).
	FormatNative Format = "native"
	// FormatGoBench is `go test -bench` text (see [ReadGoBench]).
	FormatGoBench Format = "go"
)

// ParseFormat parses a format name, case-insensitively: "auto" (or ""),
// "native", or "go" (aliases "gobench", "go-bench").
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return FormatAuto, nil
	case "native":
		return FormatNative, nil
	case "go", "gobench", "go-bench":
		return FormatGoBench, nil
	}
	return "", fmt.Errorf("unknown format %q (want auto, native or go)", s)
}

// detectBytes is how much of the input [Read] looks at to detect its format.
const detectBytes = 4096

// Detect guesses the format of an input from its first bytes and its name.
// The content decides first: a first non-blank character '{' or '[' means
// [FormatNative]; a line starting with "Benchmark" or a Go benchmark
// configuration line ("pkg:", "goos:", "goarch:", "cpu:") means
// [FormatGoBench]. Otherwise a name ending in .json, .jsonl or .ndjson means
// native, and anything else is read as Go benchmark text, which skips lines
// it does not know (a run's logs may fill the head before any result).
func Detect(fileName string, head []byte) Format {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	if t := bytes.TrimLeft(head, " \t\r\n"); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		return FormatNative
	}
	for line := range bytes.Lines(head) {
		for _, p := range []string{"Benchmark", "pkg:", "goos:", "goarch:", "cpu:"} {
			if bytes.HasPrefix(line, []byte(p)) {
				return FormatGoBench
			}
		}
	}
	switch strings.ToLower(filepath.Ext(fileName)) {
	case ".json", ".jsonl", ".ndjson":
		return FormatNative
	}
	return FormatGoBench
}

// ReadOutput is what a reader yields from one input.
type ReadOutput struct {
	// Format is the format that was read (never FormatAuto).
	Format Format
	// Results are merged with [Merge] (one per benchmark, repetitions as
	// samples) and each passes [Result.Validate]. They are the caller's.
	Results []Result
	// Warnings are problems that lost a record but not the input, each
	// naming file:line: Go benchmark lines that do not parse
	// (*benchfmt.SyntaxError) or carry an invalid value (*DataError), and
	// invalid unit metadata.
	Warnings []error
	// Records is how many benchmark records the input held: result lines of
	// Go benchmark text (lines starting "Benchmark" with more than a name),
	// or documents of native JSON. Parsed is how many of them became part
	// of Results; each of the others has a warning.
	Records, Parsed int
}

// Read reads benchmark results in format f (FormatAuto detects it) from r:
// the single entry point of the runner and of `benchgate ingest`.
//
// Errors: a [*ParseError] when the input is not well-formed (native only),
// a [*DataError] when its content is wrong, one wrapping [ErrNoResults] when
// it holds no result at all, or an I/O error; [Classify] maps each to the
// seed's error taxonomy. On error the ReadOutput holds what was read, for
// diagnostics; its Results must not be stored.
func Read(r io.Reader, fileName string, f Format) (ReadOutput, error) {
	if f == FormatAuto || f == "" {
		br := bufio.NewReaderSize(r, detectBytes)
		head, _ := br.Peek(detectBytes) // a short head is fine; read errors recur below
		f, r = Detect(fileName, head), br
	}
	var (
		out ReadOutput
		err error
	)
	switch f {
	case FormatNative:
		out, err = ReadNative(r, fileName)
	case FormatGoBench:
		out, err = ReadGoBench(r, fileName)
	default:
		return ReadOutput{}, fmt.Errorf("reading %s: unknown format %q (want auto, native or go)", fileName, f)
	}
	if err == nil && len(out.Results) == 0 {
		e := ErrNoResults
		if len(out.Warnings) > 0 {
			e = fmt.Errorf("%w (%d warnings; first: %w)", ErrNoResults, len(out.Warnings), out.Warnings[0])
		}
		err = &DataError{File: fileName, Err: e}
	}
	return out, err
}
