package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/benchgate/benchgate/internal/hardware"
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
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PLATFORM\tAVAILABLE\tDEVICE\tDETAILS")
	for _, p := range ps {
		avail := "no"
		if p.Available {
			avail = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.Type, avail, p.DeviceName, p.Reason)
	}
	return tw.Flush()
}

func cmdVersion(_ context.Context, e *env, args []string) error {
	fs := newFlags(e, "version", "", "Print benchgate's version.")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "benchgate", version())
	return nil
}
