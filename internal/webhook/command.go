package webhook

import (
	"strings"
)

// commandPrefix starts a maintainer command in an issue comment.
const commandPrefix = "/benchgate"

// knownCommands are the verbs the bot implements; ParseCommand returns them
// in lower case whatever case they were typed in.
var knownCommands = map[string]bool{
	"ack":     true,
	"accept":  true,
	"invalid": true,
	"infra":   true,
}

// ParseCommand finds the first line of a comment body of the form
// "/benchgate <verb> [arg]" and returns the verb and the rest of the line
// (trimmed). The prefix and the verb are matched case-insensitively; a known
// verb (ack, accept, invalid, infra) comes back in lower case, an unknown one
// as typed, still with ok, so the bot can answer "unknown command".
//
// Lines inside fenced code blocks and quoted lines ("> /benchgate ack", as a
// reply quoting someone else) are not commands, nor is "/benchgate" without
// a verb or a word that merely starts with it ("/benchgates").
func ParseCommand(body string) (cmd, arg string, ok bool) {
	fenced := false
	for _, line := range strings.Split(body, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "```") || strings.HasPrefix(line, "~~~") {
			fenced = !fenced
			continue
		}
		if fenced || len(line) <= len(commandPrefix) {
			continue
		}
		if !strings.EqualFold(line[:len(commandPrefix)], commandPrefix) {
			continue
		}
		rest := line[len(commandPrefix):]
		if rest[0] != ' ' && rest[0] != '\t' {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) == 0 {
			continue
		}
		verb := fields[0]
		arg := strings.TrimSpace(strings.TrimSpace(rest)[len(verb):])
		if lower := strings.ToLower(verb); knownCommands[lower] {
			verb = lower
		}
		return verb, arg, true
	}
	return "", "", false
}
