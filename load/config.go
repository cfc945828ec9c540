package load

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/h1dev/h1/internal/origin"
	"github.com/h1dev/h1/parser"
	"github.com/h1dev/h1/tlsx"
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
	// send (at the start of the run, when RateEnd and Ramp make a ramp),
	// spread evenly over the connections. Each request is given the
	// time it should leave, and its latency counts from that time, even
	// when it leaves late because its connection was busy (the correction
	// for coordinated omission of wrk2). Zero runs closed-loop: each
	// connection sends its next request as soon as a response frees a
	// slot.
	Rate float64
	// RateEnd and Ramp, when both positive (and Rate too), ramp the rate
	// linearly from Rate at the start of the run to RateEnd after Ramp;
	// from then on the rate stays at RateEnd. A request's due time
	// follows the ramp, so the correction for coordinated omission holds
	// all along it.
	RateEnd float64
	Ramp    time.Duration
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

	// Targets, when not empty, replaces Target: the requests are taken
	// from it in Order, one after another on each connection. Every
	// target must have the same Host, Port and TLS as the first, which
	// the connections go to (a connection serves one origin).
	Targets []Target
	// Order is how requests are taken from Targets: in turn
	// (OrderSequential, the zero value) or at random (OrderRandom), from
	// a generator seeded with Seed. Each loop keeps its own place in the
	// list (its own generator, seeded with Seed and the loop's number),
	// so a run with one loop (the default) sends exactly the list's order
	// or the seed's sequence.
	Order Order
	Seed  uint64
	// TLS holds the trust settings of an https target; nil means
	// tlsx.Client(nil, ""): the system roots, verified, with a session
	// cache. Connections that reconnect resume their session from the
	// cache (see Result.Handshakes).
	TLS *tlsx.Options

	// observe, when set, sees every complete response on its loop's
	// goroutine: the connection's index, how many responses it has
	// completed on its current socket (1 for the first), and the head,
	// valid until observe returns.
	observe func(conn int, n int64, h *parser.ResponseHead)
}

// Order is how a run takes requests from Config.Targets.
type Order uint8

const (
	// OrderSequential sends the targets in turn, from the first.
	OrderSequential Order = iota
	// OrderRandom picks each request's target at random.
	OrderRandom
)

// Target is a request the connections send, encoded once.
type Target struct {
	// Host is the name or address to connect to, Port its port.
	Host string
	Port int
	// TLS speaks HTTPS: TLS 1.2 through package tlsx, with
	// Config.TLS's trust settings.
	TLS bool
	// Method is the request method; empty means GET. A HEAD response
	// carries no body.
	Method string
	// Path is the request-target in origin-form, such as "/index.html?q=1".
	// Empty means "/".
	Path string
	// Headers are sent as given after Host, which one of them may
	// replace. Nothing else is added (no User-Agent, no Accept): the
	// request is as small as wrk's, so the server's work per request is
	// the same. A Content-Length is added for a Body, and for POST, PUT
	// and PATCH.
	Headers []parser.Header
	// Body is sent after the head, as is.
	Body []byte
}

// ParseURL returns the Target of an http:// or https:// URL.
func ParseURL(raw string) (Target, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Target{}, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	if u.User != nil {
		return Target{}, fmt.Errorf("%w: credentials in the URL are not supported", ErrConfig)
	}
	tls, host, port, err := origin.Of(u)
	switch err {
	case nil:
	case origin.ErrScheme:
		return Target{}, fmt.Errorf("%w: only http:// and https:// URLs are supported, not %q", ErrConfig, raw)
	case origin.ErrPort:
		return Target{}, fmt.Errorf("%w: bad port %q", ErrConfig, u.Port())
	default:
		return Target{}, fmt.Errorf("%w: no host in %q", ErrConfig, raw)
	}
	return Target{Host: host, Port: port, TLS: tls, Path: u.RequestURI()}, nil
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
		TLS:           t.TLS,
		Headers:       t.Headers,
		ContentLength: -1,
		NoDefaults:    true,
	}
	if t.Body != nil {
		r.ContentLength = int64(len(t.Body))
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
	return append(b, t.Body...), nil
}

// withDefaults returns c with the zero fields set to their defaults, or
// an error wrapping ErrConfig for a field out of range.
func (c Config) withDefaults() (Config, error) {
	switch {
	case c.Connections < 1:
		return c, fmt.Errorf("%w: connections must be at least 1", ErrConfig)
	case c.Pipeline < 0 || c.Pipeline > MaxPipeline:
		return c, fmt.Errorf("%w: pipeline must be 1–%d", ErrConfig, MaxPipeline)
	case c.Rate < 0 || c.RateEnd < 0 || c.Ramp < 0:
		return c, fmt.Errorf("%w: rate and ramp must not be negative", ErrConfig)
	case (c.RateEnd > 0 || c.Ramp > 0) && (c.Rate == 0 || c.RateEnd == 0 || c.Ramp == 0):
		return c, fmt.Errorf("%w: a ramp needs a start rate, an end rate and a duration", ErrConfig)
	case c.Order > OrderRandom:
		return c, fmt.Errorf("%w: unknown target order %d", ErrConfig, c.Order)
	case c.Duration < 0 || c.Requests < 0 || c.Timeout < 0 || c.Loops < 0 || c.ReadBuffer < 0:
		return c, fmt.Errorf("%w: negative duration, request count, timeout, loops or buffer", ErrConfig)
	case c.Duration == 0 && c.Requests == 0:
		return c, fmt.Errorf("%w: a duration or a request count is needed", ErrConfig)
	}
	if len(c.Targets) > 0 {
		first := c.Targets[0]
		for i, t := range c.Targets[1:] {
			if t.Host != first.Host || t.Port != first.Port || t.TLS != first.TLS {
				return c, fmt.Errorf("%w: target %d is not on %s port %d like the first", ErrConfig, i+2, first.Host, first.Port)
			}
		}
		c.Target = first
	} else {
		c.Targets = []Target{c.Target}
	}
	if c.Target.Port < 1 || c.Target.Port > 65535 {
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
