package results

import (
	"bufio"
	"bytes"
	"errors"
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
	// FormatGAB is github-action-benchmark's custom JSON, each metric's
	// direction taken from its unit (see [ReadGAB]).
	FormatGAB Format = "gab"
	// FormatGABSmaller is github-action-benchmark's customSmallerIsBetter
	// JSON: every metric smaller is better.
	FormatGABSmaller Format = "gab-smaller"
	// FormatGABBigger is github-action-benchmark's customBiggerIsBetter
	// JSON: every metric bigger is better.
	FormatGABBigger Format = "gab-bigger"
	// FormatGABHistory is github-action-benchmark's history, data.js or its
	// external JSON file: one run per entry (see [ReadGABHistory]). [Read]
	// refuses it: store it with `benchgate import`.
	FormatGABHistory Format = "gab-data-js"
	// FormatPytest is pytest-benchmark JSON (see [ReadPytest]).
	FormatPytest Format = "pytest"
	// FormatGoogleBenchmark is Google Benchmark JSON (see
	// [ReadGoogleBenchmark]).
	FormatGoogleBenchmark Format = "googlebench"
	// FormatHyperfine is hyperfine's --export-json (see [ReadHyperfine]).
	FormatHyperfine Format = "hyperfine"
	// FormatCriterion is one file of Criterion.rs's output directory (see
	// [ReadCriterion] and, for a whole directory, [ReadCriterionDir]).
	FormatCriterion Format = "criterion"
	// FormatTime is not a file format: benchgate times the command itself,
	// as hyperfine does (see [TimedResult]). Read refuses it.
	FormatTime Format = "time"
)

// ErrTimeFormat is Read's error for FormatTime.
var ErrTimeFormat = errors.New(`format "time" has no files to read: benchgate times the command itself (use it in a suite file)`)

// formatNames maps every accepted name and alias (lowercase) to its format.
var formatNames = map[string]Format{
	"": FormatAuto, "auto": FormatAuto,
	"native": FormatNative,
	"go":     FormatGoBench, "gobench": FormatGoBench, "go-bench": FormatGoBench,
	"gab": FormatGAB, "github-action-benchmark": FormatGAB,
	"gab-smaller": FormatGABSmaller, "customsmallerisbetter": FormatGABSmaller,
	"gab-bigger": FormatGABBigger, "custombiggerisbetter": FormatGABBigger,
	"gab-data-js": FormatGABHistory, "data.js": FormatGABHistory, "gab-history": FormatGABHistory,
	"pytest": FormatPytest, "pytest-benchmark": FormatPytest,
	"googlebench": FormatGoogleBenchmark, "google-benchmark": FormatGoogleBenchmark, "googlecpp": FormatGoogleBenchmark,
	"hyperfine": FormatHyperfine,
	"criterion": FormatCriterion,
	"time":      FormatTime, "wall-time": FormatTime,
}

// Formats returns the canonical name of every format, auto first.
func Formats() []Format {
	return []Format{FormatAuto, FormatNative, FormatGoBench, FormatGAB, FormatGABSmaller, FormatGABBigger,
		FormatGABHistory, FormatPytest, FormatGoogleBenchmark, FormatHyperfine, FormatCriterion, FormatTime}
}

// formatList is "auto, native, go, …" for error messages.
func formatList() string {
	names := make([]string, 0, 11)
	for _, f := range Formats() {
		names = append(names, string(f))
	}
	return strings.Join(names, ", ")
}

// ParseFormat parses a format name, case-insensitively: "auto" (or ""), or
// one of [Formats], or an alias: "gobench", "go-bench" (go);
// "github-action-benchmark" (gab); "customSmallerIsBetter" (gab-smaller);
// "customBiggerIsBetter" (gab-bigger); "data.js", "gab-history"
// (gab-data-js); "pytest-benchmark" (pytest); "google-benchmark",
// "googlecpp" (googlebench).
func ParseFormat(s string) (Format, error) {
	if f, ok := formatNames[strings.ToLower(strings.TrimSpace(s))]; ok {
		return f, nil
	}
	return "", fmt.Errorf("unknown format %q (want one of: %s)", s, formatList())
}

// detectBytes is how much of the input [Read] looks at to detect its format.
const detectBytes = 4096

// Detect guesses the format of an input from its first bytes and its name.
// The content decides first:
//   - "window.BENCHMARK_DATA" first means [FormatGABHistory] (data.js);
//   - a first non-blank character '{' or '[' means JSON, told apart by its
//     keys: an array of objects with "name", "unit" and "value" is
//     [FormatGAB]; an object with "entries" and "lastUpdate" or "repoUrl" is
//     [FormatGABHistory] (external JSON); with "context",
//     [FormatGoogleBenchmark]; with "machine_info", or "benchmarks" and
//     "commit_info" or "datetime", [FormatPytest]; with "results" whose first
//     element has "command", [FormatHyperfine]; with "sampling_mode", "iters"
//     and "times", "mean" and "median", or "full_id", [FormatCriterion];
//     any other JSON is [FormatNative];
//   - a line starting with "Benchmark" or a Go benchmark configuration line
//     ("pkg:", "goos:", "goarch:", "cpu:") means [FormatGoBench].
//
// Otherwise a name ending in .json, .jsonl or .ndjson means native, and
// anything else is read as Go benchmark text, which skips lines it does not
// know (a run's logs may fill the head before any result).
func Detect(fileName string, head []byte) Format {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	t := bytes.TrimLeft(head, " \t\r\n")
	if bytes.HasPrefix(t, []byte(gabScriptPrefix)) {
		return FormatGABHistory
	}
	if len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		return sniffJSON(t).jsonFormat()
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
// Errors: a [*ParseError] when the input is not well-formed (any JSON
// format), a [*DataError] when its content is wrong, one wrapping
// [ErrNoResults] when it holds no result at all, one wrapping [ErrHistory]
// for a github-action-benchmark history, or an I/O error; [Classify] maps each to the
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
	case FormatGAB, FormatGABSmaller, FormatGABBigger:
		out, err = ReadGAB(r, fileName, f)
	case FormatGABHistory:
		return ReadOutput{Format: f}, &DataError{File: fileName, Err: ErrHistory}
	case FormatPytest:
		out, err = ReadPytest(r, fileName)
	case FormatGoogleBenchmark:
		out, err = ReadGoogleBenchmark(r, fileName)
	case FormatHyperfine:
		out, err = ReadHyperfine(r, fileName)
	case FormatCriterion:
		out, err = ReadCriterion(r, fileName)
	case FormatTime:
		return ReadOutput{Format: f}, &DataError{File: fileName, Err: ErrTimeFormat}
	default:
		return ReadOutput{}, fmt.Errorf("reading %s: unknown format %q (want one of: %s)", fileName, f, formatList())
	}
	if err == nil && len(out.Results) == 0 {
		e := ErrNoResults
		if len(out.Warnings) > 0 {
			n := fmt.Sprintf("%d warnings", len(out.Warnings))
			if len(out.Warnings) == 1 {
				n = "1 warning"
			}
			e = fmt.Errorf("%w (%s; first: %w)", ErrNoResults, n, out.Warnings[0])
		}
		err = &DataError{File: fileName, Err: e}
	}
	return out, err
}
