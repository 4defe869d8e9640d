// Package bot is the companion bot's issue lifecycle: it reconciles the
// GitHub issues of a repository with the main-branch change-point analysis
// (internal/history).
//
// NewPlan is pure: given an analysis and the bot's existing issues (those
// labelled "benchgate", any state) it returns the actions that open,
// update, comment on, close and reopen issues, and the digest issue that
// holds what the alert budget left out. Apply executes a plan through the
// GitHub interface, and Command handles a maintainer's /benchgate command.
//
// One issue covers one suspect commit range (a history.Group). Its body
// starts with a hidden marker (see Marker) recording the range; an issue
// matches a group when the suspect commits recorded in its marker and the
// group's suspect commits share at least one commit, so an issue stays
// attached to its group while the range narrows or widens as data firms
// up. The marker's fingerprint is fixed when the issue is filed.
//
// Maintainer state lives in labels (LabelAck, LabelAccepted,
// LabelInvalid, LabelInfra) and in the marker (the accepted commit), so a
// fresh machine picks it up.
package bot
