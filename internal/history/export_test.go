package history

// BuildBench is buildBench for the external test package's benchmarks.
var BuildBench = buildBench
