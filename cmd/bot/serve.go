package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/benchgate/benchgate/internal/bot"
	"github.com/benchgate/benchgate/internal/forge"
	"github.com/benchgate/benchgate/internal/webhook"
)

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var a authFlags
	var p planFlags
	a.add(fs, e)
	p.add(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	secretEnv := fs.String("secret-env", "BENCHGATE_WEBHOOK_SECRET", "environment variable holding the App's webhook secret")
	workflows := fs.String("workflows", "", "comma-separated benchmark workflow names whose completed runs trigger a sync (default: any on the default branch)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !strings.Contains(p.remote, "{repo}") && p.remote != "" && p.repo == "" {
		return fmt.Errorf("--remote %q serves one repository: give --repo, or use {repo} in --remote (e.g. https://github.com/{repo}.git)", p.remote)
	}
	h := &handler{e: e, auth: a, plan: p}
	o := webhook.Options{Secret: []byte(e.getenv(*secretEnv)), DataBranch: p.branch, Logger: e.log}
	if *workflows != "" {
		o.Workflows = strings.Split(*workflows, ",")
	}
	srv, err := webhook.New(o, h.handle)
	if err != nil {
		return fmt.Errorf("%w (the secret comes from $%s)", err, *secretEnv)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("--addr: %w", err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second}
	e.log.Info("serving webhooks", "addr", ln.Addr().String())
	fmt.Fprintf(e.stdout, "listening on %s\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// SIGTERM: new deliveries get 503 while the queued work finishes.
	done, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	err = errors.Join(srv.Shutdown(done), hs.Shutdown(done))
	e.log.Info("stopped")
	return err
}

// handler runs the webhook's events.
type handler struct {
	e    *env
	auth authFlags
	plan planFlags
}

func (h *handler) handle(ctx context.Context, ev webhook.Event) error {
	gh, token, err := h.auth.client(ctx, h.e, ev.Repo, ev.InstallationID)
	if err != nil {
		return err
	}
	switch ev.Kind {
	case webhook.KindSync:
		p := h.plan
		p.remote = strings.ReplaceAll(p.remote, "{repo}", ev.Repo)
		o, err := p.options(h.e, ev.Repo, token, false)
		if err != nil {
			return err
		}
		res, err := bot.Sync(ctx, gh, o)
		if err != nil {
			return err
		}
		h.e.log.Info("synced", "repo", ev.Repo, "delivery", ev.Delivery, "applied", appliedText(res, false), "api_calls", gh.APICalls())
		return nil
	case webhook.KindCommand:
		return h.command(ctx, gh, ev)
	}
	return fmt.Errorf("unknown event kind %q", ev.Kind)
}

// command answers a maintainer's /benchgate command on a bot issue.
func (h *handler) command(ctx context.Context, gh *forge.Client, ev webhook.Event) error {
	cmd, arg, ok := webhook.ParseCommand(ev.Comment)
	if !ok {
		return nil
	}
	issues, err := gh.ListIssues(ctx, bot.LabelBot, "all")
	if err != nil {
		return err
	}
	for _, is := range issues {
		if is.Number != ev.Issue {
			continue
		}
		r, err := bot.Command(ctx, gh, is, ev.User, cmd, arg)
		if err != nil {
			return err
		}
		if !r.Posted && r.Text != "" {
			_, err = gh.CreateIssueComment(ctx, ev.Issue, r.Text)
		}
		h.e.log.Info("command", "repo", ev.Repo, "issue", ev.Issue, "command", cmd, "done", r.Done)
		return err
	}
	return nil // not a bot issue: stay silent
}
