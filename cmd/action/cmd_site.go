package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	gitcmd "github.com/benchgate/benchgate/internal/git"
	"github.com/benchgate/benchgate/internal/site"
	"github.com/benchgate/benchgate/internal/store"
)

func cmdSite(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "site", "[--db PATH] [--out DIR] [--repo OWNER/NAME] [--publish --remote URL|PATH [--branch gh-pages]]",
		"Write the reports site of the database as static files: an overview (suites, the main\n"+
			"branch's status, regressions, recent change points), benchmarks × hardware heatmaps, a\n"+
			"page per series with an interactive chart, search and filters, errors, downloads\n"+
			"(Parquet, CSV, the database) and a SQL tab (DuckDB-WASM). No server is needed: upload\n"+
			"DIR with actions/upload-pages-artifact, or --publish it to a branch as one parentless\n"+
			"commit. The data files are documented in docs/site-data.md.\n\n"+
			"examples:\n"+
			"  benchgate site --out site\n"+
			"  benchgate site --db benchgate.duckdb --repo owner/name --publish --remote origin")
	db := dbFlags(fs)
	out := fs.String("out", "benchgate-site", "directory of the site (replaced as a whole once the new one is complete)")
	mainBranch := fs.String("main-branch", "", "the branch analysed for change points (default: the data's main branch)")
	repo := fs.String("repo", "", "OWNER/NAME for commit links (default: $GITHUB_REPOSITORY)")
	title := fs.String("title", "", "the site's title (default: \"OWNER/NAME benchmarks\")")
	noDownloads := fs.Bool("no-downloads", false, "leave out the Parquet, CSV and database downloads, and so the SQL tab and its 34 MB of DuckDB-WASM")
	publish := fs.Bool("publish", false, "push the site to --branch of --remote as one parentless commit (--force-with-lease)")
	remote := fs.String("remote", "", "with --publish: a remote of this repository (origin), a URL or a path")
	branch := fs.String("branch", "gh-pages", "with --publish: the branch GitHub Pages serves")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *publish && *remote == "" {
		return errors.New("--publish needs --remote")
	}
	path := dbPath(e, *db)
	st, err := store.OpenReadOnly(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()
	o := siteOptions(e, *repo, *title, *mainBranch)
	o.Out, o.Downloads, o.DBFile = *out, !*noDownloads, path
	stats, err := site.Build(ctx, st, o)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "site: %d series, %d files, %.1f MiB in %s (%s)\n", stats.Series, stats.Files,
		float64(stats.Bytes)/(1<<20), *out, stats.Elapsed.Round(time.Millisecond))
	if !*publish {
		return nil
	}
	url := gitcmd.RemoteURL(ctx, ".", *remote)
	p, err := site.Publish(ctx, *out, site.PublishOptions{Remote: url, Branch: *branch, Env: gitcmd.AuthEnv(url, e.getenv("GITHUB_TOKEN"))})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "published %s to branch %s of %s\n", gitcmd.Short(p.Commit), *branch, gitcmd.Redact(url))
	return nil
}

// siteOptions are the site options common to site and serve.
func siteOptions(e *env, repo, title, mainBranch string) site.Options {
	if repo == "" {
		repo = e.getenv("GITHUB_REPOSITORY")
	}
	return site.Options{Repo: repo, ServerURL: e.getenv("GITHUB_SERVER_URL"), Title: title, Branch: mainBranch, Log: e.log}
}

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", "[--db PATH] [--addr 127.0.0.1:8501]",
		"Serve the reports site of a local database (the interactive dashboard), rebuilt\n"+
			"whenever the database changes. Read-only; binds to loopback unless told otherwise.\n"+
			"Stops on Ctrl-C.")
	db := dbFlags(fs)
	addr := fs.String("addr", "127.0.0.1:8501", "address to listen on")
	repo := fs.String("repo", "", "OWNER/NAME for commit links (default: $GITHUB_REPOSITORY)")
	mainBranch := fs.String("main-branch", "", "the branch analysed for change points (default: the data's main branch)")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	path := dbPath(e, *db)
	if _, err := site.Bundle(); err != nil {
		return err
	}
	o := siteOptions(e, *repo, "", *mainBranch)
	o.Downloads = true
	srv := &site.Server{DBPath: path, Opts: o, Log: e.log}
	defer srv.Close()
	return srv.ListenAndServe(ctx, *addr, func(url string) { fmt.Fprintf(e.stdout, "serving %s at %s (Ctrl-C stops)\n", path, url) })
}
