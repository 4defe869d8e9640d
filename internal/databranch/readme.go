package databranch

// readmeText is the README.md that compaction writes on the branch.
const readmeText = `# benchgate data branch

This branch is written by benchgate (https://github.com/benchgate/benchgate). Do not edit it by hand.

- ` + "`benchgate.duckdb`" + `: the compacted results database (DuckDB).
- ` + "`benchgate.duckdb.runs`" + `: the runs that database holds, so that a save need not download it.
- ` + "`runs/<run id>.<attempt>.json.gz`" + `: runs saved since the last compaction, one file each.

Read it with ` + "`benchgate fetch --remote <this repository> --branch <this branch> --db out.duckdb`" + `,
which merges both into one database. The branch holds a single commit after each compaction:
its history is not kept, so that the repository does not grow by a copy of the database per push.
`
