package webhook

// replaySet remembers the most recent delivery ids, at most cap of them, in
// a ring: memory stays bounded however long the server runs, and an id
// falls out once cap newer ones have been seen. It is not safe for
// concurrent use; Server guards it with its mutex.
type replaySet struct {
	ids  map[string]struct{}
	ring []string
	next int
}

func newReplaySet(capacity int) *replaySet {
	return &replaySet{ids: make(map[string]struct{}, capacity), ring: make([]string, capacity)}
}

func (r *replaySet) seen(id string) bool {
	_, ok := r.ids[id]
	return ok
}

// add remembers id, forgetting the oldest one when full. id must not be
// remembered already.
func (r *replaySet) add(id string) {
	if old := r.ring[r.next]; old != "" {
		delete(r.ids, old)
	}
	r.ring[r.next] = id
	r.ids[id] = struct{}{}
	r.next = (r.next + 1) % len(r.ring)
}
