package databranch

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/benchgate/benchgate/internal/store"
)

// TestRemoteOptionInjection is issue 15's repro: a remote that git would
// read as --upload-pack runs nothing and is refused, naming it, by Fetch
// and Save alike.
func TestRemoteOptionInjection(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	pwned := filepath.Join(dir, "pwned")
	remote := "--upload-pack=touch " + pwned + ";"
	b := &Branch{Remote: remote, MaxAttempts: 1}
	_, err := b.Fetch(ctx, filepath.Join(dir, "f.duckdb"))
	if err == nil || !strings.Contains(err.Error(), `remote "`+remote+`"`) {
		t.Errorf("Fetch: got %v; want an error quoting the remote", err)
	}
	db, err := store.OpenReadOnly(ctx, localDB(t, dir, "r1"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := b.Save(ctx, db); err == nil || !strings.Contains(err.Error(), `remote "`+remote+`"`) {
		t.Errorf("Save: got %v; want an error quoting the remote", err)
	}
	if _, err := os.Stat(pwned); err == nil {
		t.Errorf("%s exists: git ran the remote as --upload-pack", pwned)
	}
}

// TestFetchRedactsCredentials fetches from an https remote whose URL holds
// a token (nothing listens on port 1): the error names the remote without
// the token.
func TestFetchRedactsCredentials(t *testing.T) {
	const secret = "ghs_s3cretT0ken"
	b := &Branch{Remote: "https://x-access-token:" + secret + "@127.0.0.1:1/octo/bench.git"}
	_, err := b.Fetch(context.Background(), filepath.Join(t.TempDir(), "f.duckdb"))
	if err == nil || strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "https://***@127.0.0.1:1/octo/bench.git") {
		t.Errorf("Fetch: got %v; want an error naming https://***@127.0.0.1:1/octo/bench.git, never the token", err)
	}
}
