// Package webhook receives GitHub App webhook deliveries for benchgate-bot's
// serve mode and turns the few that matter into Events for the bot.
//
// GitHub gives a receiver 10 s to answer and does not redeliver on its own,
// so the Server does as little as possible on the request path: it checks
// the X-Hub-Signature-256 HMAC over the raw body (absent or forged → 401,
// never processed), bounds the body (413), drops replayed deliveries by their
// X-GitHub-Delivery id (the id survives a redelivery), decides from a handful
// of payload fields whether the delivery asks for work, and answers 202 at
// once. The work itself runs later, in arrival order, on one worker goroutine
// fed by a bounded queue; a full queue answers 503 so GitHub records a failed
// delivery that can be redelivered, rather than the bot silently dropping it.
//
// Two kinds of work exist: "sync" (a push to the data branch, or a completed
// benchmark workflow_run on the default branch: re-read the history and
// reconcile issues) and "command" (a /benchgate comment on an issue). Whether
// the commenter may run the command is for the bot to check; this package
// only filters out bots, edits, deletions and pull-request comments.
package webhook
