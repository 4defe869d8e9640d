package actions

import (
	"fmt"
	"os"
	"strings"
	"unicode/utf8"
)

// MaxSummaryBytes is the runner's limit on a step summary: a larger file is
// dropped whole with an error annotation.
const MaxSummaryBytes = 1 << 20

// summaryCutNote ends a summary cut to MaxSummaryBytes.
const summaryCutNote = "\n\n---\n**The summary was cut here**: it exceeded GitHub's 1 MiB limit for a step summary. " +
	"The full report is in the run's artifacts or the HTML report.\n"

// WriteSummary replaces the step summary ($GITHUB_STEP_SUMMARY) with
// markdown. Markdown longer than MaxSummaryBytes is cut at the last line
// break that fits (else at a character boundary) and ends with a note; it
// reports whether it was cut.
func (r *Runtime) WriteSummary(markdown string) (cut bool, err error) {
	path := r.getenv("GITHUB_STEP_SUMMARY")
	if path == "" {
		return false, fmt.Errorf("writing the job summary: GITHUB_STEP_SUMMARY is not set")
	}
	markdown, cut = CutSummary(markdown)
	if err := os.WriteFile(path, []byte(markdown), 0o644); err != nil {
		return cut, fmt.Errorf("writing the job summary: %w", err)
	}
	return cut, nil
}

// CutSummary returns markdown unchanged when it fits MaxSummaryBytes, else
// cut as WriteSummary describes, and whether it cut.
func CutSummary(markdown string) (string, bool) {
	if len(markdown) <= MaxSummaryBytes {
		return markdown, false
	}
	keep := MaxSummaryBytes - len(summaryCutNote)
	for keep > 0 && !utf8.RuneStart(markdown[keep]) {
		keep--
	}
	head := markdown[:keep]
	if i := strings.LastIndexByte(head, '\n'); i > keep/2 {
		head = head[:i]
	}
	return head + summaryCutNote, true
}
