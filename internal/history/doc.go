// Package history analyses the main branch's benchmark history: it loads
// every selected series from the store in one query, puts each commit of
// the branch in one shared order, finds each series' change points with
// gate.ChangePointsOf (all samples of a commit, several runs of one commit
// being one point), grades each change (regression or improvement by the
// metric's direction, severity from the gate's thresholds, provisional or
// confirmed, coinciding environment changes, later resolution), groups the
// change points of all series by suspect commit range with
// gate.GroupChangePoints, and saves the detections to the store so that
// running again on the same data changes nothing.
//
// It exists so that `benchgate history`, `benchgate changes` and the bot
// share one analysis: the commands only parse flags and print what Analyze
// returns with the renderers here.
package history
