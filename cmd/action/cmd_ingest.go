package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/benchgate/benchgate/internal/comparison"

	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/store"
)

func cmdIngest(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "ingest", "[flags] FILE...",
		"Store results produced elsewhere. Every file is read and checked before anything is\n"+
			"written: one bad file stores nothing. Ingesting the same run (id and attempt) twice\n"+
			"changes nothing; without --run-id the id is derived from the files' contents.")
	format := fs.String("format", "auto", "format of the files: "+results.FormatNames()+" (see docs/formats.md)")
	db := dbFlags(fs)
	suite := fs.String("suite", "", "suite name to record with the run")
	var rf runFlags
	rf.add(fs)
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("no files given (usage: benchgate ingest [flags] FILE...)")
	}
	var all []results.Result
	h := sha256.New()
	for _, path := range fs.Args() {
		rs, data, err := results.ReadFile(path, *format, e.log)
		if err != nil {
			return err
		}
		h.Write([]byte(path))
		h.Write(data)
		all = append(all, rs...)
	}
	st, err := store.Open(ctx, dbPath(e, *db))
	if err != nil {
		return err
	}
	defer st.Close()
	run := rf.newRun(ctx, e, *suite, "ingest-"+hex.EncodeToString(h.Sum(nil))[:16])
	// Files may hold repetitions of the same benchmarks: one series each.
	stats, err := st.Ingest(ctx, run, results.Merge(all))
	if err != nil {
		return fmt.Errorf("storing: %w", err)
	}
	if !stats.Inserted {
		fmt.Fprintf(e.stdout, "run %s (attempt %d) is already stored; nothing changed\n", run.ID, run.Attempt)
		return nil
	}
	fmt.Fprintf(e.stdout, "run %s (attempt %d): stored %s (%d failed) in %s\n", run.ID, run.Attempt, comparison.Plural(stats.Results, "result", "results"), stats.Failed, dbPath(e, *db))
	return nil
}
