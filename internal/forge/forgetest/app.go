package forgetest

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v4"
)

// App is a GitHub App installed on the served repository.
type App struct {
	ID        int64
	Slug      string // empty means "benchgate"
	PublicKey *rsa.PublicKey
	// InstallationID is its installation on the served repository; zero
	// means not installed (GET …/installation answers 404).
	InstallationID int64
	// TokenTTL is the lifetime of the installation tokens minted; zero
	// means GitHub's hour.
	TokenTTL time.Duration
}

// AddApp registers an app. App endpoints (/app/…, GET
// /repos/{owner}/{repo}/installation) then accept a JWT signed with the
// app's key (RS256, iss = the app id, exp at most 10 minutes ahead), and
// every other endpoint accepts the installation tokens minted for it (as
// well as Options.Token, when set).
func (s *Server) AddApp(a App) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a.Slug == "" {
		a.Slug = "benchgate"
	}
	if a.TokenTTL == 0 {
		a.TokenTTL = time.Hour
	}
	s.apps[a.ID] = &a
}

// MintedToken is an installation access token the fake issued.
type MintedToken struct {
	Token          string
	InstallationID int64
	ExpiresAt      time.Time
	Repositories   []string // the names the token was narrowed to, if any
}

// Minted returns the installation tokens issued so far, oldest first.
func (s *Server) Minted() []MintedToken {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]MintedToken(nil), s.minted...)
}

type appKey struct{}

// appOf returns the app whose JWT authenticated r (set by authorize).
func appOf(r *http.Request) *App {
	a, _ := r.Context().Value(appKey{}).(*App)
	return a
}

// appEndpoint reports whether path needs a JWT rather than a token.
func appEndpoint(path string) bool {
	if strings.HasPrefix(path, "/app/") || path == "/app" {
		return true
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	return len(parts) == 4 && parts[0] == "repos" && parts[3] == "installation"
}

// authorize checks r's credentials. It returns r (carrying the app of a
// JWT) or a message for a 401.
func (s *Server) authorize(r *http.Request) (*http.Request, string) {
	auth := r.Header.Get("Authorization")
	cred, hasBearer := strings.CutPrefix(auth, "Bearer ")
	if !hasBearer {
		cred, _ = strings.CutPrefix(auth, "token ")
	}
	if appEndpoint(r.URL.Path) {
		if !hasBearer {
			return nil, "A JSON web token could not be decoded"
		}
		a, err := s.verifyJWT(cred)
		if err != nil {
			return nil, "'Expiration time' claim ('exp') or signature is invalid: " + err.Error()
		}
		return r.WithContext(context.WithValue(r.Context(), appKey{}, a)), ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.opts.Token == "" && len(s.apps) == 0 {
		return r, ""
	}
	if s.opts.Token != "" && cred == s.opts.Token && auth != "" {
		return r, ""
	}
	for _, m := range s.minted {
		if cred == m.Token && time.Now().Before(m.ExpiresAt) {
			return r, ""
		}
	}
	return nil, "Bad credentials"
}

// verifyJWT checks an app JWT as GitHub does: RS256 signed by a registered
// app's key, iss the app id, issued in the past, expiring within 10
// minutes.
func (s *Server) verifyJWT(tok string) (*App, error) {
	var app *App
	claims := &jwt.RegisteredClaims{}
	_, err := jwt.ParseWithClaims(tok, claims, func(t *jwt.Token) (any, error) {
		if t.Method != jwt.SigningMethodRS256 {
			return nil, fmt.Errorf("signing method %v, want RS256", t.Header["alg"])
		}
		c, _ := t.Claims.(*jwt.RegisteredClaims)
		id, err := strconv.ParseInt(c.Issuer, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("iss %q: not an app id", c.Issuer)
		}
		s.mu.Lock()
		app = s.apps[id]
		s.mu.Unlock()
		if app == nil {
			return nil, fmt.Errorf("no app %d", id)
		}
		return app.PublicKey, nil
	})
	if err != nil {
		return nil, err
	}
	now := time.Now()
	if claims.ExpiresAt == nil || claims.ExpiresAt.After(now.Add(10*time.Minute+time.Minute)) {
		return nil, fmt.Errorf("exp missing or more than 10 minutes ahead")
	}
	if claims.IssuedAt == nil || claims.IssuedAt.After(now.Add(time.Minute)) {
		return nil, fmt.Errorf("iat missing or in the future")
	}
	return app, nil
}

func (s *Server) installationJSON(a *App) (map[string]any, error) {
	owner, _, _ := strings.Cut(s.opts.Repository, "/")
	u, err := s.user(owner)
	if err != nil {
		return nil, err
	}
	id := strconv.FormatInt(a.InstallationID, 10)
	return s.spec.object("installation", map[string]any{
		"id": a.InstallationID, "app_id": a.ID, "app_slug": a.Slug, "target_id": 1, "target_type": "Organization",
		"repository_selection": "selected", "account": u,
		"access_tokens_url": "https://api.github.com/app/installations/" + id + "/access_tokens",
		"repositories_url":  "https://api.github.com/installation/repositories",
		"html_url":          "https://github.com/organizations/" + owner + "/settings/installations/" + id,
		"events":            []any{"issue_comment", "push", "workflow_run"},
		"permissions":       map[string]any{"issues": "write", "contents": "read", "metadata": "read"},
		"created_at":        s.now.Format(time.RFC3339), "updated_at": s.now.Format(time.RFC3339),
	})
}

func (s *Server) repoInstallation(w http.ResponseWriter, r *http.Request) {
	a := appOf(r)
	if a == nil || a.InstallationID == 0 {
		notFound(w)
		return
	}
	v, err := s.installationJSON(a)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, nil, v)
}

func (s *Server) accessToken(w http.ResponseWriter, r *http.Request) {
	a := appOf(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if a == nil || err != nil || a.InstallationID == 0 || id != a.InstallationID {
		notFound(w)
		return
	}
	var in struct {
		Repositories []string `json:"repositories"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil && !errors.Is(err, io.EOF) {
		unprocessable(w, err.Error())
		return
	}
	_, name, _ := strings.Cut(s.opts.Repository, "/")
	for _, repo := range in.Repositories {
		if repo != name {
			unprocessable(w, "There is at least one repository that does not exist or is not accessible to the parent installation.")
			return
		}
	}
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	m := MintedToken{Token: "ghs_" + hex.EncodeToString(b), InstallationID: id,
		ExpiresAt: time.Now().Add(a.TokenTTL).Truncate(time.Second), Repositories: in.Repositories}
	s.mu.Lock()
	s.minted = append(s.minted, m)
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, nil, map[string]any{
		"token": m.Token, "expires_at": m.ExpiresAt.UTC().Format(time.RFC3339),
		"permissions":          map[string]any{"issues": "write", "contents": "read", "metadata": "read"},
		"repository_selection": "selected",
	})
}
