// Package results holds benchgate's result model and the readers that turn
// every supported input format into it.
//
// A [Result] is one benchmark (a name plus parameters, on one hardware) in one
// run: a set of [Metric]s, each with repeated samples in normalised base
// units, or a [Failure] classified by the seed's error taxonomy. Readers never
// trust summary statistics from a harness: they keep raw samples, and the
// store and the gate compute summaries themselves.
package results
