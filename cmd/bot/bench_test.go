package main

import (
	"os"
	"testing"

	"github.com/benchgate/benchgate/internal/forge/forgetest"
)

// BenchmarkSync times `benchgate-bot sync` (fetch, analysis, issue
// listing, plan, apply) against the fake GitHub API on the data branch at
// $BENCHGATE_SYNC_REMOTE. docs/bot.md's one-year figure comes from the
// 365-commit history of scripts/measure-changes.sh saved to a bare
// repository:
//
//	scripts/measure-changes.sh /tmp/mc
//	git init -q --bare /tmp/mc/bare.git
//	/tmp/mc/benchgate save --remote /tmp/mc/bare.git --db /tmp/mc/h365.duckdb
//	BENCHGATE_SYNC_REMOTE=/tmp/mc/bare.git go test ./cmd/bot -run '^$' -bench Sync -benchtime 3x
func BenchmarkSync(b *testing.B) {
	remote := os.Getenv("BENCHGATE_SYNC_REMOTE")
	if remote == "" {
		b.Fatal("set BENCHGATE_SYNC_REMOTE to a data branch's remote (see the doc comment)")
	}
	api := forgetest.New(b, forgetest.Options{Repository: repo, Token: "test-token"})
	for b.Loop() {
		sync1(b, api, remote)
	}
}
