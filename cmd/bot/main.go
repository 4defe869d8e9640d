// Command benchgate-bot is benchgate's companion bot: it watches the main
// branch's history on the data branch and opens, updates and closes one
// GitHub issue per real regression (internal/bot). Two modes:
//
//	benchgate-bot sync --repo OWNER/NAME --remote URL|PATH [--branch benchgate-data] [--dry-run]
//	benchgate-bot serve --addr 127.0.0.1:8080 --app-id N --private-key FILE
//
// sync is one pass (a scheduled workflow with its GITHUB_TOKEN needs no
// App); serve is a GitHub App webhook receiver that syncs on a push to the
// data branch or a completed benchmark workflow and answers maintainers'
// /benchgate commands. See docs/bot.md. Exit codes: 0 done, 2 error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/benchgate/benchgate/internal/pipeline"
	"github.com/benchgate/benchgate/internal/report"
	"github.com/benchgate/benchgate/internal/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// env is how a mode sees the process.
type env struct {
	getenv         func(string) string
	stdout, stderr io.Writer
	log            *slog.Logger
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	e := &env{getenv: getenv, stdout: stdout, stderr: stderr,
		log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: pipeline.LogLevel(getenv, slog.LevelInfo)}))}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	modes := map[string]func(context.Context, *env, []string) error{"sync": cmdSync, "serve": cmdServe}
	mode, ok := modes[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "benchgate-bot: unknown mode %q\n\n%s", args[0], usage)
		return 2
	}
	if err := mode(store.WithLog(ctx, e.log), e, args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "benchgate-bot %s: %s\n", args[0], report.OneLine(err.Error()))
		return 2
	}
	return 0
}

const usage = `usage: benchgate-bot sync|serve [flags]

  sync    one pass: fetch the data branch, analyse the main branch's history,
          open, update and close the regression issues, exit
  serve   a GitHub App webhook receiver: sync on a push to the data branch or a
          completed benchmark workflow; answer /benchgate commands

benchgate-bot MODE -h lists a mode's flags. See docs/bot.md.
`
