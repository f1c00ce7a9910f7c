package webkit

// The caller's address, for every throttle (login, activation, tokens, the
// public certificate check): the connection's peer, or, behind reverse
// proxies named by the operator (provim serve --trusted-proxies), the
// right-most address of X-Forwarded-For that is not one of them — the
// one the last trusted proxy saw connect. The header is never believed
// otherwise: a client writes what it likes in it, and would choose its
// own throttle.

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

type clientAddrKey struct{}

// ParseTrustedProxies reads a comma-separated list of CIDRs (a bare
// address is one host); "" is none.
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, fmt.Errorf("%q is not an address or a CIDR (e.g. 10.0.0.0/8)", f)
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("%q is not a CIDR (e.g. 10.0.0.0/8)", f)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// WithClientAddr serves next with the caller's address worked out once
// from trusted (the proxies whose X-Forwarded-For is believed; none: the
// peer's address only).
func WithClientAddr(next http.Handler, trusted []netip.Prefix) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr := clientAddr(r.RemoteAddr, r.Header.Values("X-Forwarded-For"), trusted)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientAddrKey{}, addr)))
	})
}

// ClientAddr is the caller's address, the one function every throttle
// keys on: as WithClientAddr found it, else the connection's peer.
func ClientAddr(r *http.Request) string {
	if a, ok := r.Context().Value(clientAddrKey{}).(string); ok {
		return a
	}
	return peerHost(r.RemoteAddr)
}

func peerHost(remote string) string {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		return remote
	}
	return host
}

// clientAddr walks X-Forwarded-For from the right while the hop is a
// trusted proxy: the first hop that is not one is the client. A hop that
// does not parse ends the walk there (it is what a trusted proxy was
// handed, not an address to believe further left of).
func clientAddr(remote string, xff []string, trusted []netip.Prefix) string {
	peer := peerHost(remote)
	if len(trusted) == 0 || !isTrusted(peer, trusted) {
		return peer
	}
	var hops []string
	for _, h := range xff {
		for _, f := range strings.Split(h, ",") {
			if f = strings.TrimSpace(f); f != "" {
				hops = append(hops, f)
			}
		}
	}
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(hops[i])
		if err != nil {
			if ap, err2 := netip.ParseAddrPort(hops[i]); err2 == nil {
				a = ap.Addr()
			} else {
				return client
			}
		}
		client = a.Unmap().String()
		if !isTrusted(client, trusted) {
			return client
		}
	}
	return client
}

func isTrusted(host string, trusted []netip.Prefix) bool {
	a, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
