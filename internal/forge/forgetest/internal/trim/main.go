// Command trim cuts GitHub's REST API description (the OpenAPI document
// api.github.com.json from the npm package @octokit/openapi) down to the
// operations benchgate's fake API serves and the components they reference,
// so that the copy kept in forgetest/testdata stays small.
//
// Usage:
//
//	go run ./internal/forge/forgetest/internal/trim -in api.github.com.json -out internal/forge/forgetest/testdata/github-rest.json
//
// scripts/trim-openapi.sh downloads the package and runs it.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
)

// operations are the "METHOD path" pairs kept: every endpoint
// internal/forge calls and forgetest serves.
func operations() []string {
	return []string{
		"GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
		"POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
		"PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}",
		"DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}",
		"POST /repos/{owner}/{repo}/check-runs",
		"PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}",
		"GET /repos/{owner}/{repo}/pulls/{pull_number}",
		"GET /repos/{owner}/{repo}/pulls/{pull_number}/files",
		"GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls",
		"GET /repos/{owner}/{repo}/issues",
		"POST /repos/{owner}/{repo}/issues",
		"GET /repos/{owner}/{repo}/issues/{issue_number}",
		"PATCH /repos/{owner}/{repo}/issues/{issue_number}",
		"GET /repos/{owner}/{repo}/labels",
		"POST /repos/{owner}/{repo}/labels",
		"GET /repos/{owner}/{repo}/collaborators/{username}/permission",
		"GET /repos/{owner}/{repo}/installation",
		"POST /app/installations/{installation_id}/access_tokens",
	}
}

func main() {
	in := flag.String("in", "api.github.com.json", "full OpenAPI description")
	out := flag.String("out", "github-rest.json", "trimmed description to write")
	flag.Parse()
	if err := trim(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "trim:", err)
		os.Exit(1)
	}
}

func trim(in, out string) error {
	b, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	paths, _ := doc["paths"].(map[string]any)
	kept := map[string]any{}
	for _, op := range operations() {
		method, path, _ := strings.Cut(op, " ")
		item, ok := paths[path].(map[string]any)
		if !ok {
			return fmt.Errorf("%s: no path %s", in, path)
		}
		o, ok := item[strings.ToLower(method)]
		if !ok {
			return fmt.Errorf("%s: no operation %s", in, op)
		}
		dst, _ := kept[path].(map[string]any)
		if dst == nil {
			dst = map[string]any{}
			if p, ok := item["parameters"]; ok {
				dst["parameters"] = p
			}
			kept[path] = dst
		}
		dst[strings.ToLower(method)] = o
	}
	// Note: examples are dropped: validation does not use them, and some
	// of GitHub's examples do not match their own schemas (kin-openapi
	// refuses such a document).
	dropExamples(kept)
	components, _ := doc["components"].(map[string]any)
	keptComp := map[string]any{}
	// Breadth-first over $refs, starting from the kept paths.
	queue := refs(kept)
	seen := map[string]bool{}
	for len(queue) > 0 {
		ref := queue[0]
		queue = queue[1:]
		if seen[ref] {
			continue
		}
		seen[ref] = true
		parts := strings.Split(strings.TrimPrefix(ref, "#/components/"), "/")
		if len(parts) != 2 || !strings.HasPrefix(ref, "#/components/") || parts[0] == "examples" {
			return fmt.Errorf("%s: unsupported $ref %q", in, ref)
		}
		section, _ := components[parts[0]].(map[string]any)
		v, ok := section[parts[1]]
		if !ok {
			return fmt.Errorf("%s: dangling $ref %q", in, ref)
		}
		dst, _ := keptComp[parts[0]].(map[string]any)
		if dst == nil {
			dst = map[string]any{}
			keptComp[parts[0]] = dst
		}
		dropExamples(v)
		dst[parts[1]] = v
		queue = append(queue, refs(v)...)
	}
	trimmed := map[string]any{
		"openapi":    doc["openapi"],
		"info":       doc["info"],
		"paths":      kept,
		"components": keptComp,
	}
	outB, err := json.MarshalIndent(trimmed, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(out, append(outB, '\n'), 0o644)
}

// refs returns every "$ref" string below v, sorted for a stable walk.
func refs(v any) []string {
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			for k, x := range t {
				if s, ok := x.(string); ok && k == "$ref" {
					out = append(out, s)
					continue
				}
				walk(x)
			}
		case []any:
			for _, x := range t {
				walk(x)
			}
		}
	}
	walk(v)
	sort.Strings(out)
	return out
}

// dropExamples deletes every "example" and "examples" key below v,
// except property names (the keys of a "properties" object).
func dropExamples(v any) { dropExamplesIn(v, false) }

func dropExamplesIn(v any, properties bool) {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if !properties && (k == "example" || k == "examples") {
				delete(t, k)
				continue
			}
			dropExamplesIn(x, !properties && k == "properties")
		}
	case []any:
		for _, x := range t {
			dropExamplesIn(x, false)
		}
	}
}
