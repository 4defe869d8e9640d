package databranch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	gitcmd "github.com/benchgate/benchgate/internal/git"

	"github.com/benchgate/benchgate/internal/store"
)

// DBFile is the compacted database's path on the branch.
const DBFile = "benchgate.duckdb"

// readmeFile explains the branch to whoever browses it.
const readmeFile = "README.md"

// tipRef is where the scratch repository keeps the fetched tip.
const tipRef = "refs/benchgate/tip"

// snapshot is the branch's tip as fetched: its commit and files.
type snapshot struct {
	tip       string            // commit SHA; "" when the branch does not exist
	dbBlob    string            // blob SHA of DBFile; "" when there is none
	indexBlob string            // blob SHA of IndexFile; "" when there is none
	runFiles  map[string]string // run file path → blob SHA
	// partial is set when the fetch left out the database (fetchFilter):
	// only an append can be made of the snapshot.
	partial bool
}

// runKey identifies one run attempt.
type runKey struct {
	id      string
	attempt int
}

// fetch brings the branch's tip into the scratch repository: shallow, that
// one ref, no tags, no checkout; partial, without the blobs over
// fetchFilter, from a repository that g.promisor made a partial clone.
func (b *Branch) fetch(ctx context.Context, g *git, partial bool) (snapshot, error) {
	args := []string{"fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--depth=1"}
	from := b.Remote
	if partial {
		args, from = append(args, "--filter="+fetchFilter), "origin"
	}
	_, err := g.run(ctx, nil, append(args, "--", from, "+refs/heads/"+b.name()+":"+tipRef)...)
	var ge *gitcmd.Error
	if errors.As(err, &ge) && strings.Contains(ge.Stderr, "couldn't find remote ref") {
		return snapshot{runFiles: map[string]string{}}, nil
	}
	if err != nil {
		return snapshot{}, fmt.Errorf("fetching branch %s of %s: %w", b.name(), b.remote(), err)
	}
	tip, err := g.text(ctx, "rev-parse", "--verify", tipRef+"^{commit}")
	if err != nil {
		return snapshot{}, fmt.Errorf("fetching branch %s of %s: %w", b.name(), b.remote(), err)
	}
	tree, err := g.text(ctx, "ls-tree", "-r", "--full-tree", tip)
	if err != nil {
		return snapshot{}, fmt.Errorf("reading branch %s at %s: %w", b.name(), tip, err)
	}
	s := snapshot{tip: tip, runFiles: map[string]string{}}
	for line := range strings.Lines(tree) {
		meta, path, ok := strings.Cut(strings.TrimRight(line, "\n"), "\t")
		f := strings.Fields(meta)
		if !ok || len(f) != 3 || f[1] != "blob" {
			continue
		}
		switch {
		case path == DBFile:
			s.dbBlob = f[2]
		case path == IndexFile:
			s.indexBlob = f[2]
		case strings.HasPrefix(path, runsDir+"/"):
			if _, _, ok := parseRunFileName(path); !ok {
				return snapshot{}, fmt.Errorf("branch %s at %s: unexpected file %s", b.name(), gitcmd.Short(tip), path)
			}
			s.runFiles[path] = f[2]
		}
	}
	return s, nil
}

// sortedRunFiles returns the run file paths in name order.
func (s snapshot) sortedRunFiles() []string {
	out := make([]string, 0, len(s.runFiles))
	for p := range s.runFiles {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// writeBlob writes blob sha of the scratch repository to path.
func (g *git) writeBlob(ctx context.Context, sha, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	err = g.stream(ctx, nil, f, "cat-file", "blob", sha)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("reading blob %s: %w", sha, err)
	}
	return nil
}

// openDB writes the snapshot's compacted database to path (an empty
// database when the branch has none) and opens it as the untrusted data it
// is (store.OpenUntrusted: external access off, views and macros refused).
// A database the branch holds that does not open — corrupt, not
// benchgate's, of a newer schema, holding SQL views or macros — is an error
// that says so; the branch is then never written.
func (b *Branch) openDB(ctx context.Context, g *git, s snapshot, path string) (*store.DB, error) {
	if s.dbBlob != "" {
		if err := g.writeBlob(ctx, s.dbBlob, path); err != nil {
			return nil, fmt.Errorf("reading %s from branch %s: %w", DBFile, b.name(), err)
		}
	}
	db, err := store.OpenUntrusted(ctx, path)
	if err != nil {
		return nil, &RefusedError{Branch: b.name(), Commit: s.tip, Err: err}
	}
	return db, nil
}

// ingestRunFiles stores every run file of the snapshot in db (idempotent),
// except those of the run attempts in have, and returns how many it added
// and the paths of the run files left out for their size. A run file over
// MaxRunFileSize inflated is left out with a warning naming it, and the
// others are read: a run that size is no benchmark run, and no file may
// make the branch's other runs unreadable. Any other run file that does not
// parse is refused (a *RefusedError).
//
// Note: have is the runs that the caller copies into db by SQL afterwards
// (store.Merge from the database being saved): ingesting their run files
// first, one transaction each, took 1.5 s of a 6 s compaction of 49 run
// files (BenchmarkSave/compaction), and a run attempt's rows are the same
// wherever they come from.
func (b *Branch) ingestRunFiles(ctx context.Context, g *git, s snapshot, db *store.DB, have map[runKey]bool) (int, []string, error) {
	added := 0
	var skipped []string
	for _, p := range s.sortedRunFiles() {
		if id, attempt, ok := parseRunFileName(p); ok && have[runKey{id, attempt}] {
			continue
		}
		data, err := g.run(ctx, nil, "cat-file", "blob", s.runFiles[p])
		if err != nil {
			return added, skipped, fmt.Errorf("reading %s from branch %s: %w", p, b.name(), err)
		}
		f, err := decodeRunFile(p, data)
		if errors.Is(err, ErrRunFileTooLarge) {
			b.log().Warn("data branch: run file left out", "branch", b.name(), "commit", gitcmd.Short(s.tip), "file", p, "error", err)
			skipped = append(skipped, p)
			continue
		}
		if err != nil {
			return added, skipped, &RefusedError{Branch: b.name(), Commit: s.tip, Err: err}
		}
		st, err := db.Ingest(ctx, f.Run, f.Results)
		if err != nil {
			return added, skipped, &RefusedError{Branch: b.name(), Commit: s.tip, Err: fmt.Errorf("run file %s: %w", p, err)}
		}
		if st.Inserted {
			added++
		}
	}
	return added, skipped, nil
}

// RefusedError is returned when the branch holds data this benchgate will
// not read or write over: a corrupt database, one with a newer schema, a
// broken run file. Nothing is pushed after it.
type RefusedError struct {
	Branch string
	Commit string // the branch's tip
	Err    error
}

func (e *RefusedError) Error() string {
	at := gitcmd.Short(e.Commit)
	return fmt.Sprintf("data branch %s at %s is unusable, refusing to read or overwrite it: %v", e.Branch, at, e.Err)
}

func (e *RefusedError) Unwrap() error { return e.Err }
