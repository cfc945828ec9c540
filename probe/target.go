package probe

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// ErrBadTarget reports a target URL that SendRaw cannot use.
var ErrBadTarget = errors.New("h1: probe: bad target")

// Target is a server to send raw bytes to.
type Target struct {
	// Host is a name or an IP address literal (IPv6 without brackets).
	Host string
	// Port is the TCP port.
	Port int
	// TLS says the bytes go inside a TLS 1.2 session (tlsx).
	TLS bool
}

// ParseTarget reads an http:// or https:// URL with a host and an
// optional port (80 and 443 by default). Only the scheme, host and port
// count: a probe sends the request bytes it is given, path included.
// Errors wrap ErrBadTarget.
func ParseTarget(s string) (Target, error) {
	u, err := url.Parse(s)
	if err != nil {
		return Target{}, fmt.Errorf("%w: %q: %w", ErrBadTarget, s, err)
	}
	var t Target
	switch strings.ToLower(u.Scheme) {
	case "http":
		t.Port = 80
	case "https":
		t.TLS, t.Port = true, 443
	default:
		return Target{}, fmt.Errorf("%w: %q: the scheme must be http or https", ErrBadTarget, s)
	}
	t.Host = u.Hostname()
	if t.Host == "" {
		return Target{}, fmt.Errorf("%w: %q: no host", ErrBadTarget, s)
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return Target{}, fmt.Errorf("%w: %q: bad port", ErrBadTarget, s)
		}
		t.Port = n
	}
	return t, nil
}

// HostHeader returns the value a Host field names the target by: the host,
// with the port unless it is the scheme's default (RFC 9110 §7.2).
func (t Target) HostHeader() string {
	if (t.TLS && t.Port == 443) || (!t.TLS && t.Port == 80) {
		if strings.Contains(t.Host, ":") {
			return "[" + t.Host + "]"
		}
		return t.Host
	}
	return net.JoinHostPort(t.Host, strconv.Itoa(t.Port))
}

// String returns the target as a URL without a path.
func (t Target) String() string {
	scheme := "http"
	if t.TLS {
		scheme = "https"
	}
	return scheme + "://" + net.JoinHostPort(t.Host, strconv.Itoa(t.Port))
}
