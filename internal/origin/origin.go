// Package origin is the one check of an http or https URL that the
// module's URL-taking layers share (fetch.Request, nethttp.Transport, the
// load generator): the scheme, the host and the port of RFC 9110 §4.2,
// and the origin they make. Each caller wraps its errors in its own
// terms; the reasons are these sentinels.
package origin

import (
	"errors"
	"net/url"
	"strconv"
)

// The reasons a URL is refused.
var (
	ErrScheme = errors.New("h1: the scheme is not http or https")
	ErrNoHost = errors.New("h1: no host in the URL")
	ErrPort   = errors.New("h1: port is not a number from 1 to 65535")
)

// Of returns the origin of u: whether it is https, its host (without an
// IPv6 address's brackets) and its port (the scheme's 80 or 443 when it
// names none). It refuses a scheme other than http and https, an empty
// host and a port out of range.
func Of(u *url.URL) (tls bool, host string, port int, err error) {
	switch u.Scheme {
	case "http":
		port = 80
	case "https":
		tls, port = true, 443
	default:
		return false, "", 0, ErrScheme
	}
	if host = u.Hostname(); host == "" {
		return false, "", 0, ErrNoHost
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return false, "", 0, ErrPort
		}
		port = n
	}
	return tls, host, port, nil
}
