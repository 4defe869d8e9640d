package databranch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	gitcmd "github.com/benchgate/benchgate/internal/git"

	"github.com/benchgate/benchgate/internal/store"
)

// SaveResult says what Save did.
type SaveResult struct {
	Commit    string   // the branch's tip after Save
	Added     []string // run attempts ("ID#N") this Save wrote to the branch
	Present   int      // run attempts of the source the branch already held
	Compacted bool     // the push replaced the branch by one compacted commit
	Attempts  int      // fetch–merge–push cycles used
	DBSize    int64    // size of the compacted database pushed (compaction only)
	// FetchedDB is set when the last cycle fetched the branch's database:
	// to compact it, or from a server that does not filter fetches (an
	// append from GitHub fetches the run files and IndexFile only).
	FetchedDB bool
}

// Save merges every run attempt of src that the branch does not hold yet
// into the branch and pushes it. It is idempotent by (run id, attempt): a
// run the branch holds is never written again, and a Save with nothing new
// pushes nothing.
//
// Each cycle fetches the tip, adds the missing runs (as run files, or by
// compacting everything into the database, see the package doc), and
// pushes with a lease on the exact tip it fetched. A push that loses a race
// fetches again and retries after a jittered back-off, up to MaxAttempts
// cycles. Data on the branch that cannot be read is refused (a
// *RefusedError) and never overwritten. When Save returns an error, the
// runs it could not push are exactly those of src missing from the branch:
// src itself is the file to keep.
func (b *Branch) Save(ctx context.Context, src *store.DB) (SaveResult, error) {
	var res SaveResult
	runs, err := src.Runs(ctx)
	if err != nil {
		return res, err
	}
	full, dir, err := b.scratch(ctx)
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(dir)
	partial, err := newGit(ctx, b.Git, filepath.Join(dir, "partial.git"), b.Env...)
	if err == nil {
		err = partial.promisor(ctx, b.Remote)
	}
	if err != nil {
		return res, err
	}
	c := &saveCycle{b: b, full: full, partial: partial, dir: dir, src: src, runs: runs,
		known: map[string]map[runKey]bool{}, parsed: map[string]bool{}}
	maxAttempts := orDefault(b.MaxAttempts, DefaultMaxAttempts)
	var last error
	failures := 0
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		res.Attempts = attempt
		if attempt > 1 {
			if err := b.backoff(ctx, attempt-1); err != nil {
				return res, fmt.Errorf("saving to branch %s of %s: %w (last try: %v)", b.name(), b.remote(), err, last)
			}
		}
		done, err := c.once(ctx, &res)
		if err == nil && done {
			return res, nil
		}
		var refused *RefusedError
		if errors.As(err, &refused) || errors.Is(err, ErrTooLarge) || ctx.Err() != nil {
			return res, err
		}
		if err != nil {
			// Note: a lost race is not an error; an error (remote unreachable,
			// permission denied) rarely heals, so only a few are retried.
			failures++
			last = err
			if failures >= maxFailures {
				return res, fmt.Errorf("saving to branch %s of %s: %w", b.name(), b.remote(), err)
			}
			// The error itself is said once: with the failure if the
			// retries do not help, at debug level if one does.
			b.log().Warn("data branch write failed, retrying", "branch", b.name(), "attempt", attempt, "of", maxFailures)
			b.log().Debug("data branch write failed", "branch", b.name(), "attempt", attempt, "error", err)
		} else {
			b.log().Debug("data branch moved, retrying", "branch", b.name(), "attempt", attempt)
			last = errors.New("the branch moved during every attempt")
		}
	}
	return res, fmt.Errorf("saving to branch %s of %s: gave up after %d attempts: %w", b.name(), b.remote(), maxAttempts, last)
}

// maxFailures is how many failed cycles (errors, not lost races) Save
// tries before giving up.
const maxFailures = 3

// saveCycle is the state Save keeps across its attempts.
type saveCycle struct {
	b *Branch
	// full and partial are the scratch repositories that the branch is
	// fetched into, with everything or without the database (a partial
	// clone, see fetchFilter); g is the one of the current cycle.
	full, partial, g *git
	dir              string
	src              *store.DB
	runs             []store.Run
	// known caches, by database blob, the run attempts the branch's
	// compacted database holds: reading them needs DuckDB, and the
	// database changes only when someone compacts.
	known map[string]map[runKey]bool
	// parsed holds the run file blobs that were read and parsed.
	parsed map[string]bool
	n      int // files made so far in dir
}

// tempPath returns a new file path in the scratch directory.
func (c *saveCycle) tempPath(name string) string {
	c.n++
	return filepath.Join(c.dir, fmt.Sprintf("%d-%s", c.n, name))
}

// once runs one fetch–merge–push cycle. It returns done when the branch
// holds every run of src; false with a nil error when the push lost a race.
//
// The cycle fetches the tip without the database first (partial); when it
// needs the database after all — to compact, or to list its runs without
// IndexFile — it fetches the tip again, whole.
func (c *saveCycle) once(ctx context.Context, res *SaveResult) (bool, error) {
	b := c.b
	s, missing, compact, err := c.plan(ctx, true)
	if err == nil && s.partial && compact {
		s, missing, compact, err = c.plan(ctx, false)
	}
	if err != nil {
		return false, err
	}
	res.FetchedDB = s.dbBlob != "" && !s.partial
	res.Present = len(c.runs) - len(missing)
	if len(missing) == 0 {
		res.Commit = s.tip
		return true, nil
	}
	var commit string
	if compact {
		commit, res.DBSize, err = c.compactCommit(ctx, s, missing)
	} else {
		commit, err = c.appendCommit(ctx, s, missing)
	}
	if err != nil {
		return false, err
	}
	ok, err := c.push(ctx, s.tip, commit)
	if err != nil || !ok {
		return false, err
	}
	res.Commit, res.Compacted = commit, compact
	res.Added = res.Added[:0]
	for _, r := range missing {
		res.Added = append(res.Added, fmt.Sprintf("%s#%d", r.ID, r.Attempt))
	}
	b.log().Info("saved runs to data branch", "branch", b.name(), "commit", commit, "runs", len(missing), "compacted", compact)
	return true, nil
}

// plan fetches the tip (partial: without the database, into c.partial)
// and returns it, the runs of src it lacks (oldest first), and whether
// adding them compacts. A partial snapshot that cannot be read without the
// database (no IndexFile, or a run file left out) is fetched again whole.
// It makes the snapshot's repository the cycle's (c.g).
func (c *saveCycle) plan(ctx context.Context, partial bool) (snapshot, []store.Run, bool, error) {
	c.g = c.full
	if partial {
		c.g = c.partial
	}
	s, err := c.b.fetch(ctx, c.g, partial)
	if err != nil {
		return s, nil, false, err
	}
	if partial && s.tip != "" {
		gone, err := c.g.missing(ctx, s.tip)
		if err != nil {
			return s, nil, false, err
		}
		s.partial = s.dbBlob != "" && gone[s.dbBlob]
		delete(gone, s.dbBlob)
		if len(gone) > 0 || s.partial && !c.indexed(ctx, s) {
			return c.plan(ctx, false)
		}
	}
	inDB, err := c.dbRuns(ctx, s)
	if err != nil {
		return s, nil, false, err
	}
	if err := c.checkRunFiles(ctx, s); err != nil {
		return s, nil, false, err
	}
	var missing []store.Run
	for _, r := range c.runs {
		if !inDB[runKey{r.ID, r.Attempt}] {
			if _, ok := s.runFiles[runFileName(r.ID, r.Attempt)]; !ok {
				missing = append(missing, r)
			}
		}
	}
	slices.Reverse(missing) // oldest first
	compact := len(missing) > 0 && (s.tip == "" || len(s.runFiles)+len(missing) >= orDefault(c.b.CompactEvery, DefaultCompactEvery))
	return s, missing, compact, nil
}

// indexed reports whether the snapshot's IndexFile lists the runs of its
// database (recording them in c.known).
func (c *saveCycle) indexed(ctx context.Context, s snapshot) bool {
	if _, ok := c.known[s.dbBlob]; ok {
		return true
	}
	if s.indexBlob == "" {
		return false
	}
	data, err := c.g.run(ctx, nil, "cat-file", "blob", s.indexBlob)
	if err != nil {
		return false
	}
	m, ok := parseIndex(data, s.dbBlob)
	if ok {
		c.known[s.dbBlob] = m
	}
	return ok
}

// dbRuns returns the run attempts of the snapshot's compacted database: as
// IndexFile lists them, or read from the database, checking once per
// database blob that it opens.
func (c *saveCycle) dbRuns(ctx context.Context, s snapshot) (map[runKey]bool, error) {
	if s.dbBlob == "" {
		return nil, nil
	}
	if c.indexed(ctx, s) {
		return c.known[s.dbBlob], nil
	}
	path := c.tempPath("check.duckdb")
	defer os.Remove(path)
	db, err := c.b.openDB(ctx, c.g, s, path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	runs, err := db.Runs(ctx)
	if err != nil {
		return nil, &RefusedError{Branch: c.b.name(), Commit: s.tip, Err: err}
	}
	m := map[runKey]bool{}
	for _, r := range runs {
		m[runKey{r.ID, r.Attempt}] = true
	}
	c.known[s.dbBlob] = m
	return m, nil
}

// checkRunFiles parses every run file of the snapshot not parsed before, so
// that a broken one is refused before anything is pushed on top of it.
func (c *saveCycle) checkRunFiles(ctx context.Context, s snapshot) error {
	for _, p := range s.sortedRunFiles() {
		sha := s.runFiles[p]
		if c.parsed[sha] {
			continue
		}
		data, err := c.g.run(ctx, nil, "cat-file", "blob", sha)
		if err != nil {
			return err
		}
		if _, err := decodeRunFile(p, data); err != nil {
			return &RefusedError{Branch: c.b.name(), Commit: s.tip, Err: err}
		}
		c.parsed[sha] = true
	}
	return nil
}

// appendCommit makes a commit on top of the tip that adds one run file per
// missing run.
func (c *saveCycle) appendCommit(ctx context.Context, s snapshot, missing []store.Run) (string, error) {
	index := []string{"GIT_INDEX_FILE=" + c.tempPath("index")}
	if _, err := c.g.run(ctx, index, "read-tree", s.tip); err != nil {
		return "", err
	}
	var names []string
	for _, r := range missing {
		rs, err := c.src.Results(ctx, r)
		if err != nil {
			return "", err
		}
		data, err := encodeRunFile(r, rs)
		if err != nil {
			return "", err
		}
		if int64(len(data)) > c.maxSize() {
			return "", fmt.Errorf("run file of %s#%d is %s: %w", r.ID, r.Attempt, mb(int64(len(data))), ErrTooLarge)
		}
		sha, err := c.hashObject(ctx, data)
		if err != nil {
			return "", err
		}
		name := runFileName(r.ID, r.Attempt)
		if _, err := c.g.run(ctx, index, "update-index", "--add", "--cacheinfo", "100644,"+sha+","+name); err != nil {
			return "", err
		}
		names = append(names, fmt.Sprintf("%s#%d", r.ID, r.Attempt))
	}
	// The tip's database may not be here (a partial fetch): it is on the
	// remote, and the push sends only the new run files.
	tree, err := c.g.run(ctx, index, "write-tree", "--missing-ok")
	if err != nil {
		return "", err
	}
	return c.commitTree(ctx, strings.TrimSpace(string(tree)), s.tip, "benchgate: add run "+strings.Join(names, ", "))
}

// compactCommit makes a parentless commit holding only the database (and
// its README and IndexFile): the tip's database with its run files and the
// missing runs merged in, raw samples pruned to the retention window,
// compacted, and size-checked.
//
// Note: Merge copies every run of src the database lacks once the run files
// of the runs src lacks are in: the missing runs, the runs of the run files
// src holds too, and the run of a run file left out for its size
// (ingestRunFiles), whose rows src holds.
func (c *saveCycle) compactCommit(ctx context.Context, s snapshot, missing []store.Run) (string, int64, error) {
	b := c.b
	path := c.tempPath("merge.duckdb")
	defer os.Remove(path)
	db, err := b.openDB(ctx, c.g, s, path)
	if err != nil {
		return "", 0, err
	}
	closeDB := func() {
		if db != nil {
			db.Close()
			db = nil
		}
	}
	defer closeDB()
	have := make(map[runKey]bool, len(c.runs))
	for _, r := range c.runs {
		have[runKey{r.ID, r.Attempt}] = true
	}
	if _, _, err := b.ingestRunFiles(ctx, c.g, s, db, have); err != nil {
		return "", 0, err
	}
	// The runs of src the branch lacks are copied by SQL (store.Merge), not
	// re-ingested one by one: the first save of a year of runs takes seconds.
	if _, err := db.Merge(ctx, c.src); err != nil {
		return "", 0, err
	}
	if _, err := db.Prune(ctx, store.PruneOptions{KeepRuns: orDefault(b.KeepRuns, store.DefaultKeepRuns)}); err != nil {
		return "", 0, err
	}
	held, err := db.Runs(ctx)
	if err != nil {
		return "", 0, err
	}
	out := c.tempPath(DBFile)
	defer os.Remove(out)
	if err := db.CompactTo(ctx, out); err != nil {
		return "", 0, err
	}
	closeDB()
	fi, err := os.Stat(out)
	if err != nil {
		return "", 0, err
	}
	if fi.Size() > c.maxSize() {
		return "", fi.Size(), fmt.Errorf("database would be %s after merging and pruning (limit %s): prune older raw samples with 'benchgate prune --keep N' on a fetched copy, or split the suite: %w",
			mb(fi.Size()), mb(c.maxSize()), ErrTooLarge)
	}
	if fi.Size() > WarnSize {
		b.log().Warn("data branch database is large; GitHub warns above 50 MiB and refuses 100 MiB", "size", mb(fi.Size()))
	}
	dbSHA, err := c.g.text(ctx, "hash-object", "-w", out)
	if err != nil {
		return "", 0, err
	}
	readme, err := c.hashObject(ctx, []byte(readmeText))
	if err != nil {
		return "", 0, err
	}
	runsSHA, err := c.hashObject(ctx, encodeIndex(dbSHA, held))
	if err != nil {
		return "", 0, err
	}
	index := []string{"GIT_INDEX_FILE=" + c.tempPath("index")}
	for _, e := range [][2]string{{readme, readmeFile}, {dbSHA, DBFile}, {runsSHA, IndexFile}} {
		if _, err := c.g.run(ctx, index, "update-index", "--add", "--cacheinfo", "100644,"+e[0]+","+e[1]); err != nil {
			return "", 0, err
		}
	}
	tree, err := c.g.run(ctx, index, "write-tree")
	if err != nil {
		return "", 0, err
	}
	commit, err := c.commitTree(ctx, strings.TrimSpace(string(tree)), "",
		fmt.Sprintf("benchgate: compact %d run files and %d new runs into %s", len(s.runFiles), len(missing), DBFile))
	return commit, fi.Size(), err
}

// hashObject stores data as a blob and returns its SHA.
func (c *saveCycle) hashObject(ctx context.Context, data []byte) (string, error) {
	var out bytes.Buffer
	if err := c.g.stream(ctx, bytes.NewReader(data), &out, "hash-object", "-w", "--stdin"); err != nil {
		return "", err
	}
	return strings.TrimSpace(out.String()), nil
}

// commitTree makes a commit of tree with parent (none when "").
func (c *saveCycle) commitTree(ctx context.Context, tree, parent, msg string) (string, error) {
	args := []string{"commit-tree", tree, "-m", msg}
	if parent != "" {
		args = append(args, "-p", parent)
	}
	return c.g.text(ctx, args...)
}

// push sets the remote branch to commit if and only if it still points to
// expected ("" : does not exist). It returns false, nil when the lease
// failed: someone else pushed first.
//
// Note: the lease names the expected SHA explicitly. The bare
// --force-with-lease trusts the remote-tracking ref, which a fetch in
// between may have moved; a plain push would refuse compaction commits,
// which have no parent.
func (c *saveCycle) push(ctx context.Context, expected, commit string) (bool, error) {
	ref := "refs/heads/" + c.b.name()
	out, err := c.g.run(ctx, nil, "push", "--porcelain", "--no-verify",
		"--force-with-lease="+ref+":"+expected, "--", c.b.Remote, commit+":"+ref)
	if err == nil {
		return true, nil
	}
	var ge *gitcmd.Error
	if errors.As(err, &ge) && isRaceLost(string(out)+ge.Stderr) {
		return false, nil
	}
	return false, fmt.Errorf("pushing to branch %s of %s: %w", c.b.name(), c.b.remote(), err)
}

// isRaceLost reports whether git push's output says the remote moved.
func isRaceLost(out string) bool {
	for _, s := range []string{"stale info", "fetch first", "non-fast-forward", "cannot lock ref", "failed to update ref", "reference already exists", "incorrect old value"} {
		if strings.Contains(out, s) {
			return true
		}
	}
	return false
}

func (c *saveCycle) maxSize() int64 { return orDefault(c.b.MaxSize, MaxSize) }

// mb formats a size in MiB (2^20 bytes, the unit of GitHub's limits).
func mb(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
