package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	gitcmd "github.com/benchgate/benchgate/internal/git"
)

func cmdFetch(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "fetch", "--remote URL|PATH [--branch B] [--db PATH]",
		"Bring the data branch's database down from a git remote (shallow, that branch\n"+
			"only, no checkout) and write it to --db, replacing that file: the compacted\n"+
			"database with the runs saved since its compaction merged in. A corrupt database\n"+
			"or one with a newer schema on the branch is refused.")
	var bf branchFlags
	bf.add(fs)
	db := dbFlags(fs)
	force := fs.Bool("force", false, "replace an existing database at --db (its runs that were never saved are lost)")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	b, err := bf.open(e)
	if err != nil {
		return err
	}
	path := dbPath(e, *db)
	// Note: --db defaults to the file run and ingest write; replacing it
	// silently would lose runs never saved to the branch.
	if _, err := os.Stat(path); err == nil && !*force {
		return fmt.Errorf("%s exists: fetching would replace it (and any run not yet saved with 'benchgate save'); give another --db, or --force", path)
	}
	if err := os.Remove(path + ".wal"); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("removing the stale write-ahead log of %s: %w", path, err)
	}
	res, err := b.Fetch(ctx, path)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "fetched data branch %s at %s: %d runs written to %s\n", b.Name, gitcmd.Short(res.Commit), res.Runs, path)
	return nil
}
