package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"

	"github.com/benchgate/benchgate/gate"
	"github.com/benchgate/benchgate/internal/bot"
	"github.com/benchgate/benchgate/internal/databranch"
	"github.com/benchgate/benchgate/internal/forge"
	gitcmd "github.com/benchgate/benchgate/internal/git"
	"github.com/benchgate/benchgate/internal/history"
	"github.com/benchgate/benchgate/internal/site"
)

// authFlags choose how the bot authenticates: GITHUB_TOKEN, or a GitHub
// App's credentials.
type authFlags struct {
	apiURL, privateKey, botLogin string
	appID, installationID        int64
}

func (a *authFlags) add(fs *flag.FlagSet, e *env) {
	fs.StringVar(&a.apiURL, "api-url", e.getenv("GITHUB_API_URL"), "REST API base URL (default $GITHUB_API_URL, else https://api.github.com)")
	fs.Int64Var(&a.appID, "app-id", 0, "GitHub App id (with --private-key); without it the token is $GITHUB_TOKEN")
	fs.StringVar(&a.privateKey, "private-key", "", "GitHub App private key file (PEM)")
	fs.Int64Var(&a.installationID, "installation-id", 0, "GitHub App installation id (default: looked up for --repo)")
	fs.StringVar(&a.botLogin, "bot-login", "", `login the bot writes as (default github-actions[bot]; an App: "<slug>[bot]")`)
}

// client returns a GitHub client for repo and the token git should use
// for an https remote ("" for none).
func (a *authFlags) client(ctx context.Context, e *env, repo string, installation int64) (*forge.Client, forge.Token, error) {
	cfg := forge.Config{APIURL: a.apiURL, Repository: repo, BotLogin: a.botLogin, Log: e.log}
	if a.appID == 0 {
		cfg.Token = forge.Token(e.getenv("GITHUB_TOKEN"))
		if cfg.Token == "" {
			return nil, "", fmt.Errorf("no credentials: set GITHUB_TOKEN, or give --app-id and --private-key")
		}
		c, err := forge.New(ctx, cfg)
		return c, cfg.Token, err
	}
	key, err := os.ReadFile(a.privateKey)
	if err != nil {
		return nil, "", fmt.Errorf("--private-key: %w", err)
	}
	if installation == 0 {
		installation = a.installationID
	}
	rt, err := forge.AppTransport(ctx, a.apiURL, a.appID, key, installation, repo)
	if err != nil {
		return nil, "", err
	}
	cfg.Transport = rt
	c, err := forge.New(ctx, cfg)
	if err != nil {
		return nil, "", err
	}
	tok, err := forge.InstallationToken(ctx, rt)
	return c, tok, err
}

// planFlags are what a sync plans with.
type planFlags struct {
	repo, remote, branch, ref, site, severity, dir, since string
	maxNew                                                int
	publishSite                                           bool
	siteRemote, siteBranch                                string
}

func (p *planFlags) add(fs *flag.FlagSet) {
	fs.StringVar(&p.repo, "repo", "", "repository OWNER/NAME whose issues the bot keeps (required; default $GITHUB_REPOSITORY)")
	fs.StringVar(&p.remote, "remote", "", "git remote holding the data branch: a URL or a path (required)")
	fs.StringVar(&p.branch, "branch", databranch.DefaultBranch, "name of the data branch")
	fs.StringVar(&p.ref, "ref", "", "ref analysed (default: the data's main branch)")
	fs.StringVar(&p.site, "site-url", "", "the reports site, linked from each series (optional)")
	fs.StringVar(&p.severity, "min-severity", "major", "least severity that files an issue: minor, major or critical")
	fs.IntVar(&p.maxNew, "max-new", bot.DefaultMaxNew, "most new issues per sync; the rest go into one digest issue")
	fs.StringVar(&p.since, "since", "", "only plan ranges whose first bad commit is at or after this date (2006-01-02) or commit; older issues are left as they are")
	fs.StringVar(&p.dir, "work-dir", "", "keep the fetched database here, with the detections saved into it (default: a temporary one, removed)")
	fs.BoolVar(&p.publishSite, "publish-site", false, "after reconciling the issues, build the reports site (benchgate site) and push it to --site-branch")
	fs.StringVar(&p.siteRemote, "site-remote", "", "with --publish-site: the git remote to push the site to (default: --remote)")
	fs.StringVar(&p.siteBranch, "site-branch", "gh-pages", "with --publish-site: the branch GitHub Pages serves")
}

// options returns the sync's options for repo, git authenticated by token.
func (p *planFlags) options(e *env, repo string, token forge.Token, dryRun bool) (bot.SyncOptions, error) {
	sev, err := gate.ParseSeverity(p.severity)
	if err != nil || sev < gate.SeverityMinor {
		return bot.SyncOptions{}, fmt.Errorf("--min-severity %q: want minor, major or critical", p.severity)
	}
	since, err := history.ParseSince(p.since, false, true)
	if err != nil {
		return bot.SyncOptions{}, fmt.Errorf("--since: %w", err)
	}
	remote := p.remote
	if remote == "" {
		return bot.SyncOptions{}, fmt.Errorf("--remote is required")
	}
	var siteOpts *bot.SiteOptions
	if p.publishSite {
		to := cmp.Or(p.siteRemote, remote)
		siteOpts = &bot.SiteOptions{
			Build:   site.Options{Repo: repo, ServerURL: e.getenv("GITHUB_SERVER_URL"), Downloads: true, Log: e.log},
			Publish: site.PublishOptions{Remote: to, Branch: p.siteBranch, Env: gitcmd.AuthEnv(to, token.Reveal())},
		}
	}
	return bot.SyncOptions{
		Site:    siteOpts,
		Branch:  &databranch.Branch{Remote: remote, Name: p.branch, Log: e.log, Env: gitcmd.AuthEnv(remote, token.Reveal())},
		Dir:     p.dir,
		History: history.Options{Branch: p.ref},
		Since:   since,
		Plan:    bot.Options{Repo: repo, MinSeverity: sev, MaxNew: p.maxNew, SiteURL: p.site},
		DryRun:  dryRun,
		Log:     e.log,
	}, nil
}

func cmdSync(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var a authFlags
	var p planFlags
	a.add(fs, e)
	p.add(fs)
	dryRun := fs.Bool("dry-run", false, "print what would be opened, updated, closed and commented; change nothing")
	format := fs.String("format", "table", "what --dry-run prints (and a sync reports): table or json")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *format != "table" && *format != "json" {
		return fmt.Errorf("--format %q: want table or json", *format)
	}
	repo := p.repo
	if repo == "" {
		repo = e.getenv("GITHUB_REPOSITORY")
	}
	gh, token, err := a.client(ctx, e, repo, 0)
	if err != nil {
		return err
	}
	o, err := p.options(e, repo, token, *dryRun)
	if err != nil {
		return err
	}
	res, err := bot.Sync(ctx, gh, o)
	if err != nil {
		return err
	}
	if *format == "json" {
		err = res.Plan.WriteJSON(e.stdout)
	} else {
		err = res.Plan.WriteTable(e.stdout)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "%s: %d runs, %d series, %d change groups, %d bot issues; %s; %s API calls\n",
		history.RefName(res.Analysis.Ref), res.Fetched.Runs, len(res.Analysis.Series), len(res.Analysis.Groups),
		res.Existing, appliedText(res, *dryRun), strconv.Itoa(gh.APICalls()))
	return nil
}

// appliedText says what a sync did (or, dry, would do).
func appliedText(res bot.SyncResult, dry bool) string {
	if dry {
		return fmt.Sprintf("dry run: %d actions, nothing changed", len(res.Plan.Actions))
	}
	s := res.Applied
	t := fmt.Sprintf("%d opened, %d updated, %d commented, %d closed, %d reopened, %d digests", s.Opened, s.Updated, s.Commented, s.Closed, s.Reopened, s.Digests)
	if res.Published.Commit != "" {
		t += fmt.Sprintf("; site of %d series published at %s", res.Site.Series, gitcmd.Short(res.Published.Commit))
	}
	return t
}
