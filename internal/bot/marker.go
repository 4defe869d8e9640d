package bot

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Marker is what an issue's hidden marker records: an HTML comment at the
// top of the body, e.g.
//
//	<!-- benchgate:issue v=1 fingerprint=3f2a… ref=refs%2Fheads%2Fmain good=<sha> bad=<sha> commits=<first-bad>,<between>… series=<id>:major,… -->
//
// Commits are the suspect commits (the first bad one first, then those
// between the last good and the first bad one) and Series the regressed
// series (results.SeriesKey.ID) with their severities when the body was last written;
// Accepted is the first bad commit a maintainer accepted and Resolved the
// commit that recovered the range when the bot closed the issue.
type Marker struct {
	Fingerprint string
	Ref         string
	Good, Bad   string
	Commits     []string
	Series      []SeriesMark
	Accepted    string
	Resolved    string
}

// SeriesMark is one regressed series of a Marker.
type SeriesMark struct{ ID, Severity string }

// markerCommits caps the suspect commits recorded: a range wider than this
// is matched by its first markerCommits commits (first bad one first).
const markerCommits = 200

const (
	issueMarkerPrefix  = "<!-- benchgate:issue "
	digestMarkerPrefix = "<!-- benchgate:digest "
	markerEnd          = " -->"
)

var (
	hexRe      = regexp.MustCompile(`^[0-9a-f]{4,64}$`)
	severityRe = regexp.MustCompile(`^(minor|major|critical|improvement)$`)
)

// Fingerprint returns the identity of a range first filed at first bad
// commit bad on ref: 16 hex digits.
func Fingerprint(ref, bad string) string {
	sum := sha256.Sum256([]byte("benchgate-range\x00" + ref + "\x00" + bad))
	return hex.EncodeToString(sum[:8])
}

// String renders m as the marker line (no newline).
func (m Marker) String() string {
	var b strings.Builder
	b.WriteString(issueMarkerPrefix + "v=1 fingerprint=" + m.Fingerprint + " ref=" + url.QueryEscape(m.Ref) +
		" good=" + m.Good + " bad=" + m.Bad)
	b.WriteString(" commits=" + strings.Join(m.Commits[:min(len(m.Commits), markerCommits)], ","))
	ss := make([]string, len(m.Series))
	for i, s := range m.Series {
		ss[i] = s.ID + ":" + s.Severity
	}
	b.WriteString(" series=" + strings.Join(ss, ","))
	if m.Accepted != "" {
		b.WriteString(" accepted=" + m.Accepted)
	}
	if m.Resolved != "" {
		b.WriteString(" resolved=" + m.Resolved)
	}
	b.WriteString(markerEnd)
	return b.String()
}

// ParseMarker finds the issue marker in body; false when there is none or
// it is malformed (a fingerprint and a first bad commit are required; any
// value that is not what the bot writes is dropped).
func ParseMarker(body string) (Marker, bool) {
	fields, ok := markerFields(body, issueMarkerPrefix)
	if !ok {
		return Marker{}, false
	}
	var m Marker
	hexOf := func(s string) string {
		if hexRe.MatchString(s) {
			return s
		}
		return ""
	}
	for _, f := range fields {
		k, v, _ := strings.Cut(f, "=")
		switch k {
		case "fingerprint":
			m.Fingerprint = hexOf(v)
		case "ref":
			m.Ref, _ = url.QueryUnescape(v)
		case "good":
			m.Good = hexOf(v)
		case "bad":
			m.Bad = hexOf(v)
		case "accepted":
			m.Accepted = hexOf(v)
		case "resolved":
			m.Resolved = hexOf(v)
		case "commits":
			for _, c := range strings.Split(v, ",") {
				if c = hexOf(c); c != "" && len(m.Commits) < markerCommits {
					m.Commits = append(m.Commits, c)
				}
			}
		case "series":
			for _, s := range strings.Split(v, ",") {
				id, sev, _ := strings.Cut(s, ":")
				if hexRe.MatchString(id) && severityRe.MatchString(sev) {
					m.Series = append(m.Series, SeriesMark{id, sev})
				}
			}
		}
	}
	if m.Fingerprint == "" || m.Bad == "" {
		return Marker{}, false
	}
	if !slices.Contains(m.Commits, m.Bad) {
		m.Commits = append([]string{m.Bad}, m.Commits...)
	}
	return m, true
}

// digestMarker is the digest issue's marker for ref.
func digestMarker(ref string) string {
	return digestMarkerPrefix + "v=1 ref=" + url.QueryEscape(ref) + markerEnd
}

// isDigest reports whether body carries the digest marker of ref.
func isDigest(body, ref string) bool {
	fields, ok := markerFields(body, digestMarkerPrefix)
	return ok && slices.Contains(fields, "ref="+url.QueryEscape(ref))
}

// markerFields returns the space-separated fields of the first marker
// with the given prefix in body.
func markerFields(body, prefix string) ([]string, bool) {
	i := strings.Index(body, prefix)
	if i < 0 {
		return nil, false
	}
	rest := body[i+len(prefix):]
	j := strings.Index(rest, markerEnd)
	if j < 0 {
		return nil, false
	}
	return strings.Fields(rest[:j]), true
}

// withMarker returns body with its issue marker replaced by m's.
func withMarker(body string, m Marker) string {
	i := strings.Index(body, issueMarkerPrefix)
	if i < 0 {
		return m.String() + "\n" + body
	}
	j := strings.Index(body[i:], markerEnd)
	if j < 0 {
		return m.String() + "\n" + body
	}
	return body[:i] + m.String() + body[i+j+len(markerEnd):]
}
