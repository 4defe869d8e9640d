// Package databranch keeps benchgate's results on a branch of the project's
// own git repository (default "benchgate-data"), so that pull requests can
// be compared with the results of their base, and writes it safely from
// many concurrent jobs.
//
// # Layout: append-only run files plus a compacted database
//
// The branch holds
//
//   - benchgate.duckdb: the compacted database (internal/store's schema);
//   - benchgate.duckdb.runs: the run attempts it holds (IndexFile);
//   - runs/<run id>.<attempt>.json.gz: one small file per run attempt saved
//     since the last compaction (the run and its results, gzip JSON);
//   - README.md.
//
// Save adds the runs of a local database that the branch lacks as new run
// files, in a commit on top of the fetched tip. It fetches the tip without
// the database (a partial clone's fetch, fetchFilter) and reads the
// database's runs from IndexFile; a server that does not filter sends the
// database anyway, and a branch without a usable IndexFile is fetched
// whole and its database read. Once the branch holds
// Branch.CompactEvery run files (default 50), the next Save compacts
// instead: it merges every run file and its own runs into the database,
// prunes raw samples outside the retention window (store.Prune), writes a
// compact copy (store.CompactTo), checks its size, and pushes a single
// parentless commit holding only the database.
//
// Why this design, against the two failure modes of the prior art
// (github-action-benchmark grows a file forever and retries blindly;
// gobenchdata force-pushes and loses concurrent results):
//
//   - Growth. A DuckDB file is binary: git stores every changed version as
//     a new blob that deltas poorly, so committing the database on every
//     push would grow the repository by a compressed copy of it per push.
//     Here a push adds one run file (kilobytes); the database is rewritten
//     once per CompactEvery pushes, and compaction replaces the branch by one
//     commit, so the reachable history is always one database plus fewer
//     than CompactEvery run files. Superseded blobs become unreachable and
//     are dropped by the server's garbage collection.
//   - Conflicts. Run file names are distinct per run attempt, so concurrent
//     appends never conflict on content, only on the ref: a writer whose
//     push loses the race fetches the new tip and re-applies its files —
//     cheap, no DuckDB involved. Ingest is idempotent by (run id, attempt),
//     so a run that reached the branch by another route is not written
//     twice.
//   - Safety. Every push is a compare-and-swap:
//     git push --force-with-lease=refs/heads/B:<the SHA fetched>. Never a
//     blind force push: a compaction built from tip T replaces the branch
//     only while it is still T, so a run file pushed after T is never lost.
//     A killed writer leaves the remote as it was (git updates a ref
//     atomically once all objects are in), so the branch always holds a
//     complete, valid database and every acknowledged run.
//   - Size. GitHub warns above 50 MiB per file and refuses 100 MiB. The
//     database is size-checked before each compaction push: above 50 MiB a
//     warning is logged, above 100 MiB Save fails with ErrTooLarge and a
//     message naming benchgate prune. Retention keeps raw samples for the
//     newest store.DefaultKeepRuns runs of each series group; summaries and
//     one value per metric stay forever.
//
// # Reading
//
// Fetch brings the branch down (shallow, that one ref, no checkout: git
// fetch --depth=1 into a scratch bare repository) and writes one local
// database: the compacted file with the pending run files merged in. A
// database that does not open (corrupt, not benchgate's, newer schema, or
// holding views or macros) or a run file that does not parse is refused
// with a *RefusedError; Save then pushes nothing, so bad data is never
// overwritten and never made worse. A run file that inflates past
// MaxRunFileSize is the exception on Fetch: it is left out, named in a
// warning and FetchResult.Skipped, and the other runs are returned (Save
// still refuses to write over it).
//
// # Trust
//
// Only trusted refs write (CheckTrusted: the default branch by default,
// configurable); pull requests only read. The caller checks before Save.
//
// # Git
//
// Git runs as a subprocess of the real git binary, with plumbing only
// (fetch, ls-tree, cat-file, hash-object, update-index with a private index
// file, write-tree, commit-tree, push) in a scratch bare repository, so the
// user's checkout is never touched. Credentials are whatever git is
// configured with (in Actions, the checkout's extraheader or a token URL).
package databranch
