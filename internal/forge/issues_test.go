package forge_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/forge"
	"github.com/benchgate/benchgate/internal/forge/forgetest"
)

func TestListIssuesPaginatesAndSkipsPulls(t *testing.T) {
	f := newFake(t)
	f.AddPull(forgetest.Pull{Number: 9, Title: "labelled pull", HeadSHA: sha1, BaseSHA: base1, Labels: []string{"benchgate"}})
	for i := range 250 {
		labels := []string{"benchgate"}
		if i%50 == 0 {
			labels = []string{"other"}
		}
		f.AddIssue(forgetest.Issue{Title: fmt.Sprintf("issue %d", i), Labels: labels})
	}
	closed := f.AddIssue(forgetest.Issue{Title: "closed one", State: "closed", Labels: []string{"benchgate"}})
	c := newClient(t, f.URL, nil)
	ctx := context.Background()

	before := f.RequestCount()
	got, err := c.ListIssues(ctx, "benchgate", "open")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 245 {
		t.Fatalf("open issues labelled benchgate: got %d; want 245", len(got))
	}
	if n := f.RequestCount() - before; n != 3 {
		t.Errorf("requests: got %d; want 3 pages", n)
	}
	seen := map[int]bool{}
	for _, is := range got {
		if is.IsPullRequest || is.Number == 9 {
			t.Errorf("pull request #%d listed", is.Number)
		}
		if seen[is.Number] {
			t.Errorf("#%d listed twice", is.Number)
		}
		seen[is.Number] = true
		if !slices.Contains(is.Labels, "benchgate") || is.State != "open" || is.User != bot ||
			!strings.HasSuffix(is.HTMLURL, fmt.Sprintf("/issues/%d", is.Number)) {
			t.Errorf("#%d: %+v", is.Number, is)
		}
	}
	for _, r := range f.Requests()[before:] {
		if r.Path != "/repos/octo/bench/issues" || !strings.Contains(r.Query, "per_page=100") ||
			!strings.Contains(r.Query, "labels=benchgate") || !strings.Contains(r.Query, "state=open") {
			t.Errorf("request %s %s?%s", r.Method, r.Path, r.Query)
		}
	}
	all, err := c.ListIssues(ctx, "benchgate", "all")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 246 || !slices.ContainsFunc(all, func(is forge.Issue) bool { return is.Number == closed }) {
		t.Errorf("all: got %d issues; want 246 with #%d", len(all), closed)
	}
	cl, err := c.ListIssues(ctx, "benchgate", "closed")
	if err != nil || len(cl) != 1 || cl[0].Number != closed {
		t.Errorf("closed: got %+v, %v; want #%d", cl, err, closed)
	}
	if _, err := c.ListIssues(ctx, "benchgate", "merged"); err == nil || !strings.Contains(err.Error(), "merged") {
		t.Errorf("state merged: got %v; want an error", err)
	}
}

func TestIssueLifecycle(t *testing.T) {
	f := newFake(t)
	c := newClient(t, f.URL, nil)
	ctx := context.Background()
	is, err := c.CreateIssue(ctx, "BenchmarkX regressed 10%", "body <!-- benchgate:fp=abc -->", []string{"benchgate", "regression"})
	if err != nil {
		t.Fatal(err)
	}
	if is.Number != 9 || is.State != "open" || fmt.Sprint(is.Labels) != "[benchgate regression]" || is.CreatedAt.IsZero() {
		t.Errorf("created: %+v (pull requests 7 and 8 take those numbers)", is)
	}
	closed, reason := "closed", "not_planned"
	got, err := c.EditIssue(ctx, is.Number, forge.IssueEdit{State: &closed, StateReason: &reason})
	if err != nil {
		t.Fatal(err)
	}
	if got.State != "closed" || got.StateReason != "not_planned" {
		t.Errorf("closed: %+v", got)
	}
	open, body := "open", "new body"
	labels := []string{"benchgate", "ack"}
	got, err = c.EditIssue(ctx, is.Number, forge.IssueEdit{State: &open, Body: &body, Labels: &labels})
	if err != nil {
		t.Fatal(err)
	}
	if got.State != "open" || got.StateReason != "reopened" || got.Body != "new body" || fmt.Sprint(got.Labels) != "[benchgate ack]" {
		t.Errorf("reopened: %+v", got)
	}
	title := "BenchmarkX regressed 12%"
	got, err = c.EditIssue(ctx, is.Number, forge.IssueEdit{Title: &title, Labels: &[]string{}})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := f.IssueByNumber(is.Number)
	if got.Title != title || got.Body != "new body" || len(got.Labels) != 0 || st.Edits != 3 || len(st.Labels) != 0 {
		t.Errorf("retitled: %+v; state %+v", got, st)
	}
	if _, err := c.EditIssue(ctx, 404, forge.IssueEdit{Title: &title}); err == nil || !strings.Contains(err.Error(), "#404") {
		t.Errorf("editing a missing issue: got %v; want an error naming #404", err)
	}
}

func TestIssueComments(t *testing.T) {
	f := newFake(t)
	c := newClient(t, f.URL, nil)
	ctx := context.Background()
	n := f.AddIssue(forgetest.Issue{Title: "t"})
	for i := range 120 {
		f.AddComment(n, "alice", fmt.Sprintf("c%d", i))
	}
	mine, err := c.CreateIssueComment(ctx, n, "/benchgate ack")
	if err != nil {
		t.Fatal(err)
	}
	if mine.User != bot || mine.Body != "/benchgate ack" || !strings.Contains(mine.HTMLURL, fmt.Sprintf("/issues/%d#issuecomment-", n)) {
		t.Errorf("created: %+v", mine)
	}
	all, err := c.ListIssueComments(ctx, n, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 121 || all[0].Body != "c0" || all[120].ID != mine.ID {
		t.Errorf("all comments: got %d, first %+v", len(all), all[0])
	}
	since := f.Comments(n)[100].CreatedAt
	recent, err := c.ListIssueComments(ctx, n, since)
	if err != nil {
		t.Fatal(err)
	}
	if len(recent) != 21 || recent[0].Body != "c100" {
		t.Errorf("since %v: got %d comments starting %+v; want 21 from c100", since, len(recent), recent[0])
	}
	last := f.Requests()[len(f.Requests())-1]
	if !strings.Contains(last.Query, "since=") {
		t.Errorf("since not sent: %s", last.Query)
	}
}

func TestEnsureLabels(t *testing.T) {
	f := newFake(t)
	f.AddLabel(forgetest.Label{Name: "Benchgate", Color: "123456", Description: "keep me"})
	for i := range 120 {
		f.AddLabel(forgetest.Label{Name: fmt.Sprintf("l%03d", i)})
	}
	c := newClient(t, f.URL, nil)
	want := []forge.Label{
		{Name: "benchgate", Color: "ff0000", Description: "ours"},
		{Name: "benchgate:infra", Color: "#0000ff", Description: "environment change"},
		{Name: "l119"},
	}
	for range 2 {
		if err := c.EnsureLabels(context.Background(), want); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(f, "POST", "/repos/octo/bench/labels"); n != 1 {
		t.Errorf("labels created: got %d; want 1 (only benchgate:infra, once)", n)
	}
	ls := f.Labels()
	if ls[0] != (forgetest.Label{ID: ls[0].ID, Name: "Benchgate", Color: "123456", Description: "keep me"}) {
		t.Errorf("existing label changed: %+v", ls[0])
	}
	last := ls[len(ls)-1]
	if last.Name != "benchgate:infra" || last.Color != "0000ff" || last.Description != "environment change" {
		t.Errorf("created: %+v", last)
	}
	if err := c.EnsureLabels(context.Background(), []forge.Label{{Name: " "}}); err == nil {
		t.Error("empty label name: want an error")
	}
}

func TestPermission(t *testing.T) {
	f := newFake(t)
	for user, role := range map[string]string{"alice": "write", "bob": "read", "carol": "maintain", "dave": "triage", "erin": "admin"} {
		f.SetPermission(user, role)
	}
	c := newClient(t, f.URL, nil)
	for user, want := range map[string]string{"alice": "write", "bob": "read", "carol": "maintain", "dave": "triage",
		"erin": "admin", "mallory": "none"} {
		got, err := c.Permission(context.Background(), user)
		if err != nil || got != want {
			t.Errorf("Permission(%s): got %q, %v; want %q", user, got, err, want)
		}
	}
	if _, err := c.Permission(context.Background(), "a/b"); err == nil {
		t.Error("login with a slash: want an error")
	}
	f.Fail("GET", "/repos/octo/bench/collaborators/", 1, http.StatusForbidden, nil, `{"message":"Resource not accessible by integration"}`)
	if got, err := c.Permission(context.Background(), "alice"); err == nil || got != "" {
		t.Errorf("403: got %q, %v; want an error, not a permission", got, err)
	}
}

func TestAPICallsAndBodyLimit(t *testing.T) {
	f := newFake(t)
	c := newClient(t, f.URL, nil)
	ctx := context.Background()
	if c.APICalls() != 0 {
		t.Fatalf("APICalls before any call: %d", c.APICalls())
	}
	is, err := c.CreateIssue(ctx, "t", "b", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListIssues(ctx, "", "all"); err != nil {
		t.Fatal(err)
	}
	f.Fail("GET", "/repos/octo/bench/issues", 1, http.StatusBadGateway, nil, `{"message":"bad gateway"}`)
	if _, err := c.ListIssues(ctx, "", "all"); err != nil {
		t.Fatal(err)
	}
	if got, want := c.APICalls(), f.RequestCount(); got != want || got != 4 {
		t.Errorf("APICalls: got %d; want %d (the fake's count, a retry included)", got, want)
	}
	long := strings.Repeat("é", forge.MaxBodyChars+1)
	before := f.RequestCount()
	_, err1 := c.CreateIssue(ctx, "t", long, nil)
	_, err2 := c.EditIssue(ctx, is.Number, forge.IssueEdit{Body: &long})
	_, err3 := c.CreateIssueComment(ctx, is.Number, long)
	for i, err := range []error{err1, err2, err3} {
		if !errors.Is(err, forge.ErrBodyTooLong) || !strings.HasPrefix(err.Error(), "forge: ") {
			t.Errorf("call %d: got %v; want ErrBodyTooLong", i+1, err)
		}
	}
	if !strings.Contains(err2.Error(), fmt.Sprintf("#%d", is.Number)) || !strings.Contains(err3.Error(), fmt.Sprintf("#%d", is.Number)) {
		t.Errorf("errors do not name the issue: %v; %v", err2, err3)
	}
	if n := f.RequestCount() - before; n != 0 {
		t.Errorf("requests sent for over-long bodies: %d", n)
	}
	exact := strings.Repeat("é", forge.MaxBodyChars)
	if _, err := c.CreateIssueComment(ctx, is.Number, exact); err != nil {
		t.Errorf("a body of exactly %d characters: %v", forge.MaxBodyChars, err)
	}
}

// appKey returns a fresh RSA key and its PKCS#1 PEM.
func appKey(t *testing.T) (*rsa.PrivateKey, []byte) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return key, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
}

func TestAppTransport(t *testing.T) {
	key, pemKey := appKey(t)
	ctx := context.Background()
	for _, tt := range []struct {
		name         string
		installation int64 // passed to AppTransport
		ttl          time.Duration
		mints        int // tokens minted for 3 calls
	}{
		{name: "installation looked up", installation: 0, mints: 1},
		{name: "installation given", installation: 77, mints: 1},
		{name: "short-lived tokens are minted again", installation: 77, ttl: 30 * time.Second, mints: 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := forgetest.New(t, forgetest.Options{Repository: repo, BotLogin: "benchgate[bot]"})
			f.AddApp(forgetest.App{ID: 42, PublicKey: &key.PublicKey, InstallationID: 77, TokenTTL: tt.ttl})
			rt, err := forge.AppTransport(ctx, f.URL+"/", 42, pemKey, tt.installation, repo)
			if err != nil {
				t.Fatal(err)
			}
			c, err := forge.New(ctx, forge.Config{APIURL: f.URL, Repository: repo, Transport: rt, BotLogin: "benchgate[bot]"})
			if err != nil {
				t.Fatal(err)
			}
			for i := range 3 {
				if _, err := c.CreateIssue(ctx, fmt.Sprintf("t%d", i), "b", []string{"benchgate"}); err != nil {
					t.Fatal(err)
				}
			}
			minted := f.Minted()
			if len(minted) != tt.mints {
				t.Fatalf("tokens minted: got %d; want %d", len(minted), tt.mints)
			}
			if minted[0].InstallationID != 77 || fmt.Sprint(minted[0].Repositories) != "[bench]" {
				t.Errorf("token for installation %d, repositories %q; want 77, [bench]", minted[0].InstallationID, minted[0].Repositories)
			}
			tok, err := forge.InstallationToken(ctx, rt)
			if err != nil || tok.Reveal() != f.Minted()[len(f.Minted())-1].Token || fmt.Sprint(tok) != "[redacted]" {
				t.Errorf("InstallationToken: %v, %v", tok, err)
			}
			var lookups int
			for _, r := range f.Requests() {
				if r.Path == "/repos/octo/bench/installation" {
					lookups++
				}
			}
			if want := map[bool]int{true: 1, false: 0}[tt.installation == 0]; lookups != want {
				t.Errorf("installation look-ups: got %d; want %d", lookups, want)
			}
			if n := len(f.Issues()); n != 3 {
				t.Errorf("issues created: %d", n)
			}
		})
	}
}

func TestAppTransportErrors(t *testing.T) {
	key, pemKey := appKey(t)
	_, otherPEM := appKey(t)
	ctx := context.Background()
	f := forgetest.New(t, forgetest.Options{Repository: repo})
	f.AddApp(forgetest.App{ID: 42, PublicKey: &key.PublicKey, InstallationID: 77})
	f.AddApp(forgetest.App{ID: 43, PublicKey: &key.PublicKey})

	if _, err := forge.AppTransport(ctx, f.URL, 42, []byte("not a key"), 0, repo); err == nil || !strings.Contains(err.Error(), "private key") {
		t.Errorf("bad key: %v", err)
	}
	if _, err := forge.AppTransport(ctx, f.URL, 42, otherPEM, 0, repo); err == nil || !strings.Contains(err.Error(), "installation") {
		t.Errorf("JWT signed with another key: %v", err)
	}
	if _, err := forge.AppTransport(ctx, f.URL, 43, pemKey, 0, repo); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("app not installed: %v", err)
	}
	if _, err := forge.AppTransport(ctx, f.URL, 0, pemKey, 77, repo); err == nil {
		t.Error("app id 0: want an error")
	}
	rt, err := forge.AppTransport(ctx, f.URL, 42, pemKey, 0, repo)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := forge.New(ctx, forge.Config{APIURL: f.URL, Repository: repo, Transport: rt, Token: token}); err == nil {
		t.Error("token and app transport: want an error")
	}
	// A client without credentials is refused once an app is installed.
	plain, err := forge.New(ctx, forge.Config{APIURL: f.URL, Repository: repo})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plain.ListIssues(ctx, "benchgate", "open"); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("no credentials: %v", err)
	}
	for _, tk := range f.Minted() {
		if strings.Contains(fmt.Sprint(err), tk.Token) {
			t.Error("an error shows a token")
		}
	}
}
