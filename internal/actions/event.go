package actions

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// Event is what benchgate needs of the event that triggered the workflow.
type Event struct {
	// Name is GITHUB_EVENT_NAME: pull_request, pull_request_target, push,
	// workflow_dispatch, schedule, merge_group or workflow_run.
	Name string
	// Repository is GITHUB_REPOSITORY, "owner/name".
	Repository string
	// DefaultBranch is the repository's default branch, from the payload.
	DefaultBranch string
	// Ref is the ref the run is for: refs/heads/… for pushes,
	// refs/pull/N/merge for pull requests (GITHUB_REF).
	Ref string
	// SHA is the commit the workflow checked out (GITHUB_SHA): for a pull
	// request, the test merge commit.
	SHA string
	// PRNumber is the pull request's number; 0 when not a PR event.
	PRNumber int
	// HeadSHA is the commit being measured: the PR head (not the merge
	// commit), the merge group's head, the push's after, else SHA.
	HeadSHA string
	// HeadRef is the PR's head branch (attacker-controlled for forks).
	HeadRef string
	// BaseSHA and BaseRef are the PR's (or merge group's) base; for a push,
	// BaseSHA is the before commit.
	BaseSHA string
	BaseRef string
	// Fork is true for a pull request from another repository: the token
	// is read-only and secrets are absent (except under
	// pull_request_target, which runs the base branch's workflow).
	Fork bool
	// WorkflowRun is set for workflow_run events.
	WorkflowRun *WorkflowRun
}

// WorkflowRun is the part of a workflow_run event used to post a fork PR's
// results from a privileged workflow.
type WorkflowRun struct {
	ID         int64
	Event      string // the triggering event of the finished run
	Conclusion string
	HeadSHA    string
	HeadRepo   string
	PRNumbers  []int // empty for fork PRs (actions/runner#3444)
}

// IsPullRequest reports whether the event is a pull_request or
// pull_request_target.
func (e *Event) IsPullRequest() bool {
	return e.Name == "pull_request" || e.Name == "pull_request_target"
}

// ReadEvent reads the event from GITHUB_EVENT_NAME and the JSON file at
// GITHUB_EVENT_PATH, with GITHUB_REPOSITORY, GITHUB_REF and GITHUB_SHA.
// Unknown event names are an error naming them.
func ReadEvent(getenv func(string) string) (*Event, error) {
	e := &Event{
		Name:       getenv("GITHUB_EVENT_NAME"),
		Repository: getenv("GITHUB_REPOSITORY"),
		Ref:        getenv("GITHUB_REF"),
		SHA:        getenv("GITHUB_SHA"),
	}
	if e.Name == "" {
		return nil, fmt.Errorf("reading the event: GITHUB_EVENT_NAME is not set")
	}
	path := getenv("GITHUB_EVENT_PATH")
	if path == "" {
		return nil, fmt.Errorf("reading the %s event: GITHUB_EVENT_PATH is not set", e.Name)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading the %s event: %w", e.Name, err)
	}
	defer f.Close()
	if err := e.decode(io.LimitReader(f, maxEventBytes)); err != nil {
		return nil, fmt.Errorf("reading the %s event %s: %w", e.Name, path, err)
	}
	return e, nil
}

// maxEventBytes caps the event file read (GitHub's webhook payloads are at
// most 25 MB).
const maxEventBytes = 25 << 20

// payload is the union of the fields read from the supported events.
type payload struct {
	Number      int `json:"number"`
	PullRequest *struct {
		Number int `json:"number"`
		Head   ref `json:"head"`
		Base   ref `json:"base"`
	} `json:"pull_request"`
	Before     string `json:"before"`
	After      string `json:"after"`
	Ref        string `json:"ref"`
	Repository repo   `json:"repository"`
	MergeGroup *struct {
		HeadSHA string `json:"head_sha"`
		HeadRef string `json:"head_ref"`
		BaseSHA string `json:"base_sha"`
		BaseRef string `json:"base_ref"`
	} `json:"merge_group"`
	WorkflowRun *struct {
		ID           int64  `json:"id"`
		Event        string `json:"event"`
		Conclusion   string `json:"conclusion"`
		HeadSHA      string `json:"head_sha"`
		HeadRepo     repo   `json:"head_repository"`
		PullRequests []struct {
			Number int `json:"number"`
		} `json:"pull_requests"`
	} `json:"workflow_run"`
}

type ref struct {
	SHA  string `json:"sha"`
	Ref  string `json:"ref"`
	Repo *repo  `json:"repo"`
}

type repo struct {
	FullName      string `json:"full_name"`
	DefaultBranch string `json:"default_branch"`
	Fork          bool   `json:"fork"`
}

func (e *Event) decode(r io.Reader) error {
	var p payload
	if err := json.NewDecoder(r).Decode(&p); err != nil {
		return err
	}
	e.DefaultBranch = p.Repository.DefaultBranch
	if e.Repository == "" {
		e.Repository = p.Repository.FullName
	}
	e.HeadSHA = e.SHA
	switch e.Name {
	case "pull_request", "pull_request_target":
		pr := p.PullRequest
		if pr == nil {
			return fmt.Errorf("no pull_request object")
		}
		e.PRNumber = pr.Number
		if e.PRNumber == 0 {
			e.PRNumber = p.Number
		}
		e.HeadSHA, e.HeadRef = pr.Head.SHA, pr.Head.Ref
		e.BaseSHA, e.BaseRef = pr.Base.SHA, pr.Base.Ref
		base := e.Repository
		if pr.Base.Repo != nil && pr.Base.Repo.FullName != "" {
			base = pr.Base.Repo.FullName
		}
		// A deleted fork has a null head repository: still a fork.
		e.Fork = pr.Head.Repo == nil || !strings.EqualFold(pr.Head.Repo.FullName, base)
		if e.PRNumber <= 0 || e.HeadSHA == "" {
			return fmt.Errorf("pull_request without number or head sha")
		}
	case "push":
		if p.After != "" {
			e.HeadSHA = p.After
		}
		e.BaseSHA = p.Before
		if p.Ref != "" {
			e.Ref = p.Ref
		}
	case "merge_group":
		mg := p.MergeGroup
		if mg == nil {
			return fmt.Errorf("no merge_group object")
		}
		e.HeadSHA, e.HeadRef, e.BaseSHA, e.BaseRef = mg.HeadSHA, mg.HeadRef, mg.BaseSHA, mg.BaseRef
	case "workflow_run":
		wr := p.WorkflowRun
		if wr == nil {
			return fmt.Errorf("no workflow_run object")
		}
		e.WorkflowRun = &WorkflowRun{ID: wr.ID, Event: wr.Event, Conclusion: wr.Conclusion,
			HeadSHA: wr.HeadSHA, HeadRepo: wr.HeadRepo.FullName}
		for _, pr := range wr.PullRequests {
			e.WorkflowRun.PRNumbers = append(e.WorkflowRun.PRNumbers, pr.Number)
		}
		e.Fork = wr.HeadRepo.FullName != "" && !strings.EqualFold(wr.HeadRepo.FullName, e.Repository)
	case "workflow_dispatch", "schedule":
		// GITHUB_SHA and GITHUB_REF are the run's commit and ref.
	default:
		return fmt.Errorf("unsupported event %q: want pull_request, pull_request_target, push, workflow_dispatch, schedule, merge_group or workflow_run", e.Name)
	}
	return nil
}
