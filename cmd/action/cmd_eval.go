package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/benchgate/benchgate/internal/eval"
)

func cmdEval(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "eval", "[--mode short|full] [--seed N] [--output FILE]",
		"Measure the gate on synthetic data with a known truth (docs/STATISTICS.md §8): false alarms,\n"+
			"power, severity, interval coverage and change-point detection, side by side with\n"+
			"benchstat and github-action-benchmark's ratio rule, and write a Markdown report.\n"+
			"The same seed always gives the same report. The full mode takes minutes on 2 cores.")
	mode := fs.String("mode", "short", "short (a few hundred trials per cell, seconds) or full (≥ 2,000, minutes)")
	seed := fs.Uint64("seed", 1, "seed of every random draw")
	output := fs.String("output", "", "write the report to this file instead of stdout")
	history := fs.String("history", "", "github-action-benchmark data.js files (comma-separated): inject steps into their real series\nand report the recall (with --mode real, only that)")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if err := oneOf("mode", *mode, "short", "full", "real"); err != nil {
		return err
	}
	cfg := eval.Short(*seed)
	if *mode == "full" {
		cfg = eval.Full(*seed)
	}
	if *mode == "real" {
		cfg.Mode = "real"
	}
	start := time.Now()
	e.log.Info("evaluating the gate", "mode", cfg.Mode, "seed", cfg.Seed, "trials", cfg.Trials)
	res := eval.Results{Config: cfg}
	if *mode != "real" {
		res = eval.Run(cfg)
	}
	if *history != "" {
		cells, err := eval.RealFiles(strings.Split(*history, ","), *seed, 20)
		if err != nil {
			return err
		}
		res.Real = cells
	}
	e.log.Info("evaluation done", "elapsed", time.Since(start).Round(time.Second))
	command := fmt.Sprintf("benchgate eval --mode %s --seed %d", *mode, *seed)
	if *history != "" {
		command += " --history " + *history
	}
	if *output == "" {
		return res.Markdown(e.stdout, command)
	}
	var b strings.Builder
	if err := res.Markdown(&b, command); err != nil {
		return err
	}
	if err := os.WriteFile(*output, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("writing --output: %w", err)
	}
	return ctx.Err()
}
