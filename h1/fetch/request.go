package fetch

import (
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/h1dev/h1/h1"
	"github.com/h1dev/h1/internal/origin"
	"github.com/h1dev/h1/parser"
	"github.com/h1dev/h1/tlsx"
)

// DefaultMaxRedirects is Godot's default for HTTPRequest.max_redirects;
// NewRequest sets it. UnlimitedRedirects, or any negative MaxRedirects,
// follows redirects without a limit.
const (
	DefaultMaxRedirects = 8
	UnlimitedRedirects  = -1
)

// NewRequest returns a Request with Godot's defaults: up to
// DefaultMaxRedirects redirects followed, compression on, no limits.
func NewRequest() *Request {
	return &Request{MaxRedirects: DefaultMaxRedirects}
}

// drainLimit is the most body bytes of a redirect response read (and
// dropped) to keep its connection; a longer body closes the connection.
const drainLimit = 64 << 10

// Progress is how far a Request has come. Totals are -1 when not known.
type Progress struct {
	Downloaded int64 // body bytes received (before decoding)
	Total      int64 // Content-Length of the body, or -1
	Uploaded   int64 // request bytes sent, head included
	UploadSize int64 // the whole request's size in bytes
}

// Response is what a Request produced.
type Response struct {
	// Result says how the request ended; Err tells why when it is not
	// ResultSuccess.
	Result Result
	Err    error
	// Status is the status code of the last response, 0 without one.
	Status int
	// Headers are the last response's fields as "Name: value" lines, in
	// order, duplicates kept (Godot's shape); Trailers those after a
	// chunked body.
	Headers  []string
	Trailers []string
	// Body is the decoded body, unless it went to DownloadFile.
	Body []byte
	// URL is the URL of the last response, after redirects.
	URL string
	// Redirects counts the redirects followed.
	Redirects int
}

// Header returns the first value of the named field, in any case, and
// whether there was one.
func (r *Response) Header(name string) (string, bool) {
	for _, h := range r.Headers {
		if n, v, ok := strings.Cut(h, ":"); ok && parser.EqualFold(n, name) {
			return strings.TrimSpace(v), true
		}
	}
	return "", false
}

type fetchState uint8

const (
	fetchIdle    fetchState = iota // no request; the zero value
	fetchConnect                   // opening (or reusing) a connection
	fetchSend                      // sending the request, waiting for the head
	fetchDrain                     // dropping a redirect's body
	fetchBody                      // reading the body
	fetchDone                      // finished: Response holds the outcome
)

// Request fetches a URL in one call, after Godot's HTTPRequest: it
// connects (reusing a pooled connection when it can), sends the request,
// follows redirects, decodes gzip, deflate, br and zstd bodies as they
// stream, bounds the body's size and the transaction's time, and keeps the
// body in memory or writes it to a file.
//
// Use Do for one blocking call with a context, or Start and Poll from a
// loop of your own, as Godot's node does. The zero value is ready, with
// Godot's defaults. A Request runs one fetch at a time and is not safe for
// concurrent use; Requests sharing a Pool may run on many goroutines.
type Request struct {
	// MaxRedirects bounds the redirects followed, as Godot's
	// max_redirects: 0 follows none (a redirect then ends the fetch in
	// ResultRedirectLimitReached), a negative value (UnlimitedRedirects)
	// follows without a limit. NewRequest sets DefaultMaxRedirects.
	// NoRedirects turns following off: a 3xx response is then the answer.
	MaxRedirects int
	NoRedirects  bool
	// BodySizeLimit bounds the decoded body; 0 means none. A longer body
	// ends in ResultBodySizeLimitExceeded without decoding the rest.
	BodySizeLimit int64
	// Timeout bounds the whole transaction (DNS, connect, TLS, redirects,
	// body); 0 means none. IdleTimeout bounds each wait for body bytes; 0
	// means h1.DefaultTimeout.
	Timeout     time.Duration
	IdleTimeout time.Duration
	// DisableCompression stops sending Accept-Encoding and decoding the
	// body (Godot's accept_gzip = false).
	DisableCompression bool
	// DownloadFile, when set, receives the body instead of memory. It is
	// written as DownloadFile+".part" and renamed when complete; on
	// failure the part file is removed, unless KeepPartial is set: then it
	// stays, and the next fetch to the same file resumes it with Range.
	DownloadFile string
	KeepPartial  bool
	// Output, when set (and DownloadFile is not), receives the decoded
	// body as it streams instead of Response.Body; a failed write ends
	// the fetch with ResultDownloadFileWriteError.
	Output io.Writer
	// TLS verifies https servers; nil means tlsx.Client(nil, ""): the
	// system roots and the server's name.
	TLS *tlsx.Options
	// HTTPProxy and HTTPSProxy are forward proxies for http and https URLs
	// ("host:port" or "http://user:pass@host:port"); empty means none.
	HTTPProxy  string
	HTTPSProxy string
	// Pool keeps connections for reuse; nil means DefaultPool.
	Pool *Pool
	// Resolver looks up host names; nil means the TCP peer's default.
	Resolver *net.Resolver
	// OnProgress, when set, is called on the caller's goroutine, inside
	// Poll or Do, whenever bytes moved, and once when the head of the
	// final response has arrived, before any of its body is taken. It may
	// call Cancel (to refuse a status, say).
	OnProgress func(Progress)
	// Trace, when set, records the fetch's heads, phase times and TLS
	// session (see h1.Trace).
	Trace *h1.Trace
	// UserAgent is the User-Agent of every request of the fetch whose
	// headers carry none; empty means parser.DefaultUserAgent.
	UserAgent string
	// OnCompleted, when set, is called once a fetch has finished, on the
	// caller's goroutine, inside the Poll, Do or Cancel that ended it,
	// after Response holds the outcome (Godot's request_completed). It
	// may Start the next fetch.
	OnCompleted func(*Response)

	st        fetchState
	method    h1.Method
	headers   []string
	body      []byte
	cur       *url.URL
	key       Key
	c         *h1.Client
	blocking  bool
	deadline  time.Time
	resp      Response
	dec       *contentDecoder
	file      *os.File
	part      string
	resumeAt  int64
	drained   int
	buf       []byte
	progress  Progress
	sentTotal int64
	written   int64                     // decoded bytes written to the part file
	active    atomic.Pointer[h1.Client] // r.c, for interrupt from another goroutine
	woken     atomic.Bool               // interrupt ran: Poll returns so that Do looks at its context
	ctx       context.Context           // Do's context, while Do runs
}

// Start begins a fetch of rawURL and returns at once; Poll carries it on.
// headers are "Name: value" lines. It returns h1.ErrBusy while a fetch is
// running and h1.ErrInvalidParameter for a bad URL, scheme or header, before
// anything is sent.
func (r *Request) Start(method h1.Method, rawURL string, headers []string, body []byte) error {
	if r.st != fetchIdle && r.st != fetchDone {
		return h1.ErrBusy
	}
	u, err := parseFetchURL(rawURL)
	if err != nil {
		return err
	}
	if method.String() == "" || method == h1.MethodConnect {
		return &h1.Error{Kind: h1.ErrInvalidParameter, Op: "method"}
	}
	for _, h := range headers {
		if i := strings.IndexByte(h, ':'); i <= 0 || strings.ContainsAny(h, "\r\n\x00") {
			return &h1.Error{Kind: h1.ErrInvalidParameter, Op: "header line", Err: errHeaderLine}
		}
	}
	r.reset()
	r.method, r.headers, r.body, r.cur = method, headers, body, u
	if r.Timeout > 0 {
		r.deadline = time.Now().Add(r.Timeout)
	}
	r.resp.URL = u.String()
	if t := r.Trace; t != nil {
		// Clear what an earlier fetch left, keeping the callbacks.
		*t = h1.Trace{OnRequestHead: t.OnRequestHead, OnResponseHead: t.OnResponseHead, Start: time.Now()}
	}
	r.st = fetchConnect
	return nil
}

// parseFetchURL accepts absolute http and https URLs with a host and a
// port in range.
func parseFetchURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err == nil {
		_, _, _, err = origin.Of(u)
	}
	if err != nil {
		return nil, &h1.Error{Kind: h1.ErrInvalidParameter, Op: "url", Err: err}
	}
	return u, nil
}

func (r *Request) reset() {
	r.resp = Response{}
	r.drained, r.resumeAt = 0, 0
	r.progress = Progress{Total: -1}
}

// Done reports whether the fetch has finished.
func (r *Request) Done() bool { return r.st == fetchDone }

// Response returns the outcome once Done reports true.
func (r *Request) Response() *Response { return &r.resp }

// DownloadedBytes and BodySize are Godot's get_downloaded_bytes and
// get_body_size: body bytes received so far, and the Content-Length (-1
// when not known).
func (r *Request) DownloadedBytes() int64 { return r.progress.Downloaded }

// BodySize returns the Content-Length of the body being read, or -1.
func (r *Request) BodySize() int64 { return r.progress.Total }

// Progress returns the counters of the fetch under way.
func (r *Request) Progress() Progress { return r.progress }

// Cancel stops the fetch: the connection is closed, a part file handled
// as on failure, and the Response says ResultRequestFailed with
// context.Canceled.
func (r *Request) Cancel() {
	if r.st != fetchIdle && r.st != fetchDone {
		r.finish(context.Canceled)
	}
}

// Do fetches rawURL and waits for the outcome. The context cancels it (its
// deadline works like Timeout); the Response is never nil.
func (r *Request) Do(ctx context.Context, method h1.Method, rawURL string, headers []string, body []byte) *Response {
	if err := r.Start(method, rawURL, headers, body); err != nil {
		return &Response{Result: resultOf(err), Err: err, URL: rawURL}
	}
	r.blocking = true
	r.woken.Store(false)
	defer func() { r.blocking = false }()
	if d, ok := ctx.Deadline(); ok && (r.deadline.IsZero() || d.Before(r.deadline)) {
		r.deadline = d
	}
	if !r.deadline.IsZero() {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, r.deadline)
		defer cancel()
	}
	stop := context.AfterFunc(ctx, r.interrupt)
	defer stop()
	r.ctx = ctx
	defer func() { r.ctx = nil }()
	for !r.Poll() {
		if err := ctx.Err(); err != nil {
			r.finish(err)
		}
	}
	return &r.resp
}

// interrupt wakes a wait in progress on the fetch's connection (from the
// context's goroutine), so that Do sees the cancel at once.
//
// The fetch is over once its context is done, so the connection is taken
// down too: Client.Abort may be called from any goroutine, and it also
// ends a lookup in progress, which no socket wait would notice.
func (r *Request) interrupt() {
	r.woken.Store(true)
	if c := r.active.Load(); c != nil {
		c.Abort()
	}
}

// use makes c the fetch's client (nil: none).
func (r *Request) use(c *h1.Client) {
	if r.c != nil {
		r.c.SetTrace(nil)
	}
	if c != nil && r.Trace != nil {
		c.SetTrace(r.Trace)
	}
	r.c = c
	r.active.Store(c)
}

// Poll carries the fetch on as far as it can without waiting (in Do, with
// at most one wait on the socket) and reports whether it has finished.
func (r *Request) Poll() bool {
	if r.st == fetchIdle || r.st == fetchDone {
		return true
	}
	if !r.deadline.IsZero() && !time.Now().Before(r.deadline) {
		r.finish(&h1.Error{Kind: h1.ErrTimeout, Op: "fetch", Err: context.DeadlineExceeded})
		return true
	}
	for r.step() && !r.woken.Load() {
	}
	return r.st == fetchDone
}

// step does one piece of work and reports whether it got anywhere (so
// that Poll tries the next piece at once).
func (r *Request) step() bool {
	switch r.st {
	case fetchConnect:
		return r.stepConnect()
	case fetchSend:
		return r.stepSend()
	case fetchDrain:
		return r.stepDrain()
	case fetchBody:
		return r.stepBody()
	}
	return false
}

func (r *Request) pool() *Pool {
	if r.Pool != nil {
		return r.Pool
	}
	return DefaultPool
}

// target returns the scheme, host and port of the current URL and the
// proxy that reaches it.
func (r *Request) target() (tls bool, host string, port int, proxy string) {
	u := r.cur
	tls = u.Scheme == "https"
	host = u.Hostname()
	port = 80
	if tls {
		port, proxy = 443, r.HTTPSProxy
	} else {
		proxy = r.HTTPProxy
	}
	if p := u.Port(); p != "" {
		port, _ = strconv.Atoi(p)
	}
	return tls, host, port, proxy
}

func (r *Request) stepConnect() bool {
	if r.c == nil {
		tls, host, port, proxy := r.target()
		r.key = Key{TLS: tls, Host: host, Port: port, Proxy: proxy, Options: r.TLS}
		if c := r.pool().Get(r.key); c != nil {
			r.use(c)
		} else {
			c := &h1.Client{}
			if r.Resolver != nil {
				c.SetResolver(r.Resolver)
			}
			r.use(c)
			if err := r.key.Connect(c); err != nil {
				r.finish(err)
				return false
			}
		}
	}
	c := r.c
	c.SetBlockingMode(r.blocking)
	c.Limits.BodyIdleTimeout = r.IdleTimeout
	switch c.Status() {
	case h1.StatusConnected:
		return r.send()
	case h1.StatusResolving, h1.StatusConnecting:
		before := c.Status()
		if err := c.Poll(); err != nil {
			r.finish(err)
			return false
		}
		return c.Status() != before
	default:
		err := c.Err()
		if err == nil {
			err = &h1.Error{Kind: h1.ErrConnection, Op: h1.OpConnect}
		}
		r.finish(err)
		return false
	}
}

// send starts the request on the connected client.
func (r *Request) send() bool {
	hs := r.headers
	extra := 0
	if !r.DisableCompression && !r.hasHeader("accept-encoding") && r.method != h1.MethodHead {
		extra++
	}
	if extra > 0 || r.DownloadFile != "" {
		hs = append([]string(nil), r.headers...)
		if r.DownloadFile != "" && r.KeepPartial {
			if st, err := os.Stat(r.DownloadFile + ".part"); err == nil && st.Size() > 0 {
				// Resume the part file; ranges count encoded bytes, so ask
				// for the identity coding.
				r.resumeAt = st.Size()
				hs = append(hs, "Range: bytes="+strconv.FormatInt(r.resumeAt, 10)+"-")
				extra = 0
			}
		}
		if extra > 0 {
			hs = append(hs, "Accept-Encoding: "+AcceptEncoding)
		}
	}
	target := r.cur.RequestURI()
	r.c.UserAgent = r.UserAgent
	if err := r.c.Request(r.method, target, hs, r.body); err != nil {
		r.finish(err)
		return false
	}
	_, r.sentTotal = r.c.BytesSent()
	r.progress.UploadSize = r.sentTotal
	r.st = fetchSend
	return true
}

func (r *Request) hasHeader(name string) bool {
	for _, h := range r.headers {
		if n, _, ok := strings.Cut(h, ":"); ok && parser.EqualFold(strings.TrimSpace(n), name) {
			return true
		}
	}
	return false
}

func (r *Request) stepSend() bool {
	c := r.c
	if c.Status() == h1.StatusRequesting {
		before, _ := c.BytesSent()
		if err := c.Poll(); err != nil {
			r.finish(r.noResponse(err))
			return false
		}
		r.noteUpload()
		if c.Status() == h1.StatusRequesting {
			sent, _ := c.BytesSent()
			return sent != before
		}
	}
	if !c.HasResponse() {
		err := c.Err()
		if err == nil {
			err = &h1.Error{Kind: h1.ErrConnection, Op: h1.OpHead}
		}
		r.finish(r.noResponse(err))
		return false
	}
	r.progress.Uploaded = r.sentTotal
	r.resp.Status = c.ResponseCode()
	if loc, ok := r.redirect(); ok {
		return r.follow(loc)
	}
	return r.beginBody()
}

// noResponse turns a connection that closed before any response byte
// arrived into ErrNoResponse.
func (r *Request) noResponse(err error) error {
	var e *h1.Error
	if errors.As(err, &e) && e.Kind == h1.ErrConnection && e.Op == h1.OpHead && r.c.BytesReceived() == 0 &&
		(errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)) {
		return &h1.Error{Kind: ErrNoResponse, Op: h1.OpHead, Err: err}
	}
	return err
}

func (r *Request) noteUpload() {
	if c := r.c; c != nil {
		r.progress.Uploaded, _ = c.BytesSent()
		r.report()
	}
}

func (r *Request) report() {
	if r.OnProgress != nil {
		r.OnProgress(r.progress)
	}
}

// redirect reports the Location of a redirect this request follows.
func (r *Request) redirect() (string, bool) {
	if r.NoRedirects {
		return "", false
	}
	switch r.resp.Status {
	case 301, 302, 303, 307, 308:
	default:
		return "", false
	}
	loc, ok := r.c.ResponseHeader("Location")
	if !ok || len(loc) == 0 {
		return "", false
	}
	return string(loc), true
}

// follow applies RFC 9110 §15.4 to a redirect: resolve Location against
// the current URL; 301, 302 (for POST) and 303 turn the request into a GET
// without a body or its fields; credentials stay behind when the origin
// changes.
func (r *Request) follow(loc string) bool {
	if max := r.MaxRedirects; max >= 0 && r.resp.Redirects >= max {
		r.finish(&h1.Error{Kind: ErrRedirectLimit, Op: "redirect", Err: errors.New("after " + strconv.Itoa(r.resp.Redirects) + " redirects")})
		return false
	}
	next, err := r.cur.Parse(loc)
	if err != nil || (next.Scheme != "http" && next.Scheme != "https") || next.Hostname() == "" {
		r.finish(&h1.Error{Kind: h1.ErrConnection, Op: "redirect", Err: errors.New("bad Location " + strconv.Quote(loc))})
		return false
	}
	st := r.resp.Status
	if st == 303 && r.method != h1.MethodHead || (st == 301 || st == 302) && r.method == h1.MethodPost {
		r.method, r.body = h1.MethodGet, nil
		r.headers = dropHeaders(r.headers, "content-length", "content-type", "content-encoding", "transfer-encoding", "content-language", "content-location")
	}
	if !sameOrigin(r.cur, next) {
		r.headers = dropHeaders(r.headers, "authorization", "cookie", "proxy-authorization")
	}
	r.resp.Redirects++
	r.cur = next
	r.resp.URL = next.String()
	r.drained = 0
	r.st = fetchDrain
	return true
}

func sameOrigin(a, b *url.URL) bool {
	return a.Scheme == b.Scheme && parser.EqualFold(a.Hostname(), b.Hostname()) && effectivePort(a) == effectivePort(b)
}

func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "https" {
		return "443"
	}
	return "80"
}

// dropHeaders returns the lines whose names are not among names; it copies
// so that the caller's slice stays as it was.
func dropHeaders(hs []string, names ...string) []string {
	out := make([]string, 0, len(hs))
	for _, h := range hs {
		n, _, _ := strings.Cut(h, ":")
		n = strings.TrimSpace(n)
		keep := true
		for _, d := range names {
			keep = keep && !parser.EqualFold(n, d)
		}
		if keep {
			out = append(out, h)
		}
	}
	return out
}

// stepDrain reads and drops the redirect's body so that its connection
// can carry the next request; a long body closes the connection instead.
func (r *Request) stepDrain() bool {
	c := r.c
	if c.Status() == h1.StatusBody {
		if r.drained > drainLimit {
			r.release(false)
			r.st = fetchConnect
			return true
		}
		before := r.drained
		var err error
		r.buf, err = c.ReadResponseBodyChunkInto(r.buf[:0])
		r.drained += len(r.buf)
		if err != nil {
			r.release(false)
			r.st = fetchConnect
			return true
		}
		if c.Status() == h1.StatusBody {
			return r.drained != before
		}
	}
	r.release(true)
	r.st = fetchConnect
	return true
}

// release hands the client back to the pool (when it can carry another
// request) or closes it.
func (r *Request) release(reuse bool) {
	c := r.c
	r.use(nil)
	if c == nil {
		return
	}
	if reuse && c.Reusable() {
		r.pool().Put(r.key, c)
		return
	}
	c.Close()
}

// beginBody sets up the body's destination and decoder.
func (r *Request) beginBody() bool {
	c := r.c
	r.resp.Headers = append([]string(nil), c.ResponseHeaders()...)
	r.progress.Total = c.ResponseBodyLength()
	if r.DownloadFile != "" {
		if err := r.openFile(); err != nil {
			r.finish(err)
			return false
		}
	}
	if !r.DisableCompression && r.method != h1.MethodHead {
		if enc, ok := c.ResponseHeader("Content-Encoding"); ok {
			dec, err := newContentDecoder(string(enc), r.sink)
			if err != nil {
				r.finish(err)
				return false
			}
			r.dec = dec
		}
	}
	r.st = fetchBody
	r.report()
	return r.st == fetchBody // false when OnProgress called Cancel
}

// openFile opens DownloadFile's part file: appended to when the server
// answered a resumed request with 206, created anew otherwise.
func (r *Request) openFile() error {
	r.part = r.DownloadFile + ".part"
	flags := os.O_CREATE | os.O_WRONLY | os.O_TRUNC
	if r.resumeAt > 0 && r.resp.Status == 206 {
		flags = os.O_WRONLY | os.O_APPEND
	} else {
		r.resumeAt = 0
	}
	f, err := os.OpenFile(r.part, flags, 0o644)
	if err != nil {
		r.part = ""
		return &fileError{open: true, err: err}
	}
	r.file = f
	return nil
}

// sink takes decoded body bytes: it enforces the size limit, then keeps
// them in memory or writes them to the part file.
func (r *Request) sink(p []byte) error {
	if r.BodySizeLimit > 0 && int64(len(r.resp.Body))+r.written+int64(len(p)) > r.BodySizeLimit {
		return &h1.Error{Kind: h1.ErrBodyTooLarge, Op: h1.OpBody}
	}
	if w := r.sinkWriter(); w != nil {
		if _, err := w.Write(p); err != nil {
			return &fileError{err: err}
		}
		r.written += int64(len(p))
		return nil
	}
	r.resp.Body = append(r.resp.Body, p...)
	return nil
}

// sinkWriter returns where the body goes when not to memory.
func (r *Request) sinkWriter() io.Writer {
	switch {
	case r.file != nil:
		return r.file
	case r.Output != nil && r.DownloadFile == "":
		return r.Output
	}
	return nil
}

func (r *Request) stepBody() bool {
	c := r.c
	if c.Status() == h1.StatusBody {
		var err error
		r.buf, err = c.ReadResponseBodyChunkInto(r.buf[:0])
		if n := len(r.buf); n > 0 {
			r.progress.Downloaded += int64(n)
			if r.dec != nil {
				if derr := r.dec.feed(r.buf); derr != nil {
					r.finish(derr)
					return false
				}
			} else if serr := r.sink(r.buf); serr != nil {
				r.finish(serr)
				return false
			}
			r.report()
			if r.st == fetchDone {
				return false // OnProgress called Cancel
			}
		}
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				err = &h1.Error{Kind: ErrTruncated, Op: h1.OpBody, Err: err}
			}
			r.finish(err)
			return false
		}
		if c.Status() == h1.StatusBody {
			return len(r.buf) > 0
		}
	}
	if err := c.Err(); err != nil {
		r.finish(err)
		return false
	}
	if r.dec != nil {
		if err := r.dec.end(); err != nil {
			r.finish(err)
			return false
		}
	}
	for _, t := range c.ResponseTrailers() {
		r.resp.Trailers = append(r.resp.Trailers, string(t.Name)+": "+string(t.Value))
	}
	r.finish(nil)
	return false
}

// finish ends the fetch with err (nil for success): the connection goes
// back to the pool or is closed, the decoder stops, and the part file is
// renamed, kept or removed.
func (r *Request) finish(err error) {
	if r.st == fetchDone {
		return // OnProgress called Cancel
	}
	if err != nil && r.ctx != nil && r.ctx.Err() != nil {
		// The context ended the fetch (and took its connection down):
		// that, not what the connection then said, is the outcome.
		err = r.ctx.Err()
	}
	if errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, h1.ErrTimeout) {
		err = &h1.Error{Kind: h1.ErrTimeout, Op: "fetch", Err: err}
	}
	if r.dec != nil {
		r.dec.close()
		r.dec = nil
	}
	r.release(err == nil)
	if r.file != nil {
		cerr := r.file.Close()
		r.file = nil
		if err == nil && cerr != nil {
			err = &fileError{err: cerr}
		}
		if err == nil {
			if rerr := os.Rename(r.part, r.DownloadFile); rerr != nil {
				err = &fileError{err: rerr}
			}
		}
		if err != nil && !r.KeepPartial {
			os.Remove(r.part)
		}
	}
	r.resp.Err = err
	r.resp.Result = resultOf(err)
	r.written = 0
	if r.Trace != nil {
		r.Trace.Done = time.Now()
	}
	r.st = fetchDone
	r.report()
	if r.OnCompleted != nil {
		r.OnCompleted(&r.resp)
	}
}
