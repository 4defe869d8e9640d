package report

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// hidden reports whether r must not reach a terminal, an Actions log or a
// rendered page as itself: C0 controls (line breaks and tab included), DEL,
// C1 controls (U+0085 included), the bidirectional embeddings, overrides,
// isolates and marks (U+061C, U+200E, U+200F, U+202A–U+202E,
// U+2066–U+2069), the zero-width and invisible characters (U+200B–U+200D,
// U+2060–U+2064, U+FEFF) and the line and paragraph separators
// (U+2028, U+2029).
func hidden(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, 0x80 <= r && r < 0xa0:
	case r == 0x061c, 0x200b <= r && r <= 0x200f, r == 0x2028, r == 0x2029, 0x202a <= r && r <= 0x202e:
	case 0x2060 <= r && r <= 0x2064, 0x2066 <= r && r <= 0x2069, r == 0xfeff:
	default:
		return false
	}
	return true
}

// writeVisible writes the visible escape of a hidden rune: \n, \r, \t,
// \xHH below U+0100, \uHHHH above.
func writeVisible(b *strings.Builder, r rune) {
	switch {
	case r == '\n':
		b.WriteString(`\n`)
	case r == '\r':
		b.WriteString(`\r`)
	case r == '\t':
		b.WriteString(`\t`)
	case r < 0x100:
		fmt.Fprintf(b, `\x%02x`, r)
	default:
		fmt.Fprintf(b, `\u%04x`, r)
	}
}

// showHidden replaces every hidden rune of s, except those keep accepts,
// with its visible escape, and invalid UTF-8 with U+FFFD.
func showHidden(s string, keep func(rune) bool) string {
	clean := utf8.ValidString(s)
	for _, r := range s {
		if !clean || (hidden(r) && !keep(r)) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if hidden(r) && !keep(r) {
			writeVisible(&b, r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func keepNone(rune) bool { return false }

// OneLine makes untrusted text safe to print on one line of a terminal, an
// Actions log, a plain-text table or a CSV cell: it is the one sanitiser of
// its kind. Every hidden character (see hidden: controls, terminal escapes,
// bidi overrides, zero-width characters, line breaks) is replaced by a
// visible escape (\n, \x1b, \u202e), so the text stays on its line and
// shows what it holds; invalid UTF-8 becomes U+FFFD. It also defuses the
// runner's workflow commands, which a log line would otherwise run: text
// that starts with "::" after blanks gets a backslash before it ("\::"),
// since the runner takes a line that starts with "::" once trimmed for a
// command, and "##[" (the legacy form, found anywhere in a line) becomes
// "##\[". Every cell of a line passes through OneLine, so no line can start
// a command whatever the columns before it hold. The escapes are for
// people, not a reversible encoding: a literal backslash is kept as is
// (use --format json for the exact text). The result has no more runes
// than s has bytes times six, and columns stay aligned (escapes are ASCII).
func OneLine(s string) string {
	s = showHidden(s, keepNone)
	if t := strings.TrimLeftFunc(s, unicode.IsSpace); strings.HasPrefix(t, "::") {
		s = s[:len(s)-len(t)] + `\` + t
	}
	return strings.ReplaceAll(s, "##[", `##\[`)
}

// markdownEscaper backslash-escapes every character with Markdown meaning,
// turns HTML metacharacters into entities, and breaks @-mentions and
// #-references with a word joiner entity (&#8288;: GitHub links what its
// reference filters find in the rendered text, where an entity is already
// decoded, so only a character between "#" and the number stops them; a
// backslash or an entity for "#" would not). A dollar sign is wrapped in
// <span>, the way GitHub's "Writing mathematical expressions" documents
// for a literal "$" beside math: outside math GitHub does not honour "\$"
// reliably.
var markdownEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `{`, `\{`, `}`, `\}`,
	`[`, `\[`, `]`, `\]`, `(`, `\(`, `)`, `\)`, `#`, `#&#8288;`, `+`, `\+`,
	`-`, `\-`, `!`, `\!`, `|`, `\|`, `~`, `\~`, `$`, `<span>$</span>`,
	`<`, `&lt;`, `>`, `&gt;`, `&`, `&amp;`, `@`, `@&#8288;`,
	"://", ":&#8288;//", "www.", "www&#8288;.",
	"\r\n", " ", "\n", " ", "\r", " ", "\t", " ",
)

// ghRef is GitHub's "GH-123" issue reference as markdownEscaper leaves it.
var ghRef = regexp.MustCompile(`(?i)\b(gh)\\-([0-9])`)

// shaLike is a word GitHub may link as a commit: 7 to 40 hex digits.
// Note: all-digit words count too (a commit's abbreviation can be all
// digits); FormatValue's three significant digits keep values short of it.
var shaLike = regexp.MustCompile(`\b[0-9A-Fa-f]{7,40}\b`)

// isLineBreak keeps the line breaks and tabs for markdownEscaper, which
// turns them into spaces.
func isLineBreak(r rune) bool { return r == '\n' || r == '\r' || r == '\t' }

// EscapeMarkdown makes untrusted text safe to place inline in GitHub
// Markdown, including inside a table cell: it is shown literally, on one
// line, with no links, mentions, references (#1, owner/repo#1, GH-1, a
// commit hash), math, HTML or formatting. Hidden characters (see hidden)
// are shown as visible escapes, as OneLine does; line breaks and tabs
// become spaces. A commit-like word is set as code, which GitHub never
// links.
func EscapeMarkdown(s string) string {
	s = markdownEscaper.Replace(showHidden(s, isLineBreak))
	s = ghRef.ReplaceAllString(s, `$1\-&#8288;$2`)
	return shaLike.ReplaceAllString(s, "`$0`")
}

// CodeBlock returns s as a fenced code block whose fence is longer than any
// run of backticks inside s, so untrusted output cannot close it early.
// Hidden characters other than line breaks and tabs are shown as visible
// escapes.
func CodeBlock(s string) string {
	s = showHidden(s, func(r rune) bool { return r == '\n' || r == '\t' })
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

// CodeSpan returns s as inline code that untrusted text cannot break out
// of: backticks and line breaks are replaced, since a code span shows
// backslashes literally, and other hidden characters are shown as visible
// escapes.
func CodeSpan(s string) string {
	return "`" + strings.NewReplacer("`", "'", "\n", " ", "\r", " ").Replace(showHidden(s, isLineBreak)) + "`"
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
