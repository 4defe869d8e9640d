package databranch

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/benchgate/benchgate/internal/store"
)

// filteringRemote is a bare repository that filters fetches as GitHub
// does (uploadpack.allowFilter), with fetchFilter lowered below the test
// databases' size and above their run files'.
func filteringRemote(t *testing.T) string {
	t.Helper()
	remote := bareRepo(t)
	gitCmd(t, "", "--git-dir="+remote, "config", "uploadpack.allowFilter", "true")
	old := fetchFilter
	fetchFilter = "blob:limit=100k"
	t.Cleanup(func() { fetchFilter = old })
	return remote
}

// rewriteTip replaces the branch's tip by a commit on it whose tree is the
// tip's changed by edit, which runs git commands (gitIndex, with their
// input) on an index of that tree.
func rewriteTip(t *testing.T, remote string, edit func(git func(stdin string, args ...string) string)) {
	t.Helper()
	index := filepath.Join(t.TempDir(), "index")
	git := func(stdin string, args ...string) string { return gitIndex(t, remote, index, stdin, args...) }
	git("", "read-tree", DefaultBranch)
	edit(git)
	commit := gitCmd(t, "", "--git-dir="+remote, "commit-tree", git("", "write-tree"), "-p", DefaultBranch, "-m", "by hand")
	gitCmd(t, "", "--git-dir="+remote, "update-ref", "refs/heads/"+DefaultBranch, commit)
}

// gitIndex runs git in the bare repository with the index file index and
// stdin as its input, and returns its trimmed stdout.
func gitIndex(t *testing.T, repo, index, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"--git-dir=" + repo}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_INDEX_FILE="+index)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %s: %v", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out))
}

func TestIndexRoundTrip(t *testing.T) {
	runs := []store.Run{{ID: "12345", Attempt: 1}, {ID: "odd id/with.dots", Attempt: 3}}
	data := encodeIndex("abc123", runs)
	got, ok := parseIndex(data, "abc123")
	if !ok || len(got) != 2 || !got[runKey{"12345", 1}] || !got[runKey{"odd id/with.dots", 3}] {
		t.Errorf("parseIndex(encodeIndex) = %v, %v; want both runs", got, ok)
	}
	for _, tt := range []struct{ name, data, db string }{
		{"another database", string(data), "def456"},
		{"no header", "db abc123\n12345.1\n", "abc123"},
		{"newer format", "benchgate database runs 2\ndb abc123\n", "abc123"},
		{"bad attempt", indexHeader + "\ndb abc123\n12345.x\n", "abc123"},
		{"no attempt", indexHeader + "\ndb abc123\n12345\n", "abc123"},
	} {
		if _, ok := parseIndex([]byte(tt.data), tt.db); ok {
			t.Errorf("%s: parseIndex accepted %q", tt.name, tt.data)
		}
	}
}

// TestSavePartialFetch checks that an append Save to a server that
// filters fetches does not fetch the database (it reads IndexFile), that
// a compaction does and rewrites IndexFile, and that a branch whose index
// is missing or describes another database is read from the database.
func TestSavePartialFetch(t *testing.T) {
	remote := filteringRemote(t)
	b := &Branch{Remote: remote, CompactEvery: 3}
	dir := t.TempDir()
	indexRuns := func() []string {
		t.Helper()
		lines := strings.Split(gitCmd(t, "", "--git-dir="+remote, "show", DefaultBranch+":"+IndexFile), "\n")
		db := gitCmd(t, "", "--git-dir="+remote, "rev-parse", DefaultBranch+":"+DBFile)
		if len(lines) < 2 || lines[0] != indexHeader || lines[1] != "db "+db {
			t.Fatalf("%s: %q; want the header and db %s", IndexFile, lines, db)
		}
		return lines[2:]
	}
	steps := []struct {
		name      string
		ids       []string
		compacted bool
		fetchedDB bool
	}{
		{"first save", []string{"r1", "r2"}, true, false},
		{"append", []string{"r3"}, false, false},
		{"append again", []string{"r4"}, false, false},
		{"compaction", []string{"r5"}, true, true},
		{"append after compaction", []string{"r6"}, false, false},
	}
	for _, s := range steps {
		res := save(t, b, localDB(t, dir, s.ids...))
		if len(res.Added) != len(s.ids) || res.Compacted != s.compacted || res.FetchedDB != s.fetchedDB {
			t.Errorf("%s: added %v, compacted %v, fetched the database %v; want %d added, compacted %v, fetched %v",
				s.name, res.Added, res.Compacted, res.FetchedDB, len(s.ids), s.compacted, s.fetchedDB)
		}
		if s.name == "first save" {
			if got := indexRuns(); !slices.Equal(slices.Sorted(slices.Values(got)), []string{"r1.1", "r2.1"}) {
				t.Errorf("index after the first save: %q; want r1.1 r2.1", got)
			}
		}
	}
	if got := indexRuns(); len(got) != 5 {
		t.Errorf("index after the compaction: %q; want r1 to r5", got)
	}

	// Saving a run the database holds writes nothing: the index says so.
	if res := save(t, b, localDB(t, dir, "r2")); len(res.Added) != 0 || res.FetchedDB {
		t.Errorf("saving r2 again: added %v, fetched the database %v; want nothing added, not fetched", res.Added, res.FetchedDB)
	}

	// An index of another database (the database replaced by hand) is
	// not trusted: the runs are read from the database itself.
	stale := filepath.Join(t.TempDir(), "stale")
	if err := os.WriteFile(stale, []byte(indexHeader+"\ndb 0000\nr7.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rewriteTip(t, remote, func(git func(stdin string, args ...string) string) {
		git("", "update-index", "--cacheinfo", "100644,"+git("", "hash-object", "-w", stale)+","+IndexFile)
	})
	if res := save(t, b, localDB(t, dir, "r7")); len(res.Added) != 1 || !res.FetchedDB {
		t.Errorf("saving r7 past a stale index: added %v, fetched the database %v; want r7 added, fetched", res.Added, res.FetchedDB)
	}
	// A branch without an index (written by an older benchgate) too.
	rewriteTip(t, remote, func(git func(stdin string, args ...string) string) {
		// A bare repository has no work tree for --force-remove: mode 0
		// removes the entry.
		git("0 "+strings.Repeat("0", 40)+"\t"+IndexFile+"\n", "update-index", "--index-info")
	})
	if res := save(t, b, localDB(t, dir, "r8")); len(res.Added) != 1 || !res.FetchedDB {
		t.Errorf("saving r8 to a branch without an index: added %v, fetched the database %v; want r8 added, fetched", res.Added, res.FetchedDB)
	}
	got := fetchRuns(t, b)
	for _, id := range []string{"r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8"} {
		if got[id] != 1 {
			t.Errorf("fetched run %s: %d copies; want 1", id, got[id])
		}
	}
}
