package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/benchgate/benchgate/internal/actions"
	"github.com/benchgate/benchgate/internal/databranch"
	gitcmd "github.com/benchgate/benchgate/internal/git"
	"github.com/benchgate/benchgate/internal/store"
)

func cmdSave(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "save", "--remote URL|PATH [--branch B] [--db PATH] [flags]",
		"Merge the runs of the local database into the data branch of a git remote and push,\n"+
			"safely against concurrent writers (see docs/data-branch.md). Runs the branch already\n"+
			"holds are skipped. Only trusted refs write: in GitHub Actions, the default branch\n"+
			"unless --trusted-refs says otherwise; pull request events never write.\n"+
			"When the push fails, the local database is copied to --fallback for the workflow to\n"+
			"upload as an artifact, and the exit code is 2.")
	var bf branchFlags
	bf.add(fs)
	db := dbFlags(fs)
	ref := fs.String("ref", "", "ref being measured (default: $GITHUB_REF)")
	trusted := fs.String("trusted-refs", "", "comma list of refs or patterns that may write, e.g. main,refs/heads/release/* (default: the repository's default branch)")
	fallback := fs.String("fallback", "benchgate-unsaved.duckdb", "where to copy the local database when the push fails")
	keep := fs.Int("keep", store.DefaultKeepRuns, "raw-sample retention applied when the branch is compacted: newest runs per series")
	compactEvery := fs.Int("compact-every", databranch.DefaultCompactEvery, "compact the branch once it holds this many run files")
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
	if *keep < 1 || *compactEvery < 1 {
		return errors.New("--keep and --compact-every must be at least 1")
	}
	b.KeepRuns, b.CompactEvery = *keep, *compactEvery
	if err := checkWriter(e, *ref, parseList(*trusted)); err != nil {
		return err
	}
	path := dbPath(e, *db)
	st, err := store.OpenReadOnly(ctx, path)
	if err != nil {
		return err
	}
	res, err := b.Save(ctx, st)
	st.Close()
	if err != nil {
		return saveFailed(e, b.Name, path, *fallback, err)
	}
	if len(res.Added) == 0 {
		fmt.Fprintf(e.stdout, "data branch %s already holds all %d runs of %s (commit %s)\n", b.Name, res.Present, path, gitcmd.Short(res.Commit))
		return nil
	}
	how := "added"
	if res.Compacted {
		how = fmt.Sprintf("compacted into %s (%d bytes) with", databranch.DBFile, res.DBSize)
	}
	fmt.Fprintf(e.stdout, "data branch %s: %s %d runs (%d already there), commit %s, %d attempt(s)\n",
		b.Name, how, len(res.Added), res.Present, gitcmd.Short(res.Commit), res.Attempts)
	return nil
}

// saveFailed copies the local database to fallback when a push failed for
// a reason other than a refused or oversized branch, and says so.
func saveFailed(e *env, branch, path, fallback string, err error) error {
	msg, err := databranch.Fallback(branch, path, fallback, err)
	if msg == "" {
		return err
	}
	fmt.Fprintln(e.stdout, msg)
	if e.getenv("GITHUB_STEP_SUMMARY") != "" {
		if _, serr := actions.New(e.stdout, e.getenv).WriteSummary("> [!WARNING]\n> " + msg + "\n"); serr != nil {
			e.log.Warn("writing the job summary", "error", serr)
		}
	}
	return err
}
