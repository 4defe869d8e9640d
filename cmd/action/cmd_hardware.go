package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/benchgate/benchgate/internal/hardware"
	"github.com/benchgate/benchgate/internal/report"
)

func cmdHardware(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "hardware", "[flags]",
		"List the hardware platforms benchgate knows (cpu, cuda, rocm, mps, openvino, qnn,\n"+
			"webnn, webgpu), whether each is available on this machine, and why.")
	format := fs.String("format", "table", "output format: table or json")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if err := oneOf("format", *format, "table", "json"); err != nil {
		return err
	}
	ps := hardware.Detect(ctx)
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(ps)
	}
	return report.HardwareTable(e.stdout, ps)
}

func cmdVersion(_ context.Context, e *env, args []string) error {
	fs := newFlags(e, "version", "", "Print benchgate's version.")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "benchgate", version())
	return nil
}
