package config

import "github.com/benchgate/benchgate/internal/results"

// canonicalFormat returns the canonical name of result format s ("native",
// "go" or "auto"), using the results package's list, which is the one list
// of formats (aliases "gobench" and "go-bench" are "go").
func canonicalFormat(s string) (string, error) {
	f, err := results.ParseFormat(s)
	if err != nil {
		return "", err
	}
	return string(f), nil
}
