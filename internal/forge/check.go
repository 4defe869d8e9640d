package forge

import (
	"context"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/google/go-github/v60/github"
)

// GitHub's limits on a check run's output.
const (
	// MaxCheckText is the most characters of output.summary and output.text.
	MaxCheckText = 65535
	// MaxAnnotationsPerRequest is the most annotations one create or
	// update request may carry; more are sent in further updates, which
	// GitHub appends.
	MaxAnnotationsPerRequest = 50
)

// conclusions returns the conclusions of a completed check run, as GitHub
// names them.
func conclusions() []string {
	return []string{"success", "failure", "neutral", "cancelled", "skipped", "timed_out", "action_required"}
}

// annotationLevels returns the annotation levels of a check run.
func annotationLevels() []string { return []string{"notice", "warning", "failure"} }

// CheckName returns the check run's name for suite: "benchgate / <suite>".
func CheckName(suite string) string { return "benchgate / " + suite }

// Check is a completed check run to publish.
type Check struct {
	Suite      string // named "benchgate / <Suite>"
	HeadSHA    string // the pull request's head commit, not the merge commit
	Conclusion string // success, failure, neutral, cancelled, skipped, timed_out or action_required
	Title      string
	Summary    string // Markdown; cut to MaxCheckText with a note
	Text       string // Markdown details; cut to MaxCheckText with a note
	DetailsURL string // e.g. the workflow run; optional
	ExternalID string // optional
	// Annotations are sent MaxAnnotationsPerRequest at a time.
	Annotations []CheckAnnotation
}

// CheckAnnotation is one annotation of a check run. Path is relative to
// the repository root; StartLine and EndLine are required by GitHub (use 1
// for a file-level note).
type CheckAnnotation struct {
	Path       string
	StartLine  int
	EndLine    int
	Level      string // notice, warning or failure
	Title      string
	Message    string
	RawDetails string
}

// PublishCheck creates a completed check run for c and returns its id. It
// makes 1 request plus one per further MaxAnnotationsPerRequest
// annotations.
//
// Note: a check run created with an Actions GITHUB_TOKEN attaches to some
// Actions check suite of that commit, often another workflow's; the name
// "benchgate / <suite>" is what makes it findable and requirable.
func (c *Client) PublishCheck(ctx context.Context, ch Check) (int64, error) {
	if err := ch.validate(); err != nil {
		return 0, err
	}
	name := CheckName(ch.Suite)
	batches := slices.Collect(slices.Chunk(ch.Annotations, MaxAnnotationsPerRequest))
	output := func(i int) *github.CheckRunOutput {
		o := &github.CheckRunOutput{
			Title:   github.String(ch.Title),
			Summary: github.String(cutText(ch.Summary, MaxCheckText)),
		}
		if ch.Text != "" {
			o.Text = github.String(cutText(ch.Text, MaxCheckText))
		}
		if i < len(batches) {
			for _, a := range batches[i] {
				o.Annotations = append(o.Annotations, a.toGitHub())
			}
		}
		return o
	}
	now := &github.Timestamp{Time: time.Now().UTC().Truncate(time.Second)}
	opts := github.CreateCheckRunOptions{
		Name:        name,
		HeadSHA:     ch.HeadSHA,
		Status:      github.String("completed"),
		Conclusion:  github.String(ch.Conclusion),
		CompletedAt: now,
		Output:      output(0),
	}
	if ch.DetailsURL != "" {
		opts.DetailsURL = github.String(ch.DetailsURL)
	}
	if ch.ExternalID != "" {
		opts.ExternalID = github.String(ch.ExternalID)
	}
	run, _, err := c.gh.Checks.CreateCheckRun(ctx, c.owner, c.repo, opts)
	if err != nil {
		return 0, apiError(fmt.Sprintf("creating check run %q on %s", name, ch.HeadSHA), err)
	}
	for i := 1; i < len(batches); i++ {
		_, _, err := c.gh.Checks.UpdateCheckRun(ctx, c.owner, c.repo, run.GetID(), github.UpdateCheckRunOptions{
			Name:   name,
			Output: output(i),
		})
		if err != nil {
			return run.GetID(), apiError(fmt.Sprintf("adding annotations %d–%d to check run %d", i*MaxAnnotationsPerRequest+1,
				i*MaxAnnotationsPerRequest+len(batches[i]), run.GetID()), err)
		}
	}
	return run.GetID(), nil
}

func (ch Check) validate() error {
	switch {
	case ch.Suite == "":
		return fmt.Errorf("forge: check run: empty suite name")
	case !isSHA(ch.HeadSHA):
		return fmt.Errorf("forge: check run %q: head sha %q is not a 40-hex commit id", CheckName(ch.Suite), ch.HeadSHA)
	case !slices.Contains(conclusions(), ch.Conclusion):
		return fmt.Errorf("forge: check run %q: conclusion %q: want one of %v", CheckName(ch.Suite), ch.Conclusion, conclusions())
	case ch.Title == "":
		return fmt.Errorf("forge: check run %q: empty title", CheckName(ch.Suite))
	}
	for i, a := range ch.Annotations {
		if a.Path == "" || a.StartLine < 1 || a.EndLine < a.StartLine || a.Message == "" {
			return fmt.Errorf("forge: check run %q: annotation %d: want a path, 1 ≤ start line ≤ end line and a message", CheckName(ch.Suite), i+1)
		}
		if !slices.Contains(annotationLevels(), a.Level) {
			return fmt.Errorf("forge: check run %q: annotation %d: level %q: want one of %v", CheckName(ch.Suite), i+1, a.Level, annotationLevels())
		}
	}
	return nil
}

func (a CheckAnnotation) toGitHub() *github.CheckRunAnnotation {
	g := &github.CheckRunAnnotation{
		Path:            github.String(a.Path),
		StartLine:       github.Int(a.StartLine),
		EndLine:         github.Int(a.EndLine),
		AnnotationLevel: github.String(a.Level),
		Message:         github.String(cutText(a.Message, 64<<10-1)),
	}
	if a.Title != "" {
		g.Title = github.String(cutText(a.Title, 255))
	}
	if a.RawDetails != "" {
		g.RawDetails = github.String(cutText(a.RawDetails, 64<<10-1))
	}
	return g
}

// truncNote ends text cut to a GitHub limit.
const truncNote = "\n\n… (truncated)"

// cutText returns s when it has at most n characters, else its first
// characters and truncNote, n characters in all.
func cutText(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	keep := n - utf8.RuneCountInString(truncNote)
	if keep < 0 {
		keep = 0
	}
	i := 0
	for j := range s {
		if keep == 0 {
			i = j
			break
		}
		keep--
	}
	return s[:i] + truncNote
}

// isSHA reports whether s is a full 40-hex (SHA-1) or 64-hex (SHA-256)
// commit id.
func isSHA(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for _, r := range s {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
			return false
		}
	}
	return true
}
