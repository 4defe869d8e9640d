package forgetest

import (
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

// routes serves the operations listed in internal/trim.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	const repo = "/repos/{owner}/{repo}"
	mux.HandleFunc("GET "+repo+"/issues/{n}/comments", s.repoOnly(s.listComments))
	mux.HandleFunc("POST "+repo+"/issues/{n}/comments", s.repoOnly(s.createComment))
	mux.HandleFunc("PATCH "+repo+"/issues/comments/{id}", s.repoOnly(s.editComment))
	mux.HandleFunc("DELETE "+repo+"/issues/comments/{id}", s.repoOnly(s.deleteComment))
	mux.HandleFunc("POST "+repo+"/check-runs", s.repoOnly(s.createCheck))
	mux.HandleFunc("PATCH "+repo+"/check-runs/{id}", s.repoOnly(s.updateCheck))
	mux.HandleFunc("GET "+repo+"/pulls/{n}", s.repoOnly(s.getPull))
	mux.HandleFunc("GET "+repo+"/pulls/{n}/files", s.repoOnly(s.listFiles))
	mux.HandleFunc("GET "+repo+"/commits/{sha}/pulls", s.repoOnly(s.pullsForCommit))
	mux.HandleFunc("GET "+repo+"/issues", s.repoOnly(s.listIssues))
	mux.HandleFunc("POST "+repo+"/issues", s.repoOnly(s.createIssue))
	mux.HandleFunc("GET "+repo+"/issues/{n}", s.repoOnly(s.getIssue))
	mux.HandleFunc("PATCH "+repo+"/issues/{n}", s.repoOnly(s.editIssue))
	mux.HandleFunc("GET "+repo+"/labels", s.repoOnly(s.listLabels))
	mux.HandleFunc("POST "+repo+"/labels", s.repoOnly(s.createLabel))
	mux.HandleFunc("GET "+repo+"/collaborators/{username}/permission", s.repoOnly(s.permission))
	mux.HandleFunc("GET "+repo+"/installation", s.repoOnly(s.repoInstallation))
	mux.HandleFunc("POST /app/installations/{id}/access_tokens", s.accessToken)
	return mux
}

func notFound(w http.ResponseWriter) {
	writeJSON(w, http.StatusNotFound, nil, map[string]any{
		"message": "Not Found", "documentation_url": "https://docs.github.com/rest"})
}

func unprocessable(w http.ResponseWriter, msg string) {
	writeJSON(w, http.StatusUnprocessableEntity, nil, map[string]any{
		"message": "Validation Failed", "documentation_url": "https://docs.github.com/rest",
		"errors": []any{map[string]any{"resource": "IssueComment", "code": "custom", "field": "body", "message": msg}}})
}

// repoOnly answers 404 for any repository but the served one, and holds
// the state lock around h.
func (s *Server) repoOnly(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("owner")+"/"+r.PathValue("repo") != s.opts.Repository {
			notFound(w)
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		h(w, r)
	}
}

func (s *Server) write(w http.ResponseWriter, status int, schema string, state map[string]any) {
	v, err := s.spec.object(schema, state)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, status, nil, v)
}

// page answers a list: items i of [0, n) on the requested page, with a
// Link header like GitHub's.
func (s *Server) page(w http.ResponseWriter, r *http.Request, n int, item func(i int) (map[string]any, error)) {
	per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
	if per <= 0 {
		per = 30
	}
	pg, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if pg <= 0 {
		pg = 1
	}
	lo, hi := min((pg-1)*per, n), min(pg*per, n)
	out := make([]any, 0, hi-lo)
	for i := lo; i < hi; i++ {
		v, err := item(i)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		out = append(out, v)
	}
	h := http.Header{}
	if hi < n {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(pg+1))
		q.Set("per_page", strconv.Itoa(per))
		u := *r.URL
		u.RawQuery = q.Encode()
		h.Set("Link", fmt.Sprintf(`<%s%s>; rel="next"`, s.URL, u.RequestURI()))
	}
	writeJSON(w, http.StatusOK, h, out)
}

func (s *Server) user(login string) (map[string]any, error) {
	typ := "User"
	if isBot(login) {
		typ = "Bot"
	}
	return s.spec.object("simple-user", map[string]any{
		"login": login, "id": 41898282, "type": typ,
		"html_url": "https://github.com/" + strings.TrimSuffix(login, "[bot]"),
	})
}

func (s *Server) commentJSON(c *Comment) (map[string]any, error) {
	u, err := s.user(c.User)
	if err != nil {
		return nil, err
	}
	base := "https://api.github.com/repos/" + s.opts.Repository
	kind := "pull"
	if s.issues[c.Issue] != nil {
		kind = "issues"
	}
	return s.spec.object("issue-comment", map[string]any{
		"id": c.ID, "node_id": fmt.Sprintf("IC_%d", c.ID), "body": c.Body, "user": u,
		"url":                base + "/issues/comments/" + strconv.FormatInt(c.ID, 10),
		"issue_url":          base + "/issues/" + strconv.Itoa(c.Issue),
		"html_url":           fmt.Sprintf("https://github.com/%s/%s/%d#issuecomment-%d", s.opts.Repository, kind, c.Issue, c.ID),
		"author_association": "NONE",
		"created_at":         c.CreatedAt.Format(time.RFC3339), "updated_at": c.UpdatedAt.Format(time.RFC3339),
	})
}

// issue answers 404 unless {n} is an issue or a pull request.
func (s *Server) issue(w http.ResponseWriter, r *http.Request) (int, bool) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || s.pulls[n] == nil && s.issues[n] == nil {
		notFound(w)
		return 0, false
	}
	return n, true
}

func (s *Server) listComments(w http.ResponseWriter, r *http.Request) {
	n, ok := s.issue(w, r)
	if !ok {
		return
	}
	var since time.Time
	if v := r.URL.Query().Get("since"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			unprocessable(w, "since: "+err.Error())
			return
		}
		since = t
	}
	var list []*Comment
	for _, c := range s.comments {
		if c.Issue == n && (since.IsZero() || !c.UpdatedAt.Before(since)) {
			list = append(list, c)
		}
	}
	s.page(w, r, len(list), func(i int) (map[string]any, error) { return s.commentJSON(list[i]) })
}

// commentBody decodes {"body": …} and applies GitHub's length limit.
func commentBody(w http.ResponseWriter, r *http.Request) (string, bool) {
	var in struct {
		Body string `json:"body"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		unprocessable(w, err.Error())
		return "", false
	}
	if utf8.RuneCountInString(in.Body) > 65536 {
		unprocessable(w, "Body is too long (maximum is 65536 characters)")
		return "", false
	}
	return in.Body, true
}

func (s *Server) createComment(w http.ResponseWriter, r *http.Request) {
	n, ok := s.issue(w, r)
	if !ok {
		return
	}
	body, ok := commentBody(w, r)
	if !ok {
		return
	}
	c := s.addComment(n, s.opts.BotLogin, body)
	v, err := s.commentJSON(c)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusCreated, nil, v)
}

func (s *Server) commentByID(w http.ResponseWriter, r *http.Request) *Comment {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	c := s.comment(id)
	if err != nil || c == nil {
		notFound(w)
		return nil
	}
	return c
}

func (s *Server) editComment(w http.ResponseWriter, r *http.Request) {
	c := s.commentByID(w, r)
	if c == nil {
		return
	}
	if c.User != s.opts.BotLogin {
		writeJSON(w, http.StatusForbidden, nil, map[string]any{
			"message": "Resource not accessible by integration", "documentation_url": "https://docs.github.com/rest"})
		return
	}
	body, ok := commentBody(w, r)
	if !ok {
		return
	}
	s.now = s.now.Add(time.Second)
	c.Body, c.UpdatedAt = body, s.now
	c.Edits++
	v, err := s.commentJSON(c)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, nil, v)
}

func (s *Server) deleteComment(w http.ResponseWriter, r *http.Request) {
	c := s.commentByID(w, r)
	if c == nil {
		return
	}
	for i, x := range s.comments {
		if x == c {
			s.comments = append(s.comments[:i], s.comments[i+1:]...)
			break
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// checkInput is the body of POST/PATCH …/check-runs.
type checkInput struct {
	Name       string  `json:"name"`
	HeadSHA    string  `json:"head_sha"`
	Status     *string `json:"status"`
	Conclusion *string `json:"conclusion"`
	DetailsURL *string `json:"details_url"`
	ExternalID *string `json:"external_id"`
	Output     *struct {
		Title       string `json:"title"`
		Summary     string `json:"summary"`
		Text        string `json:"text"`
		Annotations []struct {
			Path      string `json:"path"`
			StartLine int    `json:"start_line"`
			EndLine   int    `json:"end_line"`
			Level     string `json:"annotation_level"`
			Title     string `json:"title"`
			Message   string `json:"message"`
		} `json:"annotations"`
	} `json:"output"`
}

func (c *CheckRun) apply(in checkInput) {
	c.Requests++
	if in.Name != "" {
		c.Name = in.Name
	}
	if in.Status != nil {
		c.Status = *in.Status
	}
	if in.Conclusion != nil {
		c.Conclusion = *in.Conclusion
		c.Status = "completed"
	}
	if in.DetailsURL != nil {
		c.DetailsURL = *in.DetailsURL
	}
	if in.ExternalID != nil {
		c.ExternalID = *in.ExternalID
	}
	if o := in.Output; o != nil {
		c.Title, c.Summary, c.Text = o.Title, o.Summary, o.Text
		for _, a := range o.Annotations {
			c.Annotations = append(c.Annotations, Annotation{Path: a.Path, StartLine: a.StartLine,
				EndLine: a.EndLine, Level: a.Level, Title: a.Title, Message: a.Message})
		}
	}
}

func (s *Server) checkJSON(c *CheckRun) (map[string]any, error) {
	base := "https://api.github.com/repos/" + s.opts.Repository
	var conclusion any
	if c.Conclusion != "" {
		conclusion = c.Conclusion
	}
	var completed any
	if c.Status == "completed" {
		completed = s.now.Format(time.RFC3339)
	}
	return s.spec.object("check-run", map[string]any{
		"id": c.ID, "node_id": fmt.Sprintf("CR_%d", c.ID), "head_sha": c.HeadSHA, "name": c.Name,
		"url":      base + "/check-runs/" + strconv.FormatInt(c.ID, 10),
		"html_url": fmt.Sprintf("https://github.com/%s/runs/%d", s.opts.Repository, c.ID),
		"status":   c.Status, "conclusion": conclusion, "details_url": c.DetailsURL,
		"external_id": c.ExternalID, "started_at": s.now.Format(time.RFC3339), "completed_at": completed,
		"output": map[string]any{"title": c.Title, "summary": c.Summary, "text": c.Text,
			"annotations_count": len(c.Annotations),
			"annotations_url":   base + "/check-runs/" + strconv.FormatInt(c.ID, 10) + "/annotations"},
		"pull_requests": []any{},
	})
}

func (s *Server) createCheck(w http.ResponseWriter, r *http.Request) {
	var in checkInput
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		unprocessable(w, err.Error())
		return
	}
	s.nextID++
	c := &CheckRun{ID: s.nextID, HeadSHA: in.HeadSHA, Status: "queued"}
	c.apply(in)
	s.checks = append(s.checks, c)
	v, err := s.checkJSON(c)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusCreated, nil, v)
}

func (s *Server) updateCheck(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	c := s.check(id)
	if err != nil || c == nil {
		notFound(w)
		return
	}
	var in checkInput
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		unprocessable(w, err.Error())
		return
	}
	c.apply(in)
	v, err := s.checkJSON(c)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, nil, v)
}

func (s *Server) repoJSON(fullName string) (map[string]any, error) {
	owner, name, _ := strings.Cut(fullName, "/")
	u, err := s.user(owner)
	if err != nil {
		return nil, err
	}
	return s.spec.object("repository", map[string]any{
		"full_name": fullName, "name": name, "owner": u, "fork": fullName != s.opts.Repository,
		"default_branch": "main", "html_url": "https://github.com/" + fullName,
	})
}

// pullState is the part of a pull request shared by the full and the
// simple representation.
func (s *Server) pullState(p *Pull) (map[string]any, error) {
	head, err := s.repoJSON(p.HeadRepo)
	if err != nil {
		return nil, err
	}
	base, err := s.repoJSON(s.opts.Repository)
	if err != nil {
		return nil, err
	}
	owner, _, _ := strings.Cut(p.HeadRepo, "/")
	baseOwner, _, _ := strings.Cut(s.opts.Repository, "/")
	hu, err := s.user(owner)
	if err != nil {
		return nil, err
	}
	bu, err := s.user(baseOwner)
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"number": p.Number, "state": p.State, "title": p.Title, "id": int64(p.Number) + 500000,
		"html_url": fmt.Sprintf("https://github.com/%s/pull/%d", s.opts.Repository, p.Number),
		"head":     map[string]any{"sha": p.HeadSHA, "ref": p.HeadRef, "label": owner + ":" + p.HeadRef, "repo": head, "user": hu},
		"base":     map[string]any{"sha": p.BaseSHA, "ref": p.BaseRef, "label": baseOwner + ":" + p.BaseRef, "repo": base, "user": bu},
	}, nil
}

func (s *Server) getPull(w http.ResponseWriter, r *http.Request) {
	n, ok := s.issue(w, r)
	if !ok {
		return
	}
	st, err := s.pullState(s.pulls[n])
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	st["changed_files"] = len(s.pulls[n].Files)
	s.write(w, http.StatusOK, "pull-request", st)
}

func (s *Server) listFiles(w http.ResponseWriter, r *http.Request) {
	n, ok := s.issue(w, r)
	if !ok {
		return
	}
	files := s.pulls[n].Files
	s.page(w, r, len(files), func(i int) (map[string]any, error) {
		return s.spec.object("diff-entry", map[string]any{"filename": files[i], "status": "modified",
			"sha": "0000000000000000000000000000000000000000"})
	})
}

func (s *Server) pullsForCommit(w http.ResponseWriter, r *http.Request) {
	sha := r.PathValue("sha")
	var list []*Pull
	for _, n := range slices.Sorted(maps.Keys(s.pulls)) {
		if p := s.pulls[n]; p.HeadSHA == sha {
			list = append(list, p)
		}
	}
	s.page(w, r, len(list), func(i int) (map[string]any, error) {
		st, err := s.pullState(list[i])
		if err != nil {
			return nil, err
		}
		return s.spec.object("pull-request-simple", st)
	})
}
