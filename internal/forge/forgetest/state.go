package forgetest

import (
	"slices"
	"strings"
	"time"
)

// Pull is a pull request the fake serves.
type Pull struct {
	Number   int
	State    string // open (default) or closed
	Title    string
	HeadSHA  string
	HeadRef  string
	HeadRepo string // owner/name; empty means the served repository
	BaseSHA  string
	BaseRef  string
	Files    []string // changed files, for GET …/pulls/{n}/files
	Labels   []string // shown in the issue list (GET …/issues)
}

// Comment is an issue comment in the fake's state.
type Comment struct {
	ID        int64
	Issue     int
	User      string
	Body      string
	CreatedAt time.Time
	UpdatedAt time.Time
	Edits     int // PATCHes received
}

// CheckRun is a check run in the fake's state.
type CheckRun struct {
	ID          int64
	Name        string
	HeadSHA     string
	Status      string
	Conclusion  string
	Title       string
	Summary     string
	Text        string
	DetailsURL  string
	ExternalID  string
	Annotations []Annotation
	Requests    int // the create request and every update
}

// Annotation is a check-run annotation in the fake's state.
type Annotation struct {
	Path      string
	StartLine int
	EndLine   int
	Level     string
	Title     string
	Message   string
}

// AddPull adds (or replaces) a pull request.
func (s *Server) AddPull(p Pull) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.State == "" {
		p.State = "open"
	}
	if p.HeadRepo == "" {
		p.HeadRepo = s.opts.Repository
	}
	p.Labels = s.useLabels(p.Labels)
	s.pulls[p.Number] = &p
}

// AddComment adds a comment by user on issue or pull request n and
// returns its id.
func (s *Server) AddComment(n int, user, body string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addComment(n, user, body).ID
}

func (s *Server) addComment(n int, user, body string) *Comment {
	s.nextID++
	s.now = s.now.Add(time.Second)
	c := &Comment{ID: s.nextID, Issue: n, User: user, Body: body, CreatedAt: s.now, UpdatedAt: s.now}
	s.comments = append(s.comments, c)
	return c
}

// Comments returns the comments of issue or pull request n, oldest first.
func (s *Server) Comments(n int) []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Comment
	for _, c := range s.comments {
		if c.Issue == n {
			out = append(out, *c)
		}
	}
	return out
}

// CheckRuns returns every check run, oldest first.
func (s *Server) CheckRuns() []CheckRun {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]CheckRun, 0, len(s.checks))
	for _, c := range s.checks {
		cp := *c
		cp.Annotations = slices.Clone(c.Annotations)
		out = append(out, cp)
	}
	return out
}

func (s *Server) comment(id int64) *Comment {
	for _, c := range s.comments {
		if c.ID == id {
			return c
		}
	}
	return nil
}

func (s *Server) check(id int64) *CheckRun {
	for _, c := range s.checks {
		if c.ID == id {
			return c
		}
	}
	return nil
}

func isBot(login string) bool { return strings.HasSuffix(login, "[bot]") }
