package main

import (
	"context"
	"fmt"
	"os"

	"github.com/benchgate/benchgate/internal/store"
)

func cmdPrune(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "prune", "[--keep N] [--db PATH]",
		"Drop raw samples outside the retention window: for each series group (benchmark,\n"+
			"params, hardware, runner) the newest --keep runs keep their samples and\n"+
			"per-iteration latencies; older runs keep their summaries and one value (the\n"+
			"median) per metric. Then rewrite the file compactly. Runs are never deleted.")
	db := dbFlags(fs)
	keep := fs.Int("keep", store.DefaultKeepRuns, "newest runs per series group that keep their raw samples")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	path := dbPath(e, *db)
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("database %s: %w", path, err)
	}
	before, err := os.Stat(path)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	ps, err := st.Prune(ctx, store.PruneOptions{KeepRuns: *keep})
	if err != nil {
		st.Close()
		return err
	}
	tmp := path + ".compact"
	_ = os.Remove(tmp)
	err = st.CompactTo(ctx, tmp)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("replacing %s with its compact copy: %w", path, err)
	}
	after, err := os.Stat(path)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "pruned %s: %d results outside the newest %d runs; %d iteration rows deleted, %d metrics reduced to their median; %d → %d bytes\n",
		path, ps.Results, *keep, ps.Iterations, ps.Metrics, before.Size(), after.Size())
	return nil
}
