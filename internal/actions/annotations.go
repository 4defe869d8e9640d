package actions

import (
	"fmt"
	"strconv"

	"github.com/sethvargo/go-githubactions"
)

// Level is an annotation's severity.
type Level string

// Annotation levels, as workflow commands name them.
const (
	Notice  Level = "notice"
	Warning Level = "warning"
	Error   Level = "error"
)

// GitHub's display limits for annotations from workflow commands: more
// are accepted but silently not shown.
const (
	MaxAnnotationsPerLevel = 10 // per step, for each of notice, warning and error
	MaxAnnotationsPerJob   = 50
)

// Annotation is one annotation. File is repository-relative (or under
// /github/workspace); Line, EndLine, Col and EndColumn are optional (0).
type Annotation struct {
	Level     Level
	File      string
	Line      int
	EndLine   int
	Col       int
	EndColumn int
	Title     string
	Message   string
}

// Aggregate returns anns reduced to what GitHub shows: at most
// MaxAnnotationsPerLevel of each level, in order; when a level has more,
// its last shown slot becomes a summary annotation ("… and N more …, see
// the job summary") without a file. Levels other than notice, warning and
// error are treated as warning.
func Aggregate(anns []Annotation) []Annotation {
	byLevel := map[Level][]Annotation{}
	var order []Level
	for _, a := range anns {
		if a.Level != Notice && a.Level != Error {
			a.Level = Warning
		}
		if _, ok := byLevel[a.Level]; !ok {
			order = append(order, a.Level)
		}
		byLevel[a.Level] = append(byLevel[a.Level], a)
	}
	var out []Annotation
	for _, l := range order {
		list := byLevel[l]
		if len(list) > MaxAnnotationsPerLevel {
			rest := len(list) - (MaxAnnotationsPerLevel - 1)
			list = append(list[:MaxAnnotationsPerLevel-1:MaxAnnotationsPerLevel-1], Annotation{
				Level:   l,
				Title:   fmt.Sprintf("%d more %ss", rest, l),
				Message: fmt.Sprintf("… and %d more %s annotations: GitHub shows %d per level; see the job summary for all.", rest, l, MaxAnnotationsPerLevel),
			})
		}
		out = append(out, list...)
	}
	return out
}

// Annotate prints anns, aggregated with Aggregate, as workflow commands.
func (r *Runtime) Annotate(anns []Annotation) {
	for _, a := range Aggregate(anns) {
		props := map[string]string{}
		if a.File != "" {
			props["file"] = a.File
			if a.Line > 0 {
				props["line"] = strconv.Itoa(a.Line)
				if a.EndLine >= a.Line {
					props["endLine"] = strconv.Itoa(a.EndLine)
				}
				if a.Col > 0 && (a.EndLine == 0 || a.EndLine == a.Line) {
					props["col"] = strconv.Itoa(a.Col)
					if a.EndColumn >= a.Col {
						props["endColumn"] = strconv.Itoa(a.EndColumn)
					}
				}
			}
		}
		if a.Title != "" {
			props["title"] = a.Title
		}
		r.gha.IssueCommand(&githubactions.Command{Name: string(a.Level), Message: a.Message, Properties: props})
	}
}
