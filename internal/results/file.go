package results

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
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

// ReadFile reads and parses one results file, or a directory of Criterion
// output; format "auto" detects it. Reader warnings (e.g. malformed
// benchmark lines) go to log with their position. It returns the raw bytes
// too (the results as JSON for a directory), which name a run when the
// user gives no id.
func ReadFile(path, format string, log *slog.Logger) ([]Result, []byte, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	f, err := ParseFormat(format)
	if err != nil {
		return nil, nil, fmt.Errorf("format: %w", err)
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return readDir(path, f, log)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	if f == FormatAuto {
		f = Detect(path, data)
	}
	out, err := Read(bytes.NewReader(data), path, f)
	if err != nil {
		return nil, nil, err
	}
	for _, w := range out.Warnings {
		log.Warn("skipped malformed input", "error", w)
	}
	if len(out.Results) == 0 {
		return nil, nil, fmt.Errorf("%s: no benchmark results found (format %s)", path, f)
	}
	return out.Results, data, nil
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
	data, err := json.Marshal(out.Results)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return out.Results, data, nil
}
