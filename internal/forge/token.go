package forge

import "log/slog"

// Token is a GitHub token. It prints and logs as "[redacted]"; only
// [Token.Reveal] returns the secret, for the HTTP transport.
type Token string

const redacted = "[redacted]"

// String returns "[redacted]" (or "" for the empty token), so that fmt
// verbs never print the secret.
func (t Token) String() string {
	if t == "" {
		return ""
	}
	return redacted
}

// GoString is like String, for %#v.
func (t Token) GoString() string { return t.String() }

// LogValue implements slog.LogValuer: the token is logged redacted.
func (t Token) LogValue() slog.Value { return slog.StringValue(t.String()) }

// Reveal returns the secret itself. Callers must not log or print it.
func (t Token) Reveal() string { return string(t) }
