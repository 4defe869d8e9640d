package report

import (
	"strings"
)

// markdownEscaper backslash-escapes every character with Markdown meaning,
// turns HTML metacharacters into entities, and breaks @-mentions and
// #-references with a zero-width joiner so that GitHub links nobody.
var markdownEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `{`, `\{`, `}`, `\}`,
	`[`, `\[`, `]`, `\]`, `(`, `\(`, `)`, `\)`, `#`, `#&#8288;`, `+`, `\+`,
	`-`, `\-`, `!`, `\!`, `|`, `\|`, `~`, `\~`,
	`<`, `&lt;`, `>`, `&gt;`, `&`, `&amp;`, `@`, `@&#8288;`,
	"://", ":&#8288;//", "www.", "www&#8288;.",
	"\r\n", " ", "\n", " ", "\r", " ",
)

// EscapeMarkdown makes untrusted text safe to place inline in GitHub
// Markdown, including inside a table cell: it is shown literally, on one
// line, with no links, mentions, HTML or formatting.
func EscapeMarkdown(s string) string {
	return markdownEscaper.Replace(s)
}

// CodeBlock returns s as a fenced code block whose fence is longer than any
// run of backticks inside s, so untrusted output cannot close it early.
func CodeBlock(s string) string {
	fence := "```"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	return fence + "text\n" + strings.TrimRight(s, "\n") + "\n" + fence + "\n"
}

// truncate cuts s to at most n bytes on a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + " …[truncated]"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// tail returns the last n bytes of s on a rune boundary.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	start := len(s) - n
	for start < len(s) && !utf8RuneStart(s[start]) {
		start++
	}
	return "…" + s[start:]
}

// CodeSpan returns s as inline code that untrusted text cannot break out
// of: backticks and line breaks are replaced, since a code span shows
// backslashes literally.
func CodeSpan(s string) string {
	return "`" + strings.NewReplacer("`", "'", "\n", " ", "\r", " ").Replace(s) + "`"
}

// Truncate cuts s to at most n runes, ending a cut with "…": check titles,
// annotation messages.
func Truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
