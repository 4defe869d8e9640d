package bot

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"time"

	"github.com/benchgate/benchgate/internal/databranch"
	"github.com/benchgate/benchgate/internal/history"
	"github.com/benchgate/benchgate/internal/site"
	"github.com/benchgate/benchgate/internal/store"
)

// SyncOptions configure Sync.
type SyncOptions struct {
	// Branch is the data branch (Remote and Name) to fetch.
	Branch *databranch.Branch
	// Dir keeps the fetched database, with the analysis's detections saved
	// into it; empty, a temporary directory that Sync removes (and no save).
	Dir string
	// History selects the series and the ref analysed, and grades them.
	History history.Options
	// Since, when set, limits the plan to the change groups whose first bad
	// commit it shows; issues of older ranges are left as they are.
	Since history.Since
	// Plan configures the issues planned (Repo, MinSeverity, MaxNew,
	// SiteURL); Now is set by Sync.
	Plan Options
	// DryRun plans without changing any issue.
	DryRun bool
	// Site, when set, has Sync build the reports site from the fetched
	// database once the issues are reconciled, its regressions linked to
	// their issues, and publish it (not with DryRun).
	Site *SiteOptions
	Log  *slog.Logger
}

// SiteOptions say how Sync builds and where it publishes the reports site.
type SiteOptions struct {
	Build   site.Options // Out and Issues are Sync's
	Publish site.PublishOptions
}

// SyncResult is what one sync found and did.
type SyncResult struct {
	Fetched  databranch.FetchResult
	Analysis *history.Analysis
	Saved    store.SaveStats
	Plan     Plan
	Applied  Stats
	Existing int // bot issues found (any state)
	// Site and Published say what Sync built and pushed (SyncOptions.Site).
	Site      site.Stats
	Published site.Published
}

// Sync is one pass of the bot: it fetches the data branch, runs the
// main-branch change-point analysis on it (internal/history, the code of
// benchgate changes; its detections saved into the fetched database when
// it is kept in Dir), lists the
// bot's issues (by LabelBot, every page, never the search API), plans the
// reconciliation and, unless DryRun, applies it.
func Sync(ctx context.Context, gh GitHub, o SyncOptions) (SyncResult, error) {
	var res SyncResult
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	dir := o.Dir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "benchgate-bot-")
		if err != nil {
			return res, fmt.Errorf("sync: %w", err)
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	path := filepath.Join(dir, "benchgate.duckdb")
	for _, p := range []string{path, path + ".wal"} {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			return res, fmt.Errorf("sync: removing the previous fetch: %w", err)
		}
	}
	var err error
	if res.Fetched, err = o.Branch.Fetch(ctx, path); err != nil {
		return res, fmt.Errorf("sync: fetching the data branch: %w", err)
	}
	log.Info("fetched the data branch", "branch", o.Branch.Name, "runs", res.Fetched.Runs)
	st, err := store.Open(ctx, path)
	if err != nil {
		return res, fmt.Errorf("sync: %w", err)
	}
	defer st.Close()
	if res.Analysis, err = history.Analyze(ctx, st, o.History); err != nil {
		return res, fmt.Errorf("sync: %w", err)
	}
	analysed := *res.Analysis // every group: the site shows them all
	if res.Analysis.Groups, err = res.Analysis.ShownGroups(o.Since); err != nil {
		return res, fmt.Errorf("sync: --since: %w", err)
	}
	now := time.Now()
	if o.Dir != "" {
		// A kept fetch holds the detections the issues were planned from
		// (benchgate changes --db reads them back); a temporary one would
		// only be deleted.
		if res.Saved, err = history.Save(ctx, st, res.Analysis, now); err != nil {
			return res, fmt.Errorf("sync: %w", err)
		}
	}
	existing, err := gh.ListIssues(ctx, LabelBot, "all")
	if err != nil {
		return res, fmt.Errorf("sync: listing the bot's issues: %w", err)
	}
	res.Existing = len(existing)
	if o.Dir != "" {
		// The kept database records what maintainers accepted, with the
		// labels: benchgate changes --db shows those regressions accepted.
		for commit, note := range AcceptedRanges(existing) {
			if _, err := st.Accept(ctx, commit, note, now); err != nil {
				return res, fmt.Errorf("sync: %w", err)
			}
		}
	}
	po := o.Plan
	po.Now = now
	res.Plan = NewPlan(res.Analysis, existing, po)
	log.Info("planned", "ref", res.Plan.Ref, "series", len(res.Analysis.Series), "groups", len(res.Analysis.Groups),
		"issues", len(existing), "actions", len(res.Plan.Actions))
	if o.DryRun {
		return res, nil
	}
	if res.Applied, err = Apply(ctx, gh, res.Plan); err != nil {
		return res, fmt.Errorf("sync: %w", err)
	}
	if o.Site != nil {
		if err := publishSite(ctx, gh, st, dir, o, &analysed, &res); err != nil {
			return res, fmt.Errorf("sync: %w", err)
		}
		log.Info("published the reports site", "branch", o.Site.Publish.Branch, "commit", res.Published.Commit,
			"series", res.Site.Series, "files", res.Site.Files)
	}
	return res, nil
}

// publishSite builds the site of st into dir with its regressions linked
// to the bot's issues (listed again: Apply may have filed some), and
// publishes it. The site's main branch is a, the sync's analysis, when the
// site would analyse the store alike.
func publishSite(ctx context.Context, gh GitHub, st *store.DB, dir string, o SyncOptions, a *history.Analysis, res *SyncResult) error {
	issues, err := gh.ListIssues(ctx, LabelBot, "all")
	if err != nil {
		return fmt.Errorf("listing the bot's issues for the site: %w", err)
	}
	bo := o.Site.Build
	bo.Out, bo.Issues, bo.Accepted = filepath.Join(dir, "site"), IssueLinks(issues), AcceptedRanges(issues)
	if bo.Branch == "" {
		bo.Branch = o.History.Branch
	}
	if reflect.DeepEqual(bo.MainOptions(), o.History) {
		bo.Analysis = a
	}
	if res.Site, err = site.Build(ctx, st, bo); err != nil {
		return err
	}
	res.Published, err = site.Publish(ctx, bo.Out, o.Site.Publish)
	return err
}

// IssueLinks maps each suspect commit of the bot's issues (their markers'
// commits, the first bad one first) to the issue's URL; an older issue's
// link wins for a commit two issues name.
func IssueLinks(issues []Issue) map[string]string {
	slices.SortStableFunc(issues, func(a, b Issue) int { return a.Number - b.Number })
	out := map[string]string{}
	for _, is := range issues {
		m, ok := ParseMarker(is.Body)
		if !ok || is.HTMLURL == "" {
			continue
		}
		for _, c := range m.Commits {
			if _, seen := out[c]; !seen {
				out[c] = is.HTMLURL
			}
		}
	}
	return out
}

// AcceptedRanges maps the first bad commit of each range a maintainer
// accepted (/benchgate accept: LabelAccepted and the marker's Accepted) to
// a note naming the issue, e.g. "accepted in #12".
func AcceptedRanges(issues []Issue) map[string]string {
	out := map[string]string{}
	for _, is := range issues {
		m, ok := ParseMarker(is.Body)
		if ok && m.Accepted != "" && hasLabel(is, LabelAccepted) {
			out[m.Accepted] = fmt.Sprintf("accepted in #%d", is.Number)
		}
	}
	return out
}
