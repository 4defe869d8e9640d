package forge

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v60/github"
)

// appTransport authenticates requests as a GitHub App installation.
type appTransport struct {
	itr *ghinstallation.Transport
}

func (t *appTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return t.itr.RoundTrip(req)
}

// AppTransport returns an HTTP transport that authenticates every request
// with an installation access token of GitHub App appID, for [Config]'s
// Transport (with Token empty). The app's JWT is signed with privateKeyPEM
// (the PEM file GitHub hands out, PKCS#1 or PKCS#8 RSA); the token is
// minted on first use from POST /app/installations/{id}/access_tokens and
// minted again a minute before it expires (GitHub's tokens last an hour).
// The token is limited to repo ("owner/name") when it is given. When
// installationID is 0 the installation is looked up now from GET
// /repos/{owner}/{repo}/installation of repo ("owner/name"), with the JWT.
// apiURL is the REST base as for Config.APIURL (GITHUB_API_URL; empty
// means DefaultAPIURL). Neither the key, the JWT nor the token is logged or
// put in an error.
//
// Token requests are not retried: a failing mint fails the request that
// needed it, and the next request tries again.
func AppTransport(ctx context.Context, apiURL string, appID int64, privateKeyPEM []byte, installationID int64, repo string) (http.RoundTripper, error) {
	op := fmt.Sprintf("github app %d", appID)
	if appID <= 0 {
		return nil, fmt.Errorf("forge: %s: want a positive app id", op)
	}
	if installationID < 0 {
		return nil, fmt.Errorf("forge: %s: installation %d: want a positive id, or 0 to look it up", op, installationID)
	}
	base, err := apiBase(apiURL)
	if err != nil {
		return nil, fmt.Errorf("forge: %s: %w", op, err)
	}
	atr, err := ghinstallation.NewAppsTransport(http.DefaultTransport, appID, privateKeyPEM)
	if err != nil {
		// Note: the library's key errors name the format, not the key.
		return nil, fmt.Errorf("forge: %s: private key: %w", op, err)
	}
	atr.BaseURL = strings.TrimRight(base.String(), "/")
	if installationID == 0 {
		owner, name, ok := strings.Cut(repo, "/")
		if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
			return nil, fmt.Errorf("forge: %s: looking up the installation: repository %q: want owner/name", op, repo)
		}
		gh := github.NewClient(&http.Client{Transport: atr})
		gh.BaseURL, gh.UploadURL = base, base
		inst, _, err := gh.Apps.FindRepositoryInstallation(ctx, owner, name)
		if err != nil {
			return nil, fmt.Errorf("forge: %s: looking up its installation on %s: %w", op, repo, err)
		}
		installationID = inst.GetID()
		if installationID <= 0 {
			return nil, fmt.Errorf("forge: %s: looking up its installation on %s: no id in the answer", op, repo)
		}
	}
	itr := ghinstallation.NewFromAppsTransport(atr, installationID)
	itr.BaseURL = atr.BaseURL
	// Note: without options ghinstallation v2.10.0 sends the body "null",
	// which the REST description does not allow; the token is narrowed to
	// repo when one is named (least privilege for a bot of one repository).
	itr.InstallationTokenOptions = &github.InstallationTokenOptions{}
	if _, name, ok := strings.Cut(repo, "/"); ok && name != "" {
		itr.InstallationTokenOptions.Repositories = []string{name}
	}
	return &appTransport{itr: itr}, nil
}

// InstallationToken returns the current installation token of a transport
// made by [AppTransport] (minting or refreshing it when needed), for
// clients other than the REST one, such as git over HTTPS
// ("x-access-token" as the user name). It is a [Token]: it prints
// redacted.
func InstallationToken(ctx context.Context, rt http.RoundTripper) (Token, error) {
	t, ok := rt.(*appTransport)
	if !ok {
		return "", fmt.Errorf("forge: installation token: not a transport from AppTransport")
	}
	tok, err := t.itr.Token(ctx)
	if err != nil {
		return "", fmt.Errorf("forge: installation token of app %d: %w", t.itr.AppID(), err)
	}
	return Token(tok), nil
}
