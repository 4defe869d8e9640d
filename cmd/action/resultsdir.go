package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/benchgate/benchgate/internal/results"
)

// readResultsDir reads a directory of results: today Criterion.rs's output
// (target/criterion or a directory under it), the one format written as a
// tree. format must be auto or criterion. The returned bytes, which name
// the run when no --run-id is given, are the results as JSON.
func readResultsDir(path, format string, e *env) ([]results.Result, []byte, error) {
	f, err := results.ParseFormat(format)
	if err != nil {
		return nil, nil, fmt.Errorf("--format: %w", err)
	}
	if f != results.FormatAuto && f != results.FormatCriterion {
		return nil, nil, fmt.Errorf("%s is a directory: only the criterion format is read from a directory", path)
	}
	out, err := results.ReadCriterionDir(os.DirFS(path), path)
	if err != nil {
		return nil, nil, err
	}
	for _, w := range out.Warnings {
		e.log.Warn("skipped malformed input", "error", w)
	}
	data, err := json.Marshal(out.Results)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return out.Results, data, nil
}

// formatNames lists the formats for help texts: "auto, native, go, …".
func formatNames() string {
	var names []string
	for _, f := range results.Formats() {
		names = append(names, string(f))
	}
	return strings.Join(names, ", ")
}
