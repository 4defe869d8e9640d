package databranch

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// scratchPrefix starts the name of every scratch directory, in the
// temporary directory ($TMPDIR).
const scratchPrefix = "benchgate-databranch-"

// ownerFile, in a scratch directory, says which process made it: "PID
// HOST\n".
const ownerFile = "owner"

// Ages past which a scratch directory that no process owns is removed
// (see removeStaleScratch): one whose owner is gone, and one made before
// owner files were written.
const (
	staleAfter        = time.Hour
	staleUnownedAfter = 24 * time.Hour
)

// makeScratch makes a scratch directory in the temporary directory, with
// its owner file, after removing the stale ones that killed processes left
// (a SIGKILLed Save leaves a copy of the database, megabytes).
func makeScratch(log *slog.Logger) (string, error) {
	removeStaleScratch(os.TempDir(), time.Now(), log)
	dir, err := os.MkdirTemp("", scratchPrefix)
	if err != nil {
		return "", fmt.Errorf("creating a scratch directory: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(ownerLine()), 0o644); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("creating a scratch directory: %w", err)
	}
	return dir, nil
}

// ownerLine is this process's owner file.
func ownerLine() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%d %s\n", os.Getpid(), host)
}

// removeStaleScratch removes the scratch directories in tmp that no live
// process owns: untouched for staleAfter (as of now) and whose owner, a
// process of this host, has exited; or untouched for staleUnownedAfter
// and without an owner file. Directories of other hosts (a temporary
// directory shared between containers, whose PIDs mean nothing here) and
// of live processes are left alone. Failures are logged, never returned:
// they do not stop the operation that makes a new scratch directory.
func removeStaleScratch(tmp string, now time.Time, log *slog.Logger) {
	entries, err := os.ReadDir(tmp)
	if err != nil {
		log.Debug("listing stale scratch directories", "dir", tmp, "error", err)
		return
	}
	host, _ := os.Hostname()
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), scratchPrefix) {
			continue
		}
		dir := filepath.Join(tmp, e.Name())
		info, err := e.Info()
		if err != nil {
			continue
		}
		age := now.Sub(info.ModTime())
		pid, owner, err := readOwner(dir)
		switch {
		case errors.Is(err, os.ErrNotExist):
			if age < staleUnownedAfter {
				continue
			}
		case err != nil:
			log.Debug("reading a scratch directory's owner", "dir", dir, "error", err)
			continue
		case owner != host || age < staleAfter || alive(pid):
			continue
		}
		if err := os.RemoveAll(dir); err != nil {
			log.Warn("removing a stale scratch directory", "dir", dir, "error", err)
			continue
		}
		log.Info("removed a stale scratch directory left by an interrupted operation", "dir", dir, "pid", pid, "age", age.Round(time.Second))
	}
}

// readOwner reads a scratch directory's owner file.
func readOwner(dir string) (pid int, host string, err error) {
	data, err := os.ReadFile(filepath.Join(dir, ownerFile))
	if err != nil {
		return 0, "", err
	}
	f := strings.Fields(string(data))
	if len(f) == 0 || len(f) > 2 {
		return 0, "", fmt.Errorf("owner file %q: want \"PID HOST\"", data)
	}
	if pid, err = strconv.Atoi(f[0]); err != nil || pid <= 0 {
		return 0, "", fmt.Errorf("owner file %q: want \"PID HOST\"", data)
	}
	if len(f) == 2 {
		host = f[1]
	}
	return pid, host, nil
}

// alive reports whether process pid exists (signal 0 checks without
// sending; EPERM is another user's live process).
//
// Note: a PID the system gave to a new process since keeps the directory
// until that process ends too: wrong only towards keeping.
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
