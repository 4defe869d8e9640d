package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/results"
)

// findRunDB holds five run attempts:
//
//	100#1 aaaaaaa1… refs/heads/main    t0
//	100#2 aaaaaaa1… refs/heads/main    t0+1m
//	101#1 bbbbbbb2… refs/pull/5/merge  t0+2m
//	102#1 aaaaaaa3… refs/heads/main    t0+3m
//	103#1 ccccccc4… refs/tags/v1.0     t0+4m
func findRunDB(t *testing.T) *DB {
	t.Helper()
	db := openTemp(t)
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, r := range []Run{
		testRun("100", 1, sha("aaaaaaa1"), "refs/heads/main", t0),
		testRun("100", 2, sha("aaaaaaa1"), "refs/heads/main", t0.Add(time.Minute)),
		testRun("101", 1, sha("bbbbbbb2"), "refs/pull/5/merge", t0.Add(2*time.Minute)),
		testRun("102", 1, sha("aaaaaaa3"), "refs/heads/main", t0.Add(3*time.Minute)),
		testRun("103", 1, sha("ccccccc4"), "refs/tags/v1.0", t0.Add(4*time.Minute)),
	} {
		mustIngest(t, db, r, []results.Result{goBenchResult()})
	}
	return db
}

// sha pads prefix to a 40-digit commit SHA.
func sha(prefix string) string { return prefix + strings.Repeat("0", 40-len(prefix)) }

func runName(r Run) string { return fmt.Sprintf("%s#%d", r.ID, r.Attempt) }

func TestFindRun(t *testing.T) {
	db := findRunDB(t)
	for _, tc := range []struct {
		sel     string
		want    string // "ID#attempt"
		wantErr error  // ErrNotFound, ErrAmbiguous, or errAny
	}{
		{sel: "latest", want: "103#1"},
		{sel: " latest ", want: "103#1"},
		{sel: "latest~0", want: "103#1"},
		{sel: "latest~1", want: "102#1"},
		{sel: "latest~2", want: "101#1"},
		{sel: "latest~3", want: "100#2"}, // earlier attempts are superseded
		{sel: "latest~4", wantErr: ErrNotFound},
		{sel: "latest~x", wantErr: errAny},
		{sel: "latest~-1", wantErr: errAny},
		{sel: "100", want: "100#2"},
		{sel: "100#1", want: "100#1"},
		{sel: "100#2", want: "100#2"},
		{sel: "100#3", wantErr: ErrNotFound},
		{sel: "bbbbbbb", want: "101#1"},
		{sel: "BBBBBBB2", want: "101#1"},
		{sel: "aaaaaaa", wantErr: ErrAmbiguous},
		{sel: "aaaaaaa1", want: "100#2"},
		{sel: sha("aaaaaaa3"), want: "102#1"},
		{sel: "main", want: "102#1"},
		{sel: "refs/heads/main", want: "102#1"},
		{sel: "v1.0", want: "103#1"},
		{sel: "refs/pull/5/merge", want: "101#1"},
		{sel: "abcdef0", wantErr: ErrNotFound},
		{sel: "cccccc", wantErr: ErrNotFound}, // too short for a commit prefix
		{sel: "nope", wantErr: ErrNotFound},
		{sel: "", wantErr: ErrNotFound},
	} {
		t.Run(tc.sel, func(t *testing.T) {
			r, err := db.FindRun(context.Background(), tc.sel)
			if tc.wantErr != nil {
				if err == nil {
					t.Fatalf("FindRun(%q) = %s; want an error", tc.sel, runName(r))
				}
				if tc.wantErr != errAny && !errors.Is(err, tc.wantErr) {
					t.Errorf("FindRun(%q): got %v; want %v", tc.sel, err, tc.wantErr)
				}
				if !strings.Contains(err.Error(), fmt.Sprintf("%q", tc.sel)) {
					t.Errorf("error %q does not name the selector %q", err, tc.sel)
				}
				return
			}
			if err != nil {
				t.Fatalf("FindRun(%q): %v", tc.sel, err)
			}
			if got := runName(r); got != tc.want {
				t.Errorf("FindRun(%q) = %s; want %s", tc.sel, got, tc.want)
			}
		})
	}
}

// errAny stands for any error in test tables.
var errAny = errors.New("any error")

func TestRunsNewestFirst(t *testing.T) {
	db := findRunDB(t)
	runs, err := db.Runs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range runs {
		got = append(got, runName(r))
	}
	want := []string{"103#1", "102#1", "101#1", "100#2", "100#1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Runs = %v; want %v", got, want)
	}
}
