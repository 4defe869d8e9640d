package forge

import "context"

// UpdateComment edits the comment of marker on pull request pr when one
// exists, as UpsertComment does, and creates none; existed reports whether
// there was one. It serves "comment only on a change, but keep an existing
// comment current".
func (c *Client) UpdateComment(ctx context.Context, pr int, marker, body string) (cm Comment, existed bool, err error) {
	ours, err := c.findComments(ctx, pr, marker)
	if err != nil || len(ours) == 0 {
		return Comment{}, false, err
	}
	cm, err = c.UpsertComment(ctx, pr, marker, body)
	return cm, true, err
}
