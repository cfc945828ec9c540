package h1

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"

	"github.com/h1dev/h1/parser"
)

// proxy is a forward proxy: its address and, when it wants them, the
// credentials it gets in Proxy-Authorization.
type proxy struct {
	host string
	port int
	auth []byte // "Basic <base64(user:pass)>", or nil
}

func (p *proxy) set() bool { return p.host != "" }

// parseProxy reads host as Godot takes it (a host name or address) or as
// a proxy URL: an optional "http://", optional "user:pass@" credentials
// (percent-encoded as in a URL), and the host. An empty host or port -1
// unsets the proxy.
func parseProxy(host string, port int) (proxy, error) {
	if host == "" || port == -1 {
		return proxy{}, nil
	}
	if port < 1 || port > 65535 {
		return proxy{}, ErrInvalidParameter
	}
	switch {
	case parser.HasPrefixFold(host, "http://"):
		host = host[7:]
	case strings.Contains(host, "://"):
		return proxy{}, ErrInvalidParameter // only plain-text proxies
	}
	host = strings.TrimSuffix(host, "/")
	var p proxy
	if i := strings.LastIndexByte(host, '@'); i >= 0 {
		user, pass, _ := strings.Cut(host[:i], ":")
		u, ok1 := unescape(user)
		w, ok2 := unescape(pass)
		if !ok1 || !ok2 {
			return proxy{}, ErrInvalidParameter
		}
		cred := base64.StdEncoding.EncodeToString([]byte(u + ":" + w))
		p.auth = []byte("Basic " + cred)
		host = host[i+1:]
	}
	if len(host) > 2 && host[0] == '[' && host[len(host)-1] == ']' {
		host = host[1 : len(host)-1]
	}
	if host == "" || strings.ContainsAny(host, "/?# \t\r\n") {
		return proxy{}, ErrInvalidParameter
	}
	p.host, p.port = host, port
	return p, nil
}

// DefaultProxyPort is the port of a proxy URL that names none (curl's).
const DefaultProxyPort = 1080

// SplitProxy reads a proxy written as one string, as fetch.Request,
// nethttp.Transport and h1 get take it: "host:port", or a URL
// "http://[user:pass@]host[:port]" (DefaultProxyPort when it names no
// port; an IPv6 address in brackets). It returns what SetHTTPProxy and
// SetHTTPSProxy take: host with the scheme and credentials kept, and the
// port. Anything else is ErrInvalidParameter, with the reason.
func SplitProxy(s string) (host string, port int, err error) {
	s = strings.TrimSuffix(s, "/")
	rest := s
	if i := strings.Index(rest, "://"); i >= 0 {
		rest = rest[i+3:]
	}
	if at := strings.LastIndexByte(rest, '@'); at >= 0 {
		rest = rest[at+1:]
	}
	hostEnd, port := len(rest), DefaultProxyPort
	if i := strings.LastIndexByte(rest, ':'); i >= 0 && !strings.Contains(rest[i:], "]") {
		p, perr := strconv.Atoi(rest[i+1:])
		if perr != nil || p < 1 || p > 65535 {
			return "", 0, newError(ErrInvalidParameter, "proxy", errProxyPort)
		}
		hostEnd, port = i, p
	}
	host = s[:len(s)-len(rest)+hostEnd]
	if _, err := parseProxy(host, port); err != nil || hostEnd == 0 || strings.ContainsRune(rest[:hostEnd], '/') {
		return "", 0, newError(ErrInvalidParameter, "proxy", errProxy)
	}
	return host, port, nil
}

var (
	errProxyPort = errors.New("h1: proxy port is not a number from 1 to 65535")
	errProxy     = errors.New("h1: proxy is not host:port or http://[user:pass@]host[:port]")
)

// SetHTTPProxy sets the forward proxy for plain HTTP: requests go to it
// with absolute URLs. host may carry credentials as a URL does
// ("http://user:pass@proxy.example"), sent as Proxy-Authorization: Basic.
// An empty host or port -1 unsets the proxy. It takes effect at the next
// ConnectToHost.
func (c *Client) SetHTTPProxy(host string, port int) error {
	p, err := parseProxy(host, port)
	if err != nil {
		return err
	}
	c.httpProxy = p
	return nil
}

// SetHTTPSProxy sets the forward proxy for HTTPS: the client asks it for a
// tunnel with CONNECT (carrying Host and, with credentials, a
// Proxy-Authorization: Basic field) and runs TLS inside it. host is read
// as in SetHTTPProxy. It takes effect at the next ConnectToHost.
func (c *Client) SetHTTPSProxy(host string, port int) error {
	p, err := parseProxy(host, port)
	if err != nil {
		return err
	}
	c.httpsProxy = p
	return nil
}

// unescape decodes the %XX escapes of a URL's userinfo, as
// url.PathUnescape does; it reports false for a malformed escape.
func unescape(s string) (string, bool) {
	if strings.IndexByte(s, '%') < 0 {
		return s, true
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b = append(b, s[i])
			continue
		}
		if i+2 >= len(s) {
			return "", false
		}
		v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
		if err != nil {
			return "", false
		}
		b = append(b, byte(v))
		i += 2
	}
	return string(b), true
}
