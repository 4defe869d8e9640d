// Package forgetest is a fake GitHub REST API for tests: an httptest server
// that serves the endpoints internal/forge calls (issues, labels, issue
// comments, collaborator permissions, check runs, pull requests, a GitHub
// App's installation and installation access tokens) from in-memory state, and checks every request it
// receives and every response it returns against GitHub's published REST
// API description (OpenAPI 3.0, github.com/github/rest-api-description as
// shipped in the npm package @octokit/openapi, MIT licensed).
//
// The description is a trimmed copy in testdata/github-rest.json holding
// only the operations served and the components they reference;
// scripts/trim-openapi.sh regenerates it with ./internal/trim. Validation
// uses github.com/getkin/kin-openapi (openapi3filter with its legacy
// router), a maintained OpenAPI 3.0 validator with no cgo.
//
// A request that does not match the description is answered 400 (the test
// sees a client error) and recorded as a problem; a response that does not
// match is recorded as a problem too. [New] fails the test at cleanup for
// every problem, so a test passes only when every exchange was valid.
//
// Response bodies are built from the description: the required fields of
// the response schema are filled with placeholder values of the right type
// and format, then the server's own state (ids, bodies, SHAs, logins) is
// laid over them. The state is what tests assert on (and seed: AddIssue,
// AddLabel, SetPermission, AddApp; read back with Issues, Labels,
// Comments, Minted, Requests, RequestCount). Faults are injected per
// method and path prefix: [Server.Fail] answers a canned status (5xx, 429,
// rate limits), [Server.Hangup] drops the connection after reading the
// request.
//
// An app registered with [Server.AddApp] authenticates as GitHub does: its
// JWT (RS256, verified with the public key the test registers) opens the
// /app endpoints and the installation look-up, and the installation
// tokens minted there open the rest.
package forgetest
