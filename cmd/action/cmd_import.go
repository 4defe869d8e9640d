package main

import (
	"bytes"
	"context"
	"fmt"
	"os"

	"github.com/benchgate/benchgate/internal/comparison"

	"github.com/benchgate/benchgate/internal/pipeline"
	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/store"
)

// cmdImport stores a whole benchmark history produced by another tool: one
// run per entry.
func cmdImport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "import", "[flags] FILE",
		"Store a benchmark history produced by another tool, one run per entry, keeping each\n"+
			"entry's commit id and date: github-action-benchmark's data.js (gh-pages branch) or its\n"+
			"external JSON file. Each run is stored in its own transaction with an id derived from\n"+
			"the suite, commit and date, so importing again, or after an interruption, stores only\n"+
			"what is missing. Entries with a missing field are skipped with a warning naming them.")
	format := fs.String("format", "auto", "format of the file: auto or gab-data-js")
	db := dbFlags(fs)
	suite := fs.String("suite", "", "import only this suite (a key under \"entries\", the action's name input)")
	ref := fs.String("ref", "", "ref recorded with every run, e.g. refs/heads/main (the history does not say)")
	runner := fs.String("runner", "", "runner label of every run, part of each series' identity (default: $RUNNER_NAME)")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("want one file (usage: benchgate import [flags] FILE)")
	}
	path := fs.Arg(0)
	f, err := results.ParseFormat(*format)
	if err != nil {
		return fmt.Errorf("--format: %w", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if f == results.FormatAuto {
		f = results.Detect(path, data)
	}
	if f != results.FormatGABHistory {
		return fmt.Errorf("%s: format %s is not a history (import reads gab-data-js; store single runs with benchgate ingest)", path, f)
	}
	h, err := results.ReadGABHistory(bytes.NewReader(data), path)
	if err != nil {
		return err
	}
	for _, w := range h.Warnings {
		e.log.Warn("skipped", "type", results.Classify(w), "error", w)
	}
	if *runner == "" {
		*runner = e.getenv("RUNNER_NAME")
	}
	st, err := store.Open(ctx, dbPath(e, *db))
	if err != nil {
		return err
	}
	defer st.Close()
	is, err := pipeline.ImportHistory(ctx, st, h, path, pipeline.ImportOptions{Suite: *suite, Ref: *ref, Runner: *runner})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %s in %s: stored %s (%s), %d already stored, %d skipped, in %s\n",
		path, comparison.Plural(h.Parsed, "entry", "entries"), comparison.Plural(is.Suites, "suite", "suites"),
		comparison.Plural(is.Stored, "run", "runs"), comparison.Plural(is.Results, "result", "results"), is.Already, h.Records-h.Parsed, dbPath(e, *db))
	return nil
}
