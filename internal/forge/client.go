package forge

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/google/go-github/v60/github"
	"golang.org/x/oauth2"
)

// DefaultAPIURL is the REST endpoint of github.com, used when
// Config.APIURL is empty.
const DefaultAPIURL = "https://api.github.com"

// DefaultBotLogin is the author of comments written with an Actions
// GITHUB_TOKEN.
const DefaultBotLogin = "github-actions[bot]"

// Config configures a [Client].
type Config struct {
	// APIURL is the REST API's base URL, as the runner gives it in
	// GITHUB_API_URL: https://api.github.com, or https://HOST/api/v3 on
	// GitHub Enterprise Server. Empty means DefaultAPIURL.
	APIURL string
	// Token authenticates every request (a GITHUB_TOKEN, an App
	// installation token or a PAT). Empty sends unauthenticated requests.
	Token Token
	// Repository is "owner/name" (GITHUB_REPOSITORY).
	Repository string
	// BotLogin is the login that authors this client's comments: a comment
	// carrying benchgate's marker is taken as its own only when written by
	// this user. Empty means DefaultBotLogin; an App uses "<slug>[bot]".
	BotLogin string
	// Transport is the base HTTP transport; nil means
	// http.DefaultTransport. An authenticating transport goes here too:
	// the one [AppTransport] returns (GitHub App installation tokens),
	// with Token left empty (New refuses both).
	Transport http.RoundTripper
	// Retry bounds retries; zero fields take DefaultRetryPolicy's.
	Retry RetryPolicy
	// Log receives one debug line per retry; nil discards.
	Log *slog.Logger
}

// Client is a GitHub REST client bound to one repository. It is safe for
// concurrent use, but mutating calls should be made one at a time (GitHub's
// secondary rate limits punish bursts of content creation).
type Client struct {
	gh       *github.Client
	owner    string
	repo     string
	botLogin string
	calls    *atomic.Int64
}

// New returns a client for cfg. ctx bounds the token source's lifetime, as
// oauth2.NewClient documents.
func New(ctx context.Context, cfg Config) (*Client, error) {
	owner, repo, ok := strings.Cut(cfg.Repository, "/")
	if !ok || owner == "" || repo == "" || strings.Contains(repo, "/") {
		return nil, fmt.Errorf("forge: repository %q: want owner/name", cfg.Repository)
	}
	base, err := apiBase(cfg.APIURL)
	if err != nil {
		return nil, err
	}
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	transport := cfg.Transport
	if transport == nil {
		transport = http.DefaultTransport
	}
	if _, app := transport.(*appTransport); app && cfg.Token != "" {
		return nil, fmt.Errorf("forge: both a token and an app transport given: want one")
	}
	calls := new(atomic.Int64)
	rt := &retryTransport{base: transport, policy: cfg.Retry.withDefaults(), log: log, calls: calls}
	var hc *http.Client
	if cfg.Token != "" {
		ctx = context.WithValue(ctx, oauth2.HTTPClient, &http.Client{Transport: rt})
		hc = oauth2.NewClient(ctx, oauth2.StaticTokenSource(&oauth2.Token{AccessToken: cfg.Token.Reveal()}))
	} else {
		hc = &http.Client{Transport: rt}
	}
	gh := github.NewClient(hc)
	// Note: not WithEnterpriseURLs: it appends "api/v3/" to hosts that do
	// not start with "api.", which breaks loopback test servers; the
	// runner's GITHUB_API_URL already is the REST base on every flavour.
	gh.BaseURL = base
	gh.UploadURL = base
	login := cfg.BotLogin
	if login == "" {
		login = DefaultBotLogin
	}
	return &Client{gh: gh, owner: owner, repo: repo, botLogin: login, calls: calls}, nil
}

// apiBase parses the REST base URL (empty: DefaultAPIURL), with a trailing
// slash as go-github wants.
func apiBase(api string) (*url.URL, error) {
	if api == "" {
		api = DefaultAPIURL
	}
	base, err := url.Parse(strings.TrimRight(api, "/") + "/")
	if err != nil {
		return nil, fmt.Errorf("forge: api url %q: %w", api, err)
	}
	if base.Scheme != "https" && base.Scheme != "http" || base.Host == "" {
		return nil, fmt.Errorf("forge: api url %q: want an http(s) URL", api)
	}
	return base, nil
}

// BotLogin returns the login whose comments this client treats as its own.
func (c *Client) BotLogin() string { return c.botLogin }

// apiError names the call that failed; GitHub's *github.ErrorResponse
// (status, message, URL without credentials) stays visible to errors.As.
func apiError(op string, err error) error {
	return fmt.Errorf("forge: %s: %w", op, err)
}
