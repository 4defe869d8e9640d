package forgetest

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

//go:embed testdata/github-rest.json
var specJSON []byte

// spec is the loaded description with its router.
type spec struct {
	doc    *openapi3.T
	router routers.Router
}

// loadSpec returns the description, loaded once per process.
//
// Note: loading and validating the document takes a noticeable time under
// the race detector; the loaded spec is only read afterwards (routing and
// validation do not modify it), so servers share it.
var loadSpec = sync.OnceValues(parseSpec)

func parseSpec() (*spec, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(specJSON)
	if err != nil {
		return nil, fmt.Errorf("forgetest: loading testdata/github-rest.json: %w", err)
	}
	// The description's servers (https://api.github.com) are dropped so
	// that routes match on the test server's address.
	doc.Servers = nil
	router, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("forgetest: routing testdata/github-rest.json: %w", err)
	}
	return &spec{doc: doc, router: router}, nil
}

// Version returns the version of the REST API description the server
// validates against (the @octokit/openapi package version).
func Version() string {
	s, err := loadSpec()
	if err != nil {
		return ""
	}
	return s.doc.Info.Version
}

func validationOptions() *openapi3filter.Options {
	return &openapi3filter.Options{
		AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
		IncludeResponseStatus: true,
		MultiError:            true,
	}
}

// validateRequest checks r (whose body is body) against the description. It
// returns the matched route's input, for validating the response.
func (s *spec) validateRequest(ctx context.Context, r *http.Request, body []byte) (*openapi3filter.RequestValidationInput, error) {
	route, params, err := s.router.FindRoute(r)
	if err != nil {
		return nil, fmt.Errorf("%s %s: not in the description: %w", r.Method, r.URL.Path, err)
	}
	rc := r.Clone(ctx)
	rc.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.RequestValidationInput{
		Request:    rc,
		PathParams: params,
		Route:      route,
		Options:    validationOptions(),
	}
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
		return nil, fmt.Errorf("request %s %s: %w", r.Method, r.URL.Path, err)
	}
	return in, nil
}

// validateResponse checks a response to the request of in.
func (s *spec) validateResponse(ctx context.Context, in *openapi3filter.RequestValidationInput, status int, h http.Header, body []byte) error {
	err := openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 status,
		Header:                 h,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                validationOptions(),
	})
	if err != nil {
		return fmt.Errorf("response %d to %s %s: %w", status, in.Request.Method, in.Request.URL.Path, err)
	}
	return nil
}

// schema returns the component schema name.
func (s *spec) schema(name string) *openapi3.Schema {
	ref := s.doc.Components.Schemas[name]
	if ref == nil {
		return nil
	}
	return ref.Value
}
