package forgetest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Issue is an issue in the fake's state. Pull requests are kept apart (see
// [Pull]) but share the numbering and appear in the issue list, as on
// GitHub.
type Issue struct {
	Number      int
	Title       string
	Body        string
	State       string // open (default) or closed
	StateReason string // completed, not_planned, reopened, duplicate or ""
	Labels      []string
	User        string // empty means the bot login
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ClosedAt    time.Time
	Edits       int // PATCHes received
}

// Label is a repository label in the fake's state.
type Label struct {
	ID          int64
	Name        string
	Color       string
	Description string
}

// maxIssueBody is GitHub's limit on issue and comment bodies, in
// characters.
const maxIssueBody = 65536

// AddIssue adds an issue (a zero Number takes the next free number; zero
// times take the fake's clock) and returns its number. Its labels are
// created in the repository when missing, as GitHub does.
func (s *Server) AddIssue(is Issue) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if is.Number == 0 {
		is.Number = s.nextNumber()
	}
	if is.State == "" {
		is.State = "open"
	}
	if is.User == "" {
		is.User = s.opts.BotLogin
	}
	s.now = s.now.Add(time.Second)
	if is.CreatedAt.IsZero() {
		is.CreatedAt = s.now
	}
	if is.UpdatedAt.IsZero() {
		is.UpdatedAt = is.CreatedAt
	}
	if is.State == "closed" && is.ClosedAt.IsZero() {
		is.ClosedAt = is.UpdatedAt
	}
	is.Labels = s.useLabels(is.Labels)
	s.issues[is.Number] = &is
	return is.Number
}

// Issues returns every issue (not pull requests), by number.
func (s *Server) Issues() []Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Issue, 0, len(s.issues))
	for _, n := range slices.Sorted(maps.Keys(s.issues)) {
		is := *s.issues[n]
		is.Labels = slices.Clone(is.Labels)
		out = append(out, is)
	}
	return out
}

// IssueByNumber returns issue n.
func (s *Server) IssueByNumber(n int) (Issue, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	is, ok := s.issues[n]
	if !ok {
		return Issue{}, false
	}
	cp := *is
	cp.Labels = slices.Clone(is.Labels)
	return cp, true
}

// AddLabel adds (or replaces, by case-insensitive name) a repository label.
func (s *Server) AddLabel(l Label) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l.Color == "" {
		l.Color = "ededed"
	}
	if old := s.label(l.Name); old != nil {
		l.ID = old.ID
		*old = l
		return
	}
	s.nextID++
	l.ID = s.nextID
	s.labels = append(s.labels, &l)
}

// Labels returns the repository's labels, in creation order.
func (s *Server) Labels() []Label {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Label, 0, len(s.labels))
	for _, l := range s.labels {
		out = append(out, *l)
	}
	return out
}

// SetPermission gives user a role on the repository: "admin", "maintain",
// "write", "triage", "read" or "none". Users never set are not
// collaborators: GET …/collaborators/{user}/permission answers 404.
func (s *Server) SetPermission(user, role string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.perms[strings.ToLower(user)] = role
}

// RequestCount returns how many requests were received so far.
func (s *Server) RequestCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// nextNumber is the next free issue or pull-request number.
func (s *Server) nextNumber() int {
	n := 0
	for k := range s.issues {
		n = max(n, k)
	}
	for k := range s.pulls {
		n = max(n, k)
	}
	return n + 1
}

// label finds a label by case-insensitive name.
func (s *Server) label(name string) *Label {
	for _, l := range s.labels {
		if strings.EqualFold(l.Name, name) {
			return l
		}
	}
	return nil
}

// useLabels returns names as the repository spells them, creating missing
// labels, without duplicates.
func (s *Server) useLabels(names []string) []string {
	var out []string
	for _, name := range names {
		l := s.label(name)
		if l == nil {
			s.nextID++
			l = &Label{ID: s.nextID, Name: name, Color: "ededed"}
			s.labels = append(s.labels, l)
		}
		if !slices.Contains(out, l.Name) {
			out = append(out, l.Name)
		}
	}
	return out
}

func (s *Server) labelJSON(l *Label) (map[string]any, error) {
	var desc any
	if l.Description != "" {
		desc = l.Description
	}
	return s.spec.object("label", map[string]any{
		"id": l.ID, "node_id": fmt.Sprintf("LA_%d", l.ID), "name": l.Name, "color": l.Color,
		"description": desc, "default": false,
		"url": "https://api.github.com/repos/" + s.opts.Repository + "/labels/" + strings.ReplaceAll(l.Name, " ", "%20"),
	})
}

// issueView is what the issue list shows of an issue or a pull request.
type issueView struct {
	issue *Issue
	pull  *Pull
}

func (v issueView) number() int {
	if v.pull != nil {
		return v.pull.Number
	}
	return v.issue.Number
}

func (v issueView) state() string {
	if v.pull != nil {
		return v.pull.State
	}
	return v.issue.State
}

func (v issueView) labels() []string {
	if v.pull != nil {
		return v.pull.Labels
	}
	return v.issue.Labels
}

func (s *Server) issueJSON(v issueView) (map[string]any, error) {
	n := v.number()
	base := "https://api.github.com/repos/" + s.opts.Repository
	st := map[string]any{
		"id": int64(n) + 900000, "node_id": fmt.Sprintf("I_%d", n), "number": n,
		"url":            base + "/issues/" + strconv.Itoa(n),
		"repository_url": base, "labels_url": base + "/issues/" + strconv.Itoa(n) + "/labels{/name}",
		"comments_url": base + "/issues/" + strconv.Itoa(n) + "/comments",
		"events_url":   base + "/issues/" + strconv.Itoa(n) + "/events",
		"comments":     s.commentCount(n), "locked": false, "state": v.state(),
	}
	var labels []any
	for _, name := range v.labels() {
		l := s.label(name)
		if l == nil {
			continue
		}
		lj, err := s.labelJSON(l)
		if err != nil {
			return nil, err
		}
		labels = append(labels, lj)
	}
	st["labels"] = append([]any{}, labels...)
	if p := v.pull; p != nil {
		html := fmt.Sprintf("https://github.com/%s/pull/%d", s.opts.Repository, n)
		u, err := s.user(s.opts.BotLogin)
		if err != nil {
			return nil, err
		}
		st["title"], st["user"], st["html_url"] = p.Title, u, html
		st["created_at"], st["updated_at"] = s.now.Format(time.RFC3339), s.now.Format(time.RFC3339)
		st["pull_request"] = map[string]any{"url": base + "/pulls/" + strconv.Itoa(n), "html_url": html,
			"diff_url": html + ".diff", "patch_url": html + ".patch"}
		return s.spec.object("issue", st)
	}
	is := v.issue
	u, err := s.user(is.User)
	if err != nil {
		return nil, err
	}
	st["title"], st["body"], st["user"] = is.Title, is.Body, u
	st["html_url"] = fmt.Sprintf("https://github.com/%s/issues/%d", s.opts.Repository, n)
	st["created_at"], st["updated_at"] = is.CreatedAt.Format(time.RFC3339), is.UpdatedAt.Format(time.RFC3339)
	if !is.ClosedAt.IsZero() && is.State == "closed" {
		st["closed_at"] = is.ClosedAt.Format(time.RFC3339)
	}
	if is.StateReason != "" {
		st["state_reason"] = is.StateReason
	}
	return s.spec.object("issue", st)
}

func (s *Server) commentCount(n int) int {
	c := 0
	for _, cm := range s.comments {
		if cm.Issue == n {
			c++
		}
	}
	return c
}

func (s *Server) listIssues(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	state := cmp.Or(q.Get("state"), "open")
	var want []string
	if l := q.Get("labels"); l != "" {
		for _, name := range strings.Split(l, ",") {
			if name = strings.TrimSpace(name); name != "" {
				want = append(want, name)
			}
		}
	}
	var since time.Time
	if v := q.Get("since"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			unprocessable(w, "since: "+err.Error())
			return
		}
		since = t
	}
	var list []issueView
	for _, is := range s.issues {
		if since.IsZero() || !is.UpdatedAt.Before(since) {
			list = append(list, issueView{issue: is})
		}
	}
	for _, p := range s.pulls {
		list = append(list, issueView{pull: p})
	}
	list = slices.DeleteFunc(list, func(v issueView) bool {
		if state != "all" && v.state() != state {
			return true
		}
		for _, name := range want {
			if !slices.ContainsFunc(v.labels(), func(l string) bool { return strings.EqualFold(l, name) }) {
				return true
			}
		}
		return false
	})
	// Note: numbers grow with creation time; "created" (the default) and
	// "updated" sort alike here except for edited issues.
	key := func(v issueView) int64 {
		if q.Get("sort") == "updated" && v.issue != nil {
			return v.issue.UpdatedAt.Unix()*1_000_000 + int64(v.number())
		}
		return int64(v.number())
	}
	slices.SortFunc(list, func(a, b issueView) int { return cmp.Compare(key(b), key(a)) })
	if q.Get("direction") == "asc" {
		slices.Reverse(list)
	}
	s.page(w, r, len(list), func(i int) (map[string]any, error) { return s.issueJSON(list[i]) })
}

// issueInput is the body of POST …/issues and PATCH …/issues/{n}.
type issueInput struct {
	Title       *json.RawMessage   `json:"title"`
	Body        *string            `json:"body"`
	State       *string            `json:"state"`
	StateReason *string            `json:"state_reason"`
	Labels      *[]json.RawMessage `json:"labels"`
}

func decodeIssue(w http.ResponseWriter, r *http.Request) (in issueInput, title *string, labels *[]string, ok bool) {
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		unprocessable(w, err.Error())
		return in, nil, nil, false
	}
	if in.Title != nil {
		var t any
		if err := json.Unmarshal(*in.Title, &t); err != nil {
			unprocessable(w, err.Error())
			return in, nil, nil, false
		}
		str := fmt.Sprint(t)
		if f, isNum := t.(float64); isNum {
			str = strconv.FormatFloat(f, 'f', -1, 64)
		}
		title = &str
	}
	if in.Body != nil && utf8.RuneCountInString(*in.Body) > maxIssueBody {
		unprocessable(w, "body is too long (maximum is 65536 characters)")
		return in, nil, nil, false
	}
	if in.Labels != nil {
		names := []string{}
		for _, raw := range *in.Labels {
			var name string
			if err := json.Unmarshal(raw, &name); err != nil {
				var obj struct {
					Name string `json:"name"`
				}
				if err := json.Unmarshal(raw, &obj); err != nil {
					unprocessable(w, err.Error())
					return in, nil, nil, false
				}
				name = obj.Name
			}
			names = append(names, name)
		}
		labels = &names
	}
	return in, title, labels, true
}

func (s *Server) createIssue(w http.ResponseWriter, r *http.Request) {
	in, title, labels, ok := decodeIssue(w, r)
	if !ok {
		return
	}
	if title == nil || *title == "" {
		unprocessable(w, "title is missing")
		return
	}
	s.now = s.now.Add(time.Second)
	is := &Issue{Number: s.nextNumber(), Title: *title, State: "open", User: s.opts.BotLogin,
		CreatedAt: s.now, UpdatedAt: s.now}
	if in.Body != nil {
		is.Body = *in.Body
	}
	if labels != nil {
		is.Labels = s.useLabels(*labels)
	}
	s.issues[is.Number] = is
	v, err := s.issueJSON(issueView{issue: is})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusCreated, nil, v)
}

// issueOrPull answers 404 unless {n} is an issue or a pull request.
func (s *Server) issueOrPull(w http.ResponseWriter, r *http.Request) (issueView, bool) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err == nil {
		if is := s.issues[n]; is != nil {
			return issueView{issue: is}, true
		}
		if p := s.pulls[n]; p != nil {
			return issueView{pull: p}, true
		}
	}
	notFound(w)
	return issueView{}, false
}

func (s *Server) getIssue(w http.ResponseWriter, r *http.Request) {
	v, ok := s.issueOrPull(w, r)
	if !ok {
		return
	}
	out, err := s.issueJSON(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, nil, out)
}

func (s *Server) editIssue(w http.ResponseWriter, r *http.Request) {
	v, ok := s.issueOrPull(w, r)
	if !ok {
		return
	}
	if v.issue == nil {
		unprocessable(w, "fake GitHub API: editing pull requests through the issues API is not served")
		return
	}
	in, title, labels, ok := decodeIssue(w, r)
	if !ok {
		return
	}
	is := v.issue
	s.now = s.now.Add(time.Second)
	is.Edits++
	is.UpdatedAt = s.now
	if title != nil {
		is.Title = *title
	}
	if in.Body != nil {
		is.Body = *in.Body
	}
	if labels != nil {
		is.Labels = s.useLabels(*labels)
	}
	if in.State != nil && *in.State != is.State {
		is.State = *in.State
		switch {
		case is.State == "closed":
			is.ClosedAt = s.now
			is.StateReason = "completed"
			if in.StateReason != nil && *in.StateReason != "reopened" {
				is.StateReason = *in.StateReason
			}
		default:
			is.ClosedAt = time.Time{}
			is.StateReason = "reopened"
		}
	} else if in.StateReason != nil && is.State == "closed" && *in.StateReason != "reopened" {
		is.StateReason = *in.StateReason
	}
	out, err := s.issueJSON(issueView{issue: is})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, nil, out)
}

func (s *Server) listLabels(w http.ResponseWriter, r *http.Request) {
	list := slices.Clone(s.labels)
	s.page(w, r, len(list), func(i int) (map[string]any, error) { return s.labelJSON(list[i]) })
}

func (s *Server) createLabel(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name        string `json:"name"`
		Color       string `json:"color"`
		Description string `json:"description"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		unprocessable(w, err.Error())
		return
	}
	if s.label(in.Name) != nil {
		writeJSON(w, http.StatusUnprocessableEntity, nil, map[string]any{
			"message": "Validation Failed", "documentation_url": "https://docs.github.com/rest",
			"errors": []any{map[string]any{"resource": "Label", "code": "already_exists", "field": "name"}}})
		return
	}
	s.nextID++
	l := &Label{ID: s.nextID, Name: in.Name, Color: cmp.Or(strings.TrimPrefix(in.Color, "#"), "ededed"),
		Description: in.Description}
	s.labels = append(s.labels, l)
	out, err := s.labelJSON(l)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusCreated, nil, out)
}

// legacyPermission maps a role to the "permission" field GitHub keeps for
// older clients (maintain reads as write, triage as read).
var legacyPermission = map[string]string{
	"admin": "admin", "maintain": "write", "write": "write", "triage": "read", "read": "read", "none": "none",
}

func (s *Server) permission(w http.ResponseWriter, r *http.Request) {
	login := r.PathValue("username")
	role, ok := s.perms[strings.ToLower(login)]
	if !ok {
		notFound(w)
		return
	}
	u, err := s.spec.object("nullable-collaborator", map[string]any{
		"login": login, "id": 7000 + len(login), "type": "User",
		"html_url": "https://github.com/" + login, "role_name": role,
	})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	s.write(w, http.StatusOK, "repository-collaborator-permission", map[string]any{
		"permission": cmp.Or(legacyPermission[role], "read"), "role_name": role, "user": u})
}
