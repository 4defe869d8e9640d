// Package actions is benchgate's side of the GitHub Actions runtime
// contract for a container action: inputs (the runner's hyphenated
// INPUT_* variables, every one validated), outputs (a heredoc with a random
// delimiter), the job summary (1 MiB cap), annotations (aggregated within
// GitHub's display limits), masking, log groups, `::stop-commands::` around
// untrusted output, and the triggering event read from GITHUB_EVENT_PATH.
//
// Workflow commands go through github.com/sethvargo/go-githubactions (the
// escaping of messages and properties), writing to an injected io.Writer.
// Its file commands are not used: SetOutput writes a fixed heredoc
// delimiter that a value from pull-request code could contain, and it
// panics when GITHUB_OUTPUT is unset; this package writes those files
// itself. See GITHUB.md in the project notes for the runner's behaviour.
package actions
