package forgetest

import (
	"fmt"
	"net"
)

// listen listens on addr, which must be a loopback address: tests never
// serve on other interfaces.
func listen(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("forgetest: address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("forgetest: address %q: not a loopback address", addr)
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("forgetest: listening on %s: %w", addr, err)
	}
	return l, nil
}
