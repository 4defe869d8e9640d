// Package forge is benchgate's GitHub REST client: the one sticky pull-request
// comment per workflow and suite, the `benchgate / <suite>` check run on the
// pull request's head commit, and the pull-request look-ups the action needs.
//
// It wraps github.com/google/go-github/v60 (typed REST calls, the pagination
// and error model the rest of the Go ecosystem uses) with an oauth2 token
// source from golang.org/x/oauth2 (the transport go-github documents). Both
// were chosen over hand-written HTTP: the REST surface is large and its
// payloads change.
//
// What go-github v60 does not do is added here:
//
//   - GITHUB_API_URL is honoured as given (GitHub Enterprise Server serves
//     REST at https://HOST/api/v3; tests serve it on loopback), see [Config];
//   - bounded retries on 5xx, on HTTP 429 (which v60 does not classify) and on
//     secondary rate limits, honouring Retry-After and x-ratelimit-reset, see
//     [RetryPolicy];
//   - tokens are a [Token] type that logs and prints redacted.
//
// For the companion bot it also serves issues (listed by label with every
// page read, never through the search API, whose index lags behind
// writes), labels, issue comments and collaborator permissions, refusing
// bodies over GitHub's 65,536 characters before sending ([ErrBodyTooLong]),
// and counts the requests it sends ([Client.APICalls]).
//
// GitHub App authentication ([AppTransport]) uses
// github.com/bradleyfalzon/ghinstallation/v2 at v2.10.0: the maintained
// library go-github itself documents for Apps, small (its one other
// dependency is golang-jwt/jwt/v4, required here at v4.5.2, past the
// parsing fixes of v4.5.1 and v4.5.2), and an http.RoundTripper, so it
// sits under the retrying transport like any other. v2.10.0 is the release
// built against go-github v60, the major used here: later releases pull in
// another go-github major (v62 … v88) for nothing this package needs. It
// signs the app JWT, mints the installation token and mints it again a
// minute before expiry. github.com/jferrl/go-githubauth (an oauth2
// TokenSource) would serve too; it was not needed.
//
// Comments are found again by a hidden HTML marker ([Marker]) and by their
// author, and edited in place; a race between two runs that both created a
// comment is repaired by keeping the oldest and deleting the others.
package forge
