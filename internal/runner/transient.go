package runner

import (
	"errors"
	"strings"
	"syscall"
)

// transientStderr are messages in a failed benchmark's stderr that mean the
// machine, not the benchmark, was briefly in the way.
var transientStderr = []string{
	"all CUDA-capable devices are busy or unavailable", // GPU in exclusive mode held by another process
	"cudaErrorDevicesUnavailable",
	"Resource temporarily unavailable", // EAGAIN: fork or thread creation hit a limit
	"Text file busy",                   // ETXTBSY: the executable was still open for writing
}

// transientStartErrs are errors starting a process that a second try may
// not meet.
var transientStartErrs = []error{syscall.ETXTBSY, syscall.EAGAIN, syscall.ENOMEM, syscall.EMFILE, syscall.ENFILE}

// transient says why a failed run is worth one more try, or "" when it is
// not. Transient are:
//
//   - failing to start with ETXTBSY, EAGAIN, ENOMEM, EMFILE or ENFILE;
//   - a non-zero exit whose stderr says a CUDA device was busy or
//     unavailable (another process holds a GPU in exclusive mode), or
//     names EAGAIN ("Resource temporarily unavailable") or ETXTBSY ("Text
//     file busy").
//
// Never transient: timeouts (a slow benchmark stays slow), kills by a
// signal (the OOM killer among them), other non-zero exits, cancellation,
// and every error reading the results: retrying those would hide a real
// problem or double the cost of a deterministic one.
func transient(res ExecResult) string {
	if res.StartErr != nil {
		for _, e := range transientStartErrs {
			if errors.Is(res.StartErr, e) {
				return "start failed with " + e.Error()
			}
		}
		return ""
	}
	if res.TimedOut || res.Canceled || res.Signal != 0 || res.ExitCode <= 0 {
		return ""
	}
	for _, m := range transientStderr {
		if strings.Contains(string(res.Stderr), m) {
			return "stderr says " + m
		}
	}
	return ""
}
