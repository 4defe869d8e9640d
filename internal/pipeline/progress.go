package pipeline

import (
	"io"
	"log/slog"
	"os"

	"github.com/benchgate/benchgate/internal/runner"
	"golang.org/x/term"
)

// NewProgress picks how a run shows progress on w: "groups" (GitHub Actions log
// groups, the default when GITHUB_ACTIONS=true), "bar" (a live bar with ETA,
// the default on a terminal), or "none". With a bar, the runner's log goes
// through the bar's writer.
func NewProgress(mode string, w io.Writer, log *slog.Logger, getenv func(string) string) (runner.Progress, *slog.Logger) {
	if mode == "auto" {
		switch {
		case getenv("GITHUB_ACTIONS") == "true":
			mode = "groups"
		case isTerminal(w):
			mode = "bar"
		default:
			mode = "none"
		}
	}
	switch mode {
	case "groups":
		return runner.NewGroups(w), log
	case "bar":
		b := runner.NewBar(w)
		lvl := LogLevel(getenv, slog.LevelWarn) // Note: per-run info lines would bury the bar; warnings still show.
		return b, slog.New(slog.NewTextHandler(b.LogWriter(), &slog.HandlerOptions{Level: lvl}))
	}
	return nil, log
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// LogLevel is the level of benchgate's and benchgate-bot's logs: debug when
// BENCHGATE_DEBUG is set or the runner's debug logging is on
// (RUNNER_DEBUG=1, "Enable debug logging" of a re-run), else def.
func LogLevel(getenv func(string) string, def slog.Level) slog.Level {
	if getenv("BENCHGATE_DEBUG") != "" || getenv("RUNNER_DEBUG") == "1" {
		return slog.LevelDebug
	}
	return def
}
