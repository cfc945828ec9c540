package load

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/h1dev/h1/parser"
)

// Defaults for the fields of Config left at zero.
const (
	// DefaultTimeout is how long a request may stay unanswered (and a
	// connect may take) before the connection counts a timeout and starts
	// over, as wrk's default.
	DefaultTimeout = 2 * time.Second
	// DefaultReadBuffer is the initial size of each connection's read
	// buffer. It grows, up to MaxReadBuffer, only for a response head that
	// does not fit.
	DefaultReadBuffer = 16 << 10
	// MaxReadBuffer bounds a connection's read buffer: room for the
	// parser's largest head (parser.DefaultMaxHeadSize) and a read beside it.
	MaxReadBuffer = parser.DefaultMaxHeadSize + DefaultReadBuffer
	// MaxPipeline bounds Config.Pipeline.
	MaxPipeline = 1024
)

// ErrConfig is what Config.check wraps for a field out of range.
var ErrConfig = errors.New("h1: bad load configuration")

// Config describes one run of the load generator. Target holds the
// request; the other fields shape the load.
type Config struct {
	// Target is where requests go and what they are.
	Target Target
	// Connections is how many kept-alive connections the run holds open
	// (at least 1).
	Connections int
	// Pipeline is how many requests each connection may have in flight
	// (HTTP/1.1 pipelining, RFC 9112 §9.3.2); the responses come back in
	// order. Zero means 1: no pipelining.
	Pipeline int
	// Rate, when positive, is the total number of requests per second to
	// send, spread evenly over the connections. Each request is given the
	// time it should leave, and its latency counts from that time, even
	// when it leaves late because its connection was busy (the correction
	// for coordinated omission of wrk2). Zero runs closed-loop: each
	// connection sends its next request as soon as a response frees a
	// slot.
	Rate float64
	// Duration is how long requests are sent. Zero means until Requests
	// have been sent.
	Duration time.Duration
	// Requests, when positive, stops the run once this many requests
	// have been sent (and answered, or given up on).
	Requests int64
	// Timeout bounds a request in flight and a connect; past it the
	// connection counts a timeout (or a connect error) and starts over.
	// Zero means DefaultTimeout.
	Timeout time.Duration
	// Loops is how many epoll loops, each on its own goroutine, share the
	// connections. Zero means 1.
	Loops int
	// ReadBuffer is the initial read buffer size per connection. Zero
	// means DefaultReadBuffer.
	ReadBuffer int

	// observe, when set, sees every complete response on its loop's
	// goroutine: the connection's index, how many responses it has
	// completed on its current socket (1 for the first), and the head,
	// valid until observe returns.
	observe func(conn int, n int64, h *parser.ResponseHead)
}

// Target is the request every connection sends, encoded once.
type Target struct {
	// Host is the name or address to connect to, Port its port.
	Host string
	Port int
	// Method is the request method; empty means GET. A HEAD response
	// carries no body.
	Method string
	// Path is the request-target in origin-form, such as "/index.html?q=1".
	// Empty means "/".
	Path string
	// Headers are sent as given after Host, which one of them may
	// replace. Nothing else is added (no User-Agent, no Accept): the
	// request is as small as wrk's, so the server's work per request is
	// the same.
	Headers []parser.Header
}

// ParseURL returns the Target of an http:// URL. Only plain HTTP is
// supported: the load generator does not speak TLS.
func ParseURL(raw string) (Target, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Target{}, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	if u.Scheme != "http" {
		return Target{}, fmt.Errorf("%w: only http:// URLs are supported, not %q", ErrConfig, u.Scheme+"://")
	}
	if u.User != nil {
		return Target{}, fmt.Errorf("%w: credentials in the URL are not supported", ErrConfig)
	}
	host := u.Hostname()
	if host == "" {
		return Target{}, fmt.Errorf("%w: no host in %q", ErrConfig, raw)
	}
	port := 80
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil || port < 1 || port > 65535 {
			return Target{}, fmt.Errorf("%w: bad port %q", ErrConfig, p)
		}
	}
	return Target{Host: host, Port: port, Path: u.RequestURI()}, nil
}

// ParseHeader splits "Name: value" into a header field, as curl's and
// wrk's -H take it.
func ParseHeader(s string) (parser.Header, error) {
	name, value, ok := strings.Cut(s, ":")
	name = strings.TrimSpace(name)
	if !ok || name == "" {
		return parser.Header{}, fmt.Errorf("%w: header %q is not \"Name: value\"", ErrConfig, s)
	}
	return parser.Header{Name: []byte(name), Value: []byte(strings.TrimSpace(value))}, nil
}

// encode returns the wire bytes of the target's request.
func (t *Target) encode() ([]byte, error) {
	r := parser.Request{
		Method:        t.Method,
		Target:        t.Path,
		Host:          t.Host,
		Port:          t.Port,
		Headers:       t.Headers,
		ContentLength: -1,
		NoDefaults:    true,
	}
	if r.Method == "" {
		r.Method = "GET"
	}
	if r.Target == "" {
		r.Target = "/"
	}
	b, err := parser.AppendRequestHead(nil, &r)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	return b, nil
}

// withDefaults returns c with the zero fields set to their defaults, or
// an error wrapping ErrConfig for a field out of range.
func (c Config) withDefaults() (Config, error) {
	switch {
	case c.Connections < 1:
		return c, fmt.Errorf("%w: connections must be at least 1", ErrConfig)
	case c.Pipeline < 0 || c.Pipeline > MaxPipeline:
		return c, fmt.Errorf("%w: pipeline must be 1–%d", ErrConfig, MaxPipeline)
	case c.Rate < 0:
		return c, fmt.Errorf("%w: rate must not be negative", ErrConfig)
	case c.Duration < 0 || c.Requests < 0 || c.Timeout < 0 || c.Loops < 0 || c.ReadBuffer < 0:
		return c, fmt.Errorf("%w: negative duration, request count, timeout, loops or buffer", ErrConfig)
	case c.Duration == 0 && c.Requests == 0:
		return c, fmt.Errorf("%w: a duration or a request count is needed", ErrConfig)
	case c.Target.Port < 1 || c.Target.Port > 65535:
		return c, fmt.Errorf("%w: port must be 1–65535", ErrConfig)
	}
	if c.Pipeline == 0 {
		c.Pipeline = 1
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.Loops == 0 {
		c.Loops = 1
	}
	c.Loops = min(c.Loops, c.Connections)
	if c.ReadBuffer == 0 {
		c.ReadBuffer = DefaultReadBuffer
	}
	c.ReadBuffer = min(max(c.ReadBuffer, 1024), MaxReadBuffer)
	return c, nil
}
