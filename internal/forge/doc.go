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
// Comments are found again by a hidden HTML marker ([Marker]) and by their
// author, and edited in place; a race between two runs that both created a
// comment is repaired by keeping the oldest and deleting the others.
package forge
