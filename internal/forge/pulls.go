package forge

import (
	"context"
	"fmt"

	"github.com/google/go-github/v60/github"
)

// PullRequest is what benchgate needs of a pull request.
type PullRequest struct {
	Number   int
	State    string // open or closed
	HeadSHA  string // the head commit (not the merge commit)
	HeadRef  string
	HeadRepo string // owner/name of the head repository
	BaseSHA  string
	BaseRef  string
	BaseRepo string // owner/name of the base repository
	// Fork is true when the head lives in another repository: its
	// workflow runs get a read-only token.
	Fork bool
}

func pullFromGitHub(p *github.PullRequest) PullRequest {
	head, base := p.GetHead(), p.GetBase()
	pr := PullRequest{
		Number:   p.GetNumber(),
		State:    p.GetState(),
		HeadSHA:  head.GetSHA(),
		HeadRef:  head.GetRef(),
		HeadRepo: head.GetRepo().GetFullName(),
		BaseSHA:  base.GetSHA(),
		BaseRef:  base.GetRef(),
		BaseRepo: base.GetRepo().GetFullName(),
	}
	// A deleted fork has no head repository: still a fork.
	pr.Fork = pr.HeadRepo != pr.BaseRepo || head.GetRepo().GetFork()
	return pr
}

// PullRequest returns pull request n.
func (c *Client) PullRequest(ctx context.Context, n int) (PullRequest, error) {
	p, _, err := c.gh.PullRequests.Get(ctx, c.owner, c.repo, n)
	if err != nil {
		return PullRequest{}, apiError(fmt.Sprintf("getting pull request #%d", n), err)
	}
	return pullFromGitHub(p), nil
}

// ErrHeadMoved is returned by VerifyHead when the pull request's head is no
// longer the commit that was benchmarked.
type ErrHeadMoved struct {
	Number    int
	Want, Got string
}

func (e *ErrHeadMoved) Error() string {
	return fmt.Sprintf("forge: pull request #%d: head is %s, not the benchmarked %s", e.Number, e.Got, e.Want)
}

// VerifyHead returns the pull request n when its head commit is sha, and
// an *ErrHeadMoved otherwise. The privileged workflow_run side calls it
// before it trusts a PR number carried in an untrusted results file.
func (c *Client) VerifyHead(ctx context.Context, n int, sha string) (PullRequest, error) {
	pr, err := c.PullRequest(ctx, n)
	if err != nil {
		return PullRequest{}, err
	}
	if pr.HeadSHA != sha {
		return pr, &ErrHeadMoved{Number: n, Want: sha, Got: pr.HeadSHA}
	}
	return pr, nil
}

// PullRequestsForCommit returns the pull requests whose head is commit sha
// (open or closed). For a workflow_run triggered by a fork's pull request,
// whose pull_requests array is empty, this finds the PR.
func (c *Client) PullRequestsForCommit(ctx context.Context, sha string) ([]PullRequest, error) {
	var out []PullRequest
	opts := &github.ListOptions{PerPage: 100}
	for {
		page, resp, err := c.gh.PullRequests.ListPullRequestsWithCommit(ctx, c.owner, c.repo, sha, opts)
		if err != nil {
			return nil, apiError(fmt.Sprintf("listing pull requests of commit %s", sha), err)
		}
		for _, p := range page {
			if pr := pullFromGitHub(p); pr.HeadSHA == sha {
				out = append(out, pr)
			}
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

// ChangedFiles returns the paths of the files pull request n changes
// (GitHub lists at most 3,000).
func (c *Client) ChangedFiles(ctx context.Context, n int) ([]string, error) {
	var out []string
	opts := &github.ListOptions{PerPage: 100}
	for {
		page, resp, err := c.gh.PullRequests.ListFiles(ctx, c.owner, c.repo, n, opts)
		if err != nil {
			return nil, apiError(fmt.Sprintf("listing files of pull request #%d", n), err)
		}
		for _, f := range page {
			out = append(out, f.GetFilename())
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}
