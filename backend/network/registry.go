package network

import "sort"

// Registry is the set of networks this build of Herald supports. It is
// built in app.go from a literal list: no init-time registration.
type Registry struct {
	byID map[string]Network
}

// NewRegistry indexes networks by their descriptor id.
func NewRegistry(networks ...Network) *Registry {
	r := &Registry{byID: map[string]Network{}}
	for _, n := range networks {
		r.byID[n.Descriptor().ID] = n
	}
	return r
}

// Get returns the network with id.
func (r *Registry) Get(id string) (Network, bool) {
	n, ok := r.byID[id]
	return n, ok
}

// All returns the networks sorted by name.
func (r *Registry) All() []Network {
	out := make([]Network, 0, len(r.byID))
	for _, n := range r.byID {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Descriptor().Name < out[j].Descriptor().Name })
	return out
}
