// Package report renders what benchgate knows: the verdict of a comparison
// (Markdown for PR comments and the terminal, a plain table, JSON), the
// seed's raw timing table for `benchgate query` (table, JSON, CSV), and the
// full timing report (HTML, Markdown, JSON).
//
// Everything that can come from a pull request — benchmark names, parameters,
// error output — is untrusted: Markdown output goes through [EscapeMarkdown]
// (no Markdown or HTML injection, no @-mentions), HTML output through
// html/template's contextual escaping. The HTML report is one self-contained
// file with no external resources, so it can be uploaded as an artifact or
// published as is.
package report
