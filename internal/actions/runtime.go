package actions

import (
	"crypto/rand"
	"encoding/hex"
	"io"

	"github.com/sethvargo/go-githubactions"
)

// Runtime writes workflow commands to the step's log and knows the
// environment of the step (the file-command paths).
type Runtime struct {
	gha    *githubactions.Action
	getenv func(string) string
}

// New returns a Runtime writing commands to w and reading the environment
// through getenv.
func New(w io.Writer, getenv func(string) string) *Runtime {
	return &Runtime{
		gha:    githubactions.New(githubactions.WithWriter(w), githubactions.WithGetenv(getenv)),
		getenv: getenv,
	}
}

// Mask asks the runner to replace secret with *** in the log from now on.
// Multi-line secrets are masked line by line, as the runner requires.
func (r *Runtime) Mask(secret string) {
	for _, line := range splitLines(secret) {
		if line != "" {
			r.gha.AddMask(line)
		}
	}
}

// Group starts a collapsible log group titled title.
func (r *Runtime) Group(title string) { r.gha.Group(title) }

// EndGroup ends the current log group.
func (r *Runtime) EndGroup() { r.gha.EndGroup() }

// Debug prints a debug message (shown when the run has debug logging on).
func (r *Runtime) Debug(msg string) { r.gha.Debugf("%s", msg) }

// Untrusted echoes text produced by untrusted code (a benchmark's output)
// to the log between `::stop-commands::<token>` and `::<token>::`, with a
// fresh random token, so that lines such as `::add-mask::` or
// `::error::` in it are shown, not obeyed.
func (r *Runtime) Untrusted(w io.Writer, text string) error {
	token := randomToken()
	r.gha.IssueCommand(&githubactions.Command{Name: "stop-commands", Message: token})
	_, err := io.WriteString(w, text)
	if len(text) > 0 && text[len(text)-1] != '\n' && err == nil {
		_, err = io.WriteString(w, "\n")
	}
	r.gha.IssueCommand(&githubactions.Command{Name: token})
	return err
}

// randomToken returns 32 hex digits from crypto/rand.
func randomToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // Note: crypto/rand.Read never fails on Linux.
	return hex.EncodeToString(b[:])
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, trimCR(s[start:i]))
			start = i + 1
		}
	}
	return append(out, trimCR(s[start:]))
}

func trimCR(s string) string {
	if len(s) > 0 && s[len(s)-1] == '\r' {
		return s[:len(s)-1]
	}
	return s
}
