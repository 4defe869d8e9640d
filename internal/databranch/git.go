package databranch

import (
	"bytes"
	"context"
	"io"
	"strings"

	gitcmd "github.com/benchgate/benchgate/internal/git"
)

// git runs the git binary in one private bare repository: the scratch
// object store through which the data branch is fetched and pushed. The
// user's checkout, config and credentials helpers are left alone except
// that git's global and system config are still read (for credentials on a
// real remote).
type git struct {
	cmd gitcmd.Cmd
}

// newGit creates a scratch bare repository in dir.
func newGit(ctx context.Context, bin, dir string, env ...string) (*git, error) {
	g := &git{cmd: gitcmd.Cmd{Bin: bin, GitDir: dir, Env: append([]string{
		"GIT_TERMINAL_PROMPT=0",
		"GIT_AUTHOR_NAME=benchgate", "GIT_AUTHOR_EMAIL=benchgate@users.noreply.github.com",
		"GIT_COMMITTER_NAME=benchgate", "GIT_COMMITTER_EMAIL=benchgate@users.noreply.github.com",
	}, env...)}}
	if _, err := g.run(ctx, nil, "init", "--quiet", "--bare", dir); err != nil {
		return nil, err
	}
	// Note: a blob over core.bigFileThreshold is deflated once, straight
	// into a pack, by hash-object, and never delta-compressed; push then
	// sends that pack entry as it is. With git's default (512 MiB) the
	// database was deflated twice (loose object, then pack) and compared
	// against the previous one for a delta: 1.7 s of a compaction pushing a
	// 22 MB database (BenchmarkSave/compaction). A DuckDB file rewritten by
	// compaction shares little with the previous one.
	if _, err := g.run(ctx, nil, "config", "core.bigFileThreshold", bigFile); err != nil {
		return nil, err
	}
	return g, nil
}

// bigFile is the scratch repository's core.bigFileThreshold: run files
// are far smaller, databases far larger.
const bigFile = "1m"

// fetchFilter leaves the database out of an append Save's fetch: blobs
// above it are not fetched (run files are far smaller).
//
// Note: an append needs the tip's tree, its run files and IndexFile, not
// the database; fetching it was 0.7 s of a 0.9 s append of a 22 MB
// database from a local remote (BenchmarkSave/append), and is the whole
// database over the network from GitHub at every push to main.
var fetchFilter = "blob:limit=8m" // a variable for tests

// promisor makes g's repository a partial clone of remote, named origin,
// so that fetch may leave out the blobs over fetchFilter. A server that
// does not filter (a local repository without uploadpack.allowFilter)
// sends them all, as to any repository.
func (g *git) promisor(ctx context.Context, remote string) error {
	for _, kv := range [][2]string{
		{"core.repositoryformatversion", "1"},
		{"extensions.partialClone", "origin"},
		{"remote.origin.url", remote},
		{"remote.origin.promisor", "true"},
		{"remote.origin.partialclonefilter", fetchFilter},
	} {
		if _, err := g.run(ctx, nil, "config", kv[0], kv[1]); err != nil {
			return err
		}
	}
	return nil
}

// missing returns the objects reachable from commit that the repository
// lacks (left out by fetchFilter), without fetching them.
func (g *git) missing(ctx context.Context, commit string) (map[string]bool, error) {
	out, err := g.run(ctx, nil, "rev-list", "--objects", "--missing=print", commit)
	if err != nil {
		return nil, err
	}
	m := map[string]bool{}
	for line := range strings.Lines(string(out)) {
		if oid, ok := strings.CutPrefix(strings.TrimSpace(line), "?"); ok {
			m[oid] = true
		}
	}
	return m, nil
}

// with returns g's command with extraEnv added.
func (g *git) with(extraEnv []string) gitcmd.Cmd {
	c := g.cmd
	c.Env = append(append([]string(nil), c.Env...), extraEnv...)
	return c
}

// run runs git with args in the scratch repository and returns its stdout
// (also on failure); the error is a *gitcmd.Error quoting git's stderr.
func (g *git) run(ctx context.Context, extraEnv []string, args ...string) ([]byte, error) {
	var out bytes.Buffer
	err := g.with(extraEnv).Exec(ctx, nil, &out, args...)
	return out.Bytes(), err
}

// stream runs git with args, stdin as its input and stdout as its output.
func (g *git) stream(ctx context.Context, stdin io.Reader, stdout io.Writer, args ...string) error {
	return g.cmd.Exec(ctx, stdin, stdout, args...)
}

// text runs git and returns its stdout without the final newline.
func (g *git) text(ctx context.Context, args ...string) (string, error) {
	out, err := g.run(ctx, nil, args...)
	return strings.TrimRight(string(out), "\n"), err
}
