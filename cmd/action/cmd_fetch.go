package main

import (
	"context"
	"fmt"
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
	res, err := b.Fetch(ctx, path)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "fetched data branch %s at %s: %d runs written to %s\n", b.Name, short(res.Commit), res.Runs, path)
	return nil
}
