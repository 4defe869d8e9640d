package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/benchgate/benchgate/internal/databranch"
	"github.com/benchgate/benchgate/internal/store"
)

// save merges the run into the data branch when the ref may write it
// (save-on, default the repository's default branch; pull requests and
// merge groups never write).
func (g *ghMode) save(ctx context.Context, st *store.DB, h *history) error {
	if h.branch == nil {
		return nil
	}
	if err := checkWriter(g.e, g.ev.Ref, g.in.SaveOn); err != nil {
		if errors.Is(err, databranch.ErrUntrusted) {
			g.e.log.Info("not saving to the data branch", "reason", err)
			return nil
		}
		return fmt.Errorf("input save-on: %w", err)
	}
	g.rt.Group("benchgate: saving to the data branch " + h.branch.Name)
	res, err := h.branch.Save(ctx, st)
	g.rt.EndGroup()
	if err != nil {
		return fmt.Errorf("saving to the data branch %s: %w", h.branch.Name, err)
	}
	g.e.log.Info("saved to the data branch", "branch", h.branch.Name, "added", len(res.Added), "commit", short(res.Commit), "compacted", res.Compacted)
	return nil
}
