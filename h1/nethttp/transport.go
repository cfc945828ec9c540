package nethttp

import (
	"bufio"
	"compress/gzip"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/h1dev/h1/h1"
	"github.com/h1dev/h1/h1/fetch"
	"github.com/h1dev/h1/internal/origin"
	"github.com/h1dev/h1/parser"
	"github.com/h1dev/h1/tlsx"
)

// Transport is an http.RoundTripper that runs net/http programs on
// h1.Client: http.Client{Transport: &nethttp.Transport{}} sends its
// requests through it, redirects, cookies and timeouts staying with
// http.Client.
//
// RoundTrip takes a connected h1.Client from the Pool (or opens one), sends
// the request, and returns once the response head has arrived; the body
// is read from the connection as the caller reads resp.Body, and the
// connection goes back to the Pool when the body has been read to its end
// (or is closed, when the caller closes the body before that). A request
// body is streamed (h1.Client.RequestStream): with Content-Length when
// req.ContentLength is known, in the chunked coding otherwise.
//
// The zero value is ready: its own fetch.Pool, the system roots for https, no
// proxy, gzip asked for and decoded. A Transport is safe for concurrent
// use; set its fields before the first request.
type Transport struct {
	// Pool keeps the connections; nil means a pool of the Transport's
	// own, made with IdleTimeout and MaxIdlePerHost.
	Pool *fetch.Pool
	// TLS verifies https servers; nil means tlsx.Client(nil, ""): the
	// system roots and the server's name. Connections are pooled per
	// *tlsx.Options value.
	TLS *tlsx.Options
	// HTTPProxy and HTTPSProxy are forward proxies for http and https URLs
	// ("host:port" or "http://user:pass@host:port"); empty means none.
	HTTPProxy  string
	HTTPSProxy string
	// Limits bound each connection's steps and sizes (see h1.Limits).
	Limits h1.Limits
	// DisableCompression stops asking for gzip. Otherwise a request
	// without Accept-Encoding (or Range) gets "Accept-Encoding: gzip" and
	// a gzip response is decoded: resp.Uncompressed is set, and
	// Content-Encoding and Content-Length are dropped, as net/http does.
	DisableCompression bool
	// IdleTimeout and MaxIdlePerHost configure the Transport's own pool:
	// 0 means DefaultIdleTimeout and DefaultMaxIdlePerHost. They are not
	// used when Pool is set.
	IdleTimeout    time.Duration
	MaxIdlePerHost int

	once sync.Once
	own  *fetch.Pool
}

var _ http.RoundTripper = (*Transport)(nil)

func (t *Transport) pool() *fetch.Pool {
	if t.Pool != nil {
		return t.Pool
	}
	t.once.Do(func() { t.own = &fetch.Pool{IdleTimeout: t.IdleTimeout, MaxIdlePerHost: t.MaxIdlePerHost} })
	return t.own
}

// CloseIdleConnections closes the idle connections of the Transport's
// pool (of every user of Pool, when it is shared). http.Client calls it
// through its own CloseIdleConnections.
func (t *Transport) CloseIdleConnections() { t.pool().CloseIdleConnections() }

// Errors of requests the Transport refuses before anything is sent. They
// come wrapped in an *h1.Error of kind h1.ErrInvalidParameter.
var (
	errNoURL      = errors.New("h1: request has no URL")
	errMethod     = errors.New("h1: method is not one of GET, HEAD, POST, PUT, DELETE, OPTIONS, TRACE, PATCH")
	errHeaderName = errors.New("h1: invalid header field name")
	errHeaderVal  = errors.New("h1: invalid header field value")
	errBodyClosed = errors.New("h1: read on closed response body")
)

// transportMethod maps a method token to a Method. CONNECT is refused:
// the Transport makes no tunnels for its callers.
func transportMethod(s string) (h1.Method, bool) {
	if s == "" {
		return h1.MethodGet, true
	}
	m, ok := h1.ParseMethod(s)
	return m, ok && m != h1.MethodConnect
}

// outgoing is what RoundTrip learned from the request before sending it.
type outgoing struct {
	key    fetch.Key
	method h1.Method
	target string
	length int64     // the body's length; -1: unknown (chunked)
	body   io.Reader // nil: no body
	gzip   bool      // the Transport asked for gzip
}

// RoundTrip sends req and returns the response once its head has
// arrived. It refuses, before anything is sent, a URL that is not
// absolute http or https, a method other than Godot's nine (CONNECT
// excepted) and header fields with bytes HTTP forbids. The request's
// context cancels the connect, the wait for the head, and the body's
// reads: the connection is closed and the context's error returned.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	var hbuf [16]string
	o, hs, err := t.outgoing(req, hbuf[:0])
	if err != nil {
		closeRequestBody(req)
		return nil, err
	}
	ctx := req.Context()
	if err := ctx.Err(); err != nil {
		closeRequestBody(req)
		return nil, err
	}
	p := t.pool()
	c := p.Get(o.key)
	var w *fetch.Waiter
	if c == nil {
		// One left opening by an earlier request, else a new one.
		if c = p.TakeOpening(o.key); c == nil {
			c = &h1.Client{}
		}
		w = p.Wait(o.key, c)
	}
	// cur is the connection the request runs on: the one opened for it,
	// or one handed over by the pool while that was being opened.
	var cur atomic.Pointer[h1.Client]
	cur.Store(c)
	var stop func() bool
	if ctx.Done() != nil {
		// Abort and Interrupt may be called from any goroutine: the
		// first wakes the wait in progress (and ends a lookup); the
		// second makes the next wait return at once, should the client
		// have opened another connection meanwhile (a retry), so that the
		// loops below see the context at once.
		stop = context.AfterFunc(ctx, func() {
			c := cur.Load()
			c.Abort()
			c.Interrupt()
		})
	}
	resp, err := t.exchange(ctx, p, &cur, w, &o, hs, req)
	c = cur.Load()
	closeRequestBody(req)
	if err != nil {
		if stop != nil {
			stop()
		}
		c.Close()
		if cerr := ctx.Err(); cerr != nil {
			return nil, cerr
		}
		return nil, err
	}
	resp.Request = req
	if c.Status() != h1.StatusBody {
		resp.Body = http.NoBody
		release(p, o.key, c, stop)
		return resp, nil
	}
	b := &transportBody{c: c, pool: p, key: o.key, stop: stop, ctx: ctx, resp: resp}
	resp.Body = b
	if o.gzip && !resp.Uncompressed {
		if enc := resp.Header["Content-Encoding"]; len(enc) == 1 && parser.EqualFold(enc[0], "gzip") {
			resp.Body = &gzipBody{body: b}
			resp.Header.Del("Content-Encoding")
			resp.Header.Del("Content-Length")
			resp.ContentLength = -1
			resp.Uncompressed = true
		}
	}
	return resp, nil
}

// outgoing checks req and turns it into the Client's terms; hs receives
// the header lines.
func (t *Transport) outgoing(req *http.Request, hs []string) (outgoing, []string, error) {
	var o outgoing
	u := req.URL
	if u == nil {
		return o, nil, &h1.Error{Kind: h1.ErrInvalidParameter, Op: "url", Err: errNoURL}
	}
	tls, host, port, err := origin.Of(u)
	if err != nil {
		if err == origin.ErrScheme {
			err = fmt.Errorf("%w: %q", err, u.Scheme)
		}
		return o, nil, &h1.Error{Kind: h1.ErrInvalidParameter, Op: "url", Err: err}
	}
	o.key.TLS, o.key.Host, o.key.Port, o.key.Proxy = tls, host, port, t.HTTPProxy
	if tls {
		o.key.Proxy, o.key.Options = t.HTTPSProxy, t.TLS
	}
	m, ok := transportMethod(req.Method)
	if !ok {
		return o, nil, &h1.Error{Kind: h1.ErrInvalidParameter, Op: "method", Err: errors.New(errMethod.Error() + ": " + strconv.Quote(req.Method))}
	}
	o.method = m
	o.target = u.RequestURI()
	if m == h1.MethodOptions && u.Path == "*" {
		o.target = "*"
	}
	if req.Body != nil && req.Body != http.NoBody {
		o.body, o.length = req.Body, req.ContentLength
		if o.length <= 0 {
			o.length = -1 // unknown: chunked
		}
	}
	for k, vs := range req.Header {
		if !validName(k) {
			return o, nil, &h1.Error{Kind: h1.ErrInvalidParameter, Op: "header", Err: errHeaderName}
		}
		switch textproto.CanonicalMIMEHeaderKey(k) {
		case "Host", "Content-Length", "Transfer-Encoding", "Trailer":
			// From req.Host and the body; request trailers are not sent.
			continue
		}
		for _, v := range vs {
			if !validValue(v) {
				return o, nil, &h1.Error{Kind: h1.ErrInvalidParameter, Op: "header", Err: errHeaderVal}
			}
			hs = append(hs, k+": "+strings.TrimSpace(v))
		}
	}
	if req.Host != "" && req.Host != u.Host {
		if !validValue(req.Host) || strings.ContainsAny(req.Host, " \t") {
			return o, nil, &h1.Error{Kind: h1.ErrInvalidParameter, Op: "host", Err: errHeaderVal}
		}
		hs = append(hs, "Host: "+req.Host)
	}
	if req.Close && req.Header.Get("Connection") == "" {
		hs = append(hs, "Connection: close")
	}
	if !t.DisableCompression && m != h1.MethodHead && req.Header.Get("Accept-Encoding") == "" && req.Header.Get("Range") == "" {
		hs = append(hs, "Accept-Encoding: gzip")
		o.gzip = true
	}
	return o, hs, nil
}

// validName reports a field name that is a non-empty token (RFC 9110
// §5.1).
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// validValue reports a field value without CR, LF, NUL or another control
// byte but HTAB (RFC 9110 §5.5).
func validValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

func closeRequestBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

// exchange sends the request on the connection cur holds, opening it
// first when w is set (the pool had none idle), and waits for the
// response head.
func (t *Transport) exchange(ctx context.Context, p *fetch.Pool, cur *atomic.Pointer[h1.Client], w *fetch.Waiter, o *outgoing, hs []string, req *http.Request) (*http.Response, error) {
	c := cur.Load()
	if w != nil {
		var err error
		if c, err = t.dial(ctx, p, cur, w, o); err != nil {
			return nil, err
		}
	}
	c.Limits = t.Limits
	c.SetBlockingMode(true)
	if w == nil && o.body != nil {
		// A body cannot be sent twice: learn now whether the server
		// closed the idle connection, so that Request opens another.
		_ = c.Poll()
	}
	var err error
	if o.body != nil {
		err = c.RequestStream(o.method, o.target, hs, o.length, o.body)
	} else {
		err = c.Request(o.method, o.target, hs, nil)
	}
	if err != nil {
		return nil, err
	}
	for c.Status() == h1.StatusRequesting {
		if err := c.Poll(); err != nil || ctx.Err() != nil {
			break
		}
	}
	if !c.HasResponse() || failed(c.Status()) {
		return nil, connectErr(c)
	}
	return t.response(c, o), nil
}

// dial opens the connection cur holds for a request the pool had no
// idle connection for. Should the pool hand the request a connection
// that another request freed before this one is up, the request takes
// that one, and the one being opened goes to the pool for a later
// request (net/http's Transport does the same). It returns the client
// the request runs on.
func (t *Transport) dial(ctx context.Context, p *fetch.Pool, cur *atomic.Pointer[h1.Client], w *fetch.Waiter, o *outgoing) (*h1.Client, error) {
	c := cur.Load()
	c.Limits = t.Limits
	c.SetBlockingMode(true)
	var err error
	if s := c.Status(); s != h1.StatusResolving && s != h1.StatusConnecting {
		err = o.key.Connect(c) // a new client; else one the pool had opening
	}
	for err == nil && ctx.Err() == nil {
		if s := c.Status(); s != h1.StatusResolving && s != h1.StatusConnecting {
			break
		}
		if got := w.Handed(); got != nil {
			w.Done()
			p.Adopt(o.key, c)
			cur.Store(got)
			return got, ctx.Err()
		}
		if perr := c.Poll(); perr != nil {
			break
		}
	}
	got := w.Done()
	if err == nil {
		err = ctx.Err() // before the context's function could see the connection
	}
	if err == nil && c.Status() != h1.StatusConnected {
		err = connectErr(c)
	}
	switch {
	case got == nil:
		return c, err
	case err == nil:
		p.Put(o.key, got) // to the next request waiting, or idle
		return c, nil
	default:
		// This connection failed, but another one came free meanwhile.
		c.Close()
		cur.Store(got)
		return got, ctx.Err()
	}
}

// failed reports the error statuses, which only Close leaves.
func failed(s h1.Status) bool {
	switch s {
	case h1.StatusCantResolve, h1.StatusCantConnect, h1.StatusConnectionError, h1.StatusTLSHandshakeError:
		return true
	}
	return false
}

func connectErr(c *h1.Client) error {
	if err := c.Err(); err != nil {
		return err
	}
	return &h1.Error{Kind: h1.ErrConnection, Op: h1.OpConnect}
}

// response builds the http.Response of the head c holds.
func (t *Transport) response(c *h1.Client, o *outgoing) *http.Response {
	h := c.ResponseHead()
	resp := &http.Response{
		StatusCode: h.Status,
		Status:     statusLine(h.Status, h.Reason),
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     headerOf(h.Headers),
		Close:      !c.ResponseKeepAlive(),
	}
	if h.Minor == 0 {
		resp.Proto, resp.ProtoMinor = "HTTP/1.0", 0
	}
	switch {
	case c.IsResponseChunked():
		resp.ContentLength = -1
		resp.TransferEncoding = []string{"chunked"}
		delete(resp.Header, "Transfer-Encoding")
		delete(resp.Header, "Content-Length")
	case o.method == h1.MethodHead:
		resp.ContentLength = h.ContentLength
	default:
		resp.ContentLength = c.ResponseBodyLength()
	}
	if ts, ok := resp.Header["Trailer"]; ok {
		// The trailer fields announced, filled in at the end of the body.
		resp.Trailer = http.Header{}
		for _, v := range ts {
			for name := range strings.SplitSeq(v, ",") {
				if name = strings.TrimSpace(name); name != "" {
					resp.Trailer[textproto.CanonicalMIMEHeaderKey(name)] = nil
				}
			}
		}
		delete(resp.Header, "Trailer")
	}
	if st, ok := c.TLSState(); ok {
		resp.TLS = tlsState(st)
	}
	return resp
}

// tlsState turns the TLS peer's session into crypto/tls terms.
func tlsState(s tlsx.State) *tls.ConnectionState {
	return &tls.ConnectionState{
		Version:            s.Version,
		HandshakeComplete:  true,
		DidResume:          s.DidResume,
		CipherSuite:        s.CipherSuite,
		NegotiatedProtocol: s.NegotiatedProtocol,
		ServerName:         s.ServerName,
		PeerCertificates:   s.PeerCertificates,
		VerifiedChains:     s.VerifiedChains,
	}
}

// statusLines holds "200 OK" and the like for the codes net/http names.
var statusLines = sync.OnceValue(func() *[600]string {
	var s [600]string
	for code := range s {
		if text := http.StatusText(code); text != "" {
			s[code] = strconv.Itoa(code) + " " + text
		}
	}
	return &s
})

// statusLine returns Response.Status: the code and the reason phrase,
// without allocating when the phrase is the usual one.
func statusLine(code int, reason []byte) string {
	if code >= 100 && code < 600 && string(reason) == http.StatusText(code) {
		if s := statusLines()[code]; s != "" {
			return s
		}
	}
	if len(reason) == 0 {
		return strconv.Itoa(code) + " " + http.StatusText(code)
	}
	return strconv.Itoa(code) + " " + string(reason)
}

// headerOf copies the fields into an http.Header: canonical keys,
// duplicates kept in order. The values share one string, and the keys of
// common fields are constants.
func headerOf(fields []parser.Header) http.Header {
	h := make(http.Header, len(fields))
	if len(fields) == 0 {
		return h
	}
	n := 0
	for _, f := range fields {
		n += len(f.Value)
	}
	var sb strings.Builder
	sb.Grow(n)
	for _, f := range fields {
		sb.Write(f.Value)
	}
	all := sb.String()
	vals := make([]string, len(fields))
	pos := 0
	for i, f := range fields {
		v := all[pos : pos+len(f.Value)]
		pos += len(f.Value)
		k := headerKey(f.Name)
		if prev, ok := h[k]; ok {
			h[k] = append(prev, v)
			continue
		}
		vals[i] = v
		h[k] = vals[i : i+1 : i+1]
	}
	return h
}

// headerKey returns the canonical form of a field name; common names
// cost no allocation.
func headerKey(name []byte) string {
	if k, ok := commonKeys[string(name)]; ok {
		return k
	}
	return textproto.CanonicalMIMEHeaderKey(string(name))
}

// commonKeys maps common field names, canonical and in lower case, to
// their canonical form.
var commonKeys = func() map[string]string {
	names := []string{
		"Accept-Ranges", "Access-Control-Allow-Origin", "Age", "Alt-Svc", "Cache-Control",
		"Connection", "Content-Disposition", "Content-Encoding", "Content-Language",
		"Content-Length", "Content-Location", "Content-Range", "Content-Security-Policy",
		"Content-Type", "Date", "Etag", "Expires", "Keep-Alive", "Last-Modified", "Link",
		"Location", "Pragma", "Referrer-Policy", "Retry-After", "Server", "Set-Cookie",
		"Strict-Transport-Security", "Trailer", "Transfer-Encoding", "Vary", "Via",
		"Www-Authenticate", "X-Content-Type-Options", "X-Frame-Options", "X-Powered-By",
		"X-Xss-Protection",
	}
	m := make(map[string]string, 2*len(names))
	for _, n := range names {
		m[n] = n
		m[strings.ToLower(n)] = n
	}
	m["ETag"] = "Etag"
	m["WWW-Authenticate"] = "Www-Authenticate"
	return m
}()

// release returns a client whose response is over to the pool, or closes
// it when it cannot carry another request or the context fired.
func release(p *fetch.Pool, key fetch.Key, c *h1.Client, stop func() bool) {
	if stop != nil && !stop() {
		c.Close() // the context's function ran, or runs: the connection is down
		return
	}
	_ = c.SetReadChunkSize(h1.DefaultReadChunkSize)
	if c.Reusable() {
		p.Put(key, c)
		return
	}
	c.Close()
}

// transportBody is a response body read through the client, in blocking
// mode. Close may run while a Read waits, from another goroutine: it then
// takes the connection down, and the Read returns.
type transportBody struct {
	c    *h1.Client // nil once the body ended or failed
	pool *fetch.Pool
	key  fetch.Key
	stop func() bool
	ctx  context.Context
	resp *http.Response

	mu      sync.Mutex
	reading bool
	closed  bool
	err     error  // what Read returns from now on
	small   []byte // for reads shorter than h1.MinReadChunkSize
	rest    []byte // bytes of small not yet returned
}

// Read reads body bytes straight into p (through a small buffer when p is
// shorter than MinReadChunkSize); at the end it fills resp.Trailer and
// hands the connection back to the pool.
func (b *transportBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return 0, errBodyClosed
	}
	if len(b.rest) > 0 {
		n := copy(p, b.rest)
		b.rest = b.rest[n:]
		err := b.err
		b.mu.Unlock()
		if len(b.rest) > 0 {
			return n, nil
		}
		return n, err
	}
	if b.err != nil {
		b.mu.Unlock()
		return 0, b.err
	}
	if len(p) == 0 {
		b.mu.Unlock()
		return 0, nil
	}
	b.reading = true
	b.mu.Unlock()

	c := b.c
	var out []byte
	var err error
	for len(out) == 0 && err == nil && c.Status() == h1.StatusBody {
		if len(p) >= h1.MinReadChunkSize {
			_ = c.SetReadChunkSize(min(len(p), h1.MaxReadChunkSize)) // in range: no error
			out, err = c.ReadResponseBodyChunkInto(p[:0])
		} else {
			if b.small == nil {
				b.small = make([]byte, 0, h1.MinReadChunkSize)
			}
			_ = c.SetReadChunkSize(h1.MinReadChunkSize)
			out, err = c.ReadResponseBodyChunkInto(b.small[:0])
		}
	}
	n := len(out)
	if n > 0 && len(p) < h1.MinReadChunkSize {
		n = copy(p, out)
		b.rest = out[n:]
	}

	b.mu.Lock()
	defer b.mu.Unlock()
	b.reading = false
	switch {
	case b.closed:
		// Close ran meanwhile and took the connection down.
		b.end(false)
		b.rest = nil
		return n, errBodyClosed
	case err != nil:
		if cerr := b.ctx.Err(); cerr != nil {
			err = cerr
		}
		b.err = err
		b.end(false)
	case c.Status() != h1.StatusBody:
		b.err = io.EOF
		b.trailers()
		b.end(true)
	}
	if len(b.rest) > 0 {
		return n, nil
	}
	return n, b.err
}

// trailers fills resp.Trailer from the chunked body's trailer section.
func (b *transportBody) trailers() {
	ts := b.c.ResponseTrailers()
	if len(ts) == 0 {
		return
	}
	if b.resp.Trailer == nil {
		b.resp.Trailer = make(http.Header, len(ts))
	}
	for k, vs := range b.resp.Trailer {
		if vs == nil {
			delete(b.resp.Trailer, k)
		}
	}
	for _, f := range ts {
		k := headerKey(f.Name)
		b.resp.Trailer[k] = append(b.resp.Trailer[k], string(f.Value))
	}
}

// end lets go of the client: back to the pool after a complete body,
// closed otherwise. mu is held.
func (b *transportBody) end(complete bool) {
	c := b.c
	if c == nil {
		return
	}
	b.c = nil
	if complete {
		release(b.pool, b.key, c, b.stop)
		return
	}
	if b.stop != nil {
		b.stop()
	}
	c.Close()
}

// Close ends the body. Before its end, the connection is closed (the
// rest of the body is not read); while a Read waits, the connection is
// taken down and that Read returns an error.
func (b *transportBody) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil
	}
	b.closed = true
	if b.reading {
		b.c.Abort()
		return nil
	}
	b.end(false)
	return nil
}

// gzipReader is a gzip decoder with its input buffer, kept for reuse.
type gzipReader struct {
	br bufio.Reader
	zr gzip.Reader
}

var gzipReaders sync.Pool

// gzipBody decodes a gzip response body as it is read. The decoder
// starts at the first Read, so that RoundTrip never waits for body bytes.
type gzipBody struct {
	body *transportBody
	gz   *gzipReader
	err  error
}

func (g *gzipBody) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	if g.gz == nil {
		gz, _ := gzipReaders.Get().(*gzipReader)
		if gz == nil {
			gz = &gzipReader{}
		}
		gz.br.Reset(g.body)
		if err := gz.zr.Reset(&gz.br); err != nil {
			gz.br.Reset(nil)
			gzipReaders.Put(gz)
			g.err = decompressErr(err)
			return 0, g.err
		}
		g.gz = gz
	}
	n, err := g.gz.zr.Read(p)
	if err != nil {
		// The decoder reads its input to the end: the body is over, and
		// the decoder can serve another.
		g.gz.br.Reset(nil)
		gzipReaders.Put(g.gz)
		g.gz = nil
		if err != io.EOF {
			err = decompressErr(err)
		}
		g.err = err
	}
	return n, err
}

// decompressErr marks a gzip failure as ErrDecompress, unless it is the
// body's own error (a context, a closed body, the connection).
func decompressErr(err error) error {
	var e *h1.Error
	if errors.As(err, &e) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || err == errBodyClosed {
		return err
	}
	return &fetch.DecodeError{Coding: "gzip", Err: err}
}

// Close closes the body. A decoder cut short is dropped, not reused: a
// Read may still be using it.
func (g *gzipBody) Close() error {
	return g.body.Close()
}
