package webkit

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestClientAddrTrustedProxies(t *testing.T) {
	trusted, err := ParseTrustedProxies(" 10.0.0.0/8 ,192.168.1.1, fd00::/8")
	if err != nil || len(trusted) != 3 {
		t.Fatalf("%v %v", trusted, err)
	}
	if _, err := ParseTrustedProxies("10.0.0.0/33"); err == nil {
		t.Error("a bad CIDR is accepted")
	}
	if p, err := ParseTrustedProxies(""); err != nil || p != nil {
		t.Errorf("empty: %v %v", p, err)
	}
	for _, c := range []struct {
		remote  string
		xff     []string
		trusted bool
		want    string
	}{
		{"203.0.113.5:4000", []string{"1.2.3.4"}, false, "203.0.113.5"},                        // no setting: the header is ignored
		{"203.0.113.5:4000", []string{"1.2.3.4"}, true, "203.0.113.5"},                         // a peer that is no proxy of ours
		{"10.0.0.2:4000", nil, true, "10.0.0.2"},                                               // the proxy itself
		{"10.0.0.2:4000", []string{"198.51.100.7"}, true, "198.51.100.7"},                      // one proxy
		{"10.0.0.2:4000", []string{"6.6.6.6, 198.51.100.7"}, true, "198.51.100.7"},             // a forged left part
		{"10.0.0.2:4000", []string{"6.6.6.6, 198.51.100.7", "10.1.1.1"}, true, "198.51.100.7"}, // two proxies, two headers
		{"192.168.1.1:80", []string{"198.51.100.7, 192.168.1.1"}, true, "198.51.100.7"},
		{"[fd00::1]:80", []string{"2001:db8::7"}, true, "2001:db8::7"},
		{"10.0.0.2:4000", []string{"bad, 10.0.0.3"}, true, "10.0.0.3"}, // what does not parse ends the walk
		{"10.0.0.2:4000", []string{"[2001:db8::9]:5000"}, true, "2001:db8::9"},
	} {
		var tr = trusted
		if !c.trusted {
			tr = nil
		}
		var got string
		h := WithClientAddr(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = ClientAddr(r) }), tr)
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		for _, v := range c.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
		if got != c.want {
			t.Errorf("%s %q trusted=%v: %q, want %q", c.remote, c.xff, c.trusted, got, c.want)
		}
	}
	// Without the middleware, the peer.
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "203.0.113.9:1"
	r.Header.Set("X-Forwarded-For", "1.2.3.4")
	if got := ClientAddr(r); got != "203.0.113.9" {
		t.Errorf("bare: %q", got)
	}
}
