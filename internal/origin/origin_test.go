package origin

import (
	"net/url"
	"testing"
)

func TestOf(t *testing.T) {
	for _, tc := range []struct {
		in   string
		tls  bool
		host string
		port int
		err  error
	}{
		{"http://example.com/x", false, "example.com", 80, nil},
		{"https://example.com", true, "example.com", 443, nil},
		{"https://[::1]:8443/", true, "::1", 8443, nil},
		{"ftp://example.com", false, "", 0, ErrScheme},
		{"/relative", false, "", 0, ErrScheme},
		{"http:///nohost", false, "", 0, ErrNoHost},
		{"http://h:0/", false, "", 0, ErrPort},
		{"http://h:65536/", false, "", 0, ErrPort},
	} {
		u, err := url.Parse(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		tls, host, port, err := Of(u)
		if tls != tc.tls || host != tc.host || port != tc.port || err != tc.err {
			t.Errorf("Of(%q) = %v %q %d %v; want %v %q %d %v", tc.in, tls, host, port, err, tc.tls, tc.host, tc.port, tc.err)
		}
	}
}
