package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/h1dev/h1/h1"
	"github.com/h1dev/h1/h1/fetch"
	"github.com/h1dev/h1/parser"
	"github.com/h1dev/h1/tlsx"
)

const getUsage = `usage: h1 get [flags] URL...

Fetches each URL in order, over kept-alive connections where it can, and
writes the bodies to stdout. A URL without a scheme is taken as http://.

  -X METHOD             GET, HEAD, POST, PUT, DELETE, OPTIONS, TRACE or PATCH
  -H 'Name: value'      add a request header (repeatable)
  -d DATA, -d @FILE     send DATA, or FILE's bytes as they are (@- for stdin),
                        as the body; POST unless -X says otherwise. Repeated
                        -d are joined with &
  -o FILE               write the body to FILE (as FILE.part, renamed when
                        complete); repeat for the next URL, in order
  -i                    print each response head before the body
  -v                    print each head to stderr exactly as it crossed the
                        wire: "> " sent, "< " received, "* " notes
  -L                    follow redirects
  --max-redirects N     with -L, follow at most N redirects (default 50;
                        -1: no limit)
  --compressed          ask for gzip, deflate, br and zstd, and decode; without
                        it the body is printed as received
  --timeout SECONDS     limit each whole transfer (fractions allowed)
  --cacert FILE         trust the PEM certificates in FILE, not the system's
  --insecure            do not verify the server's certificate (pins still are)
  --pin sha256//BASE64  require this public key in the server's chain
                        (repeatable: any one of them)
  --proxy URL           go through this HTTP proxy, http://[user:pass@]host[:port]
                        (CONNECT for https URLs; default port 1080)
  --fail                exit 22 on a status of 400 or more; the body is not
                        printed (nor written to -o's FILE)
  --timing              print DNS, connect, TLS, first byte, transfer and total
                        times and the TLS session to stderr

A progress line is drawn on stderr during long transfers when stderr is a
terminal. With -o, -i prints the heads on stdout.

Exit status (curl's): 0 success, 1 usage, 6 cannot resolve, 7 cannot
connect, 22 status >= 400 with --fail, 23 cannot write the output, 28 timed
out, 35 TLS handshake (certificate, pin, version), 47 too many redirects,
56 receive error (connection failed, bad response, body cut short, body
that does not decode). With several URLs the last one decides, as in curl.
`

// Exit statuses of h1 get beside exitOK, exitUsage and exitConnect (curl's
// numbers).
const (
	exitResolve   = 6
	exitHTTP      = 22
	exitWrite     = 23
	exitTimeout   = 28
	exitTLS       = 35
	exitRedirects = 47
	exitRecv      = 56
)

// defaultMaxRedirects is curl's limit for -L.
const defaultMaxRedirects = 50

// getFlags is the parsed command line of h1 get.
type getFlags struct {
	method       string
	headers      []string
	data         []byte
	hasData      bool
	outputs      []string
	include      bool
	verbose      bool
	follow       bool
	maxRedirects int
	compressed   bool
	timeout      time.Duration
	cacert       string
	insecure     bool
	pins         []string
	proxy        string
	fail         bool
	timing       bool
	urls         []string
}

// errHelp asks for the usage text on stdout.
var errHelp = errors.New("help")

// parseGetFlags reads flags and URLs in any order, as curl does: short
// flags may be joined (-iv, -XPOST), long ones take "--name value" or
// "--name=value", and "--" ends the flags.
func parseGetFlags(args []string, stdin io.Reader) (*getFlags, error) {
	f := &getFlags{maxRedirects: defaultMaxRedirects}
	var data [][]byte
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			f.urls = append(f.urls, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			f.urls = append(f.urls, a)
			continue
		}
		// value returns the flag's argument: what follows in a, or the
		// next argument.
		value := func(name, rest string) (string, error) {
			if rest != "" {
				return rest, nil
			}
			if i+1 == len(args) {
				return "", fmt.Errorf("%s needs an argument", name)
			}
			i++
			return args[i], nil
		}
		if strings.HasPrefix(a, "--") {
			name, rest, _ := strings.Cut(a[2:], "=")
			var err error
			switch name {
			case "help":
				return nil, errHelp
			case "compressed":
				f.compressed = true
			case "insecure":
				f.insecure = true
			case "fail":
				f.fail = true
			case "timing":
				f.timing = true
			case "max-redirects":
				var v string
				if v, err = value(a, rest); err == nil {
					f.maxRedirects, err = strconv.Atoi(v)
					if err != nil || f.maxRedirects < -1 {
						err = fmt.Errorf("--max-redirects: %q is not a count (or -1)", v)
					}
				}
			case "timeout":
				var v string
				if v, err = value(a, rest); err == nil {
					s, perr := strconv.ParseFloat(v, 64)
					if perr != nil || s <= 0 || s > 1e6 {
						err = fmt.Errorf("--timeout: %q is not a number of seconds", v)
					}
					f.timeout = time.Duration(s * float64(time.Second))
				}
			case "cacert":
				f.cacert, err = value(a, rest)
			case "pin":
				var v string
				if v, err = value(a, rest); err == nil {
					f.pins = append(f.pins, v)
				}
			case "proxy":
				f.proxy, err = value(a, rest)
			default:
				err = fmt.Errorf("unknown flag %s", a)
			}
			if err != nil {
				return nil, err
			}
			continue
		}
		for j := 1; j < len(a); j++ {
			c := a[j]
			switch c {
			case 'i':
				f.include = true
				continue
			case 'v':
				f.verbose = true
				continue
			case 'L':
				f.follow = true
				continue
			case 'h':
				return nil, errHelp
			case 'X', 'H', 'd', 'o':
			default:
				return nil, fmt.Errorf("unknown flag -%c", c)
			}
			v, err := value("-"+string(c), a[j+1:])
			if err != nil {
				return nil, err
			}
			switch c {
			case 'X':
				f.method = v
			case 'H':
				f.headers = append(f.headers, v)
			case 'o':
				f.outputs = append(f.outputs, v)
			case 'd':
				b, err := readData(v, stdin)
				if err != nil {
					return nil, err
				}
				data = append(data, b)
			}
			break
		}
	}
	if len(data) > 0 {
		f.data, f.hasData = bytes.Join(data, []byte("&")), true
	}
	return f, nil
}

// readData returns -d's argument, or the bytes of the file it names after
// an @ (@- is stdin).
func readData(v string, stdin io.Reader) ([]byte, error) {
	name, ok := strings.CutPrefix(v, "@")
	if !ok {
		return []byte(v), nil
	}
	if name == "-" {
		return io.ReadAll(stdin)
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("-d: %v", err)
	}
	return b, nil
}

// getPlan is what the flags ask for, checked before anything is sent.
type getPlan struct {
	*getFlags
	method h1.Method
	tls    *tlsx.Options
	proxy  string // fetch.Request's form: host:port or http://user:pass@host:port
}

// plan checks the flags and URLs and builds what the fetches share.
func plan(f *getFlags) (*getPlan, error) {
	p := &getPlan{getFlags: f, method: h1.MethodGet}
	if len(f.urls) == 0 {
		return nil, errors.New("no URL")
	}
	switch {
	case f.method != "":
		m, ok := h1.ParseMethod(f.method)
		if !ok || m == h1.MethodConnect {
			return nil, fmt.Errorf("-X: method %q is not one of GET, HEAD, POST, PUT, DELETE, OPTIONS, TRACE, PATCH", f.method)
		}
		p.method = m
	case f.hasData:
		p.method = h1.MethodPost
	}
	for i, raw := range f.urls {
		if !strings.Contains(raw, "://") {
			raw = "http://" + raw
			f.urls[i] = raw
		}
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
			return nil, fmt.Errorf("%q is not an http:// or https:// URL", f.urls[i])
		}
	}
	for _, h := range f.headers {
		if n, _, ok := strings.Cut(h, ":"); !ok || strings.TrimSpace(n) == "" || strings.ContainsAny(h, "\r\n\x00") {
			return nil, fmt.Errorf("-H %q is not 'Name: value'", h)
		}
	}
	if f.hasData && !hasHeader(f.headers, "content-type") {
		// curl's type for -d.
		f.headers = append(f.headers, "Content-Type: application/x-www-form-urlencoded")
	}
	var roots *x509.CertPool
	if f.cacert != "" && !f.insecure {
		pem, err := os.ReadFile(f.cacert)
		if err != nil {
			return nil, fmt.Errorf("--cacert: %v", err)
		}
		roots = x509.NewCertPool()
		if !roots.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--cacert: no PEM certificate in %s", f.cacert)
		}
	}
	if f.insecure {
		p.tls = tlsx.ClientUnsafe(nil)
	} else {
		p.tls = tlsx.Client(roots, "")
	}
	for _, s := range f.pins {
		pin, err := tlsx.ParsePin(s)
		if err != nil {
			return nil, fmt.Errorf("--pin: %v", err)
		}
		p.tls.Pins = append(p.tls.Pins, pin)
	}
	if f.proxy != "" {
		px, err := proxyAddr(f.proxy)
		if err != nil {
			return nil, err
		}
		p.proxy = px
	}
	return p, nil
}

func hasHeader(hs []string, name string) bool {
	for _, h := range hs {
		if n, _, _ := strings.Cut(h, ":"); parser.EqualFold(strings.TrimSpace(n), name) {
			return true
		}
	}
	return false
}

// proxyAddr checks --proxy (h1.SplitProxy's forms: curl's port 1080 when
// it names none, credentials kept) and writes it as fetch.Request takes
// it, with the port.
func proxyAddr(s string) (string, error) {
	host, port, err := h1.SplitProxy(s)
	if err != nil {
		return "", fmt.Errorf("--proxy %q is not http://[user:pass@]host[:port]", s)
	}
	return host + ":" + strconv.Itoa(port), nil
}

func runGet(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	f, err := parseGetFlags(args, stdin)
	if err == errHelp {
		fmt.Fprint(stdout, getUsage)
		return exitOK
	}
	var p *getPlan
	if err == nil {
		p, err = plan(f)
	}
	if err != nil {
		fmt.Fprintf(stderr, "h1 get: %v\n\n%s", err, getUsage)
		return exitUsage
	}
	g := &getter{getPlan: p, stdout: stdout, stderr: stderr, pool: &fetch.Pool{}}
	defer g.pool.CloseIdleConnections()
	code := exitOK
	for i, u := range p.urls {
		out := ""
		if i < len(p.outputs) {
			out = p.outputs[i]
		}
		code = g.fetch(u, out)
	}
	return code
}

// getter fetches the URLs of one h1 get, one after the other, over one
// pool and one TLS session cache.
type getter struct {
	*getPlan
	stdout, stderr io.Writer
	pool           *fetch.Pool
}

// fetch fetches one URL, writes what it got, and returns the exit status
// it stands for. out, when not empty, receives the body instead of
// stdout.
func (g *getter) fetch(rawURL, out string) int {
	bar := startProgress(g.stderr)
	errw := io.Writer(g.stderr)
	if bar != nil {
		errw = bar // clears the progress line before each write
	}
	tr := &h1.Trace{}
	var heads bytes.Buffer // -i
	var noted time.Time    // the exchange whose connection -v described
	tlsNoted := false
	if g.verbose || g.include {
		tr.OnRequestHead = func(h []byte) {
			if !g.verbose {
				return
			}
			if !tr.Exchange.Equal(noted) {
				noted, tlsNoted = tr.Exchange, false
				if tr.Reused {
					fmt.Fprintf(errw, "* reusing the connection to %s\n", tr.Addr)
				} else {
					fmt.Fprintf(errw, "* connected to %s\n", tr.Addr)
				}
			}
			if tr.TLS != nil && !tlsNoted {
				tlsNoted = true
				fmt.Fprintf(errw, "* %s\n", describeTLS(tr.TLS))
			}
			writePrefixed(errw, "> ", h)
		}
		tr.OnResponseHead = func(h []byte) {
			if g.verbose {
				writePrefixed(errw, "< ", h)
			}
			if g.include {
				heads.Write(h)
			}
		}
	}
	req := &fetch.Request{
		Pool:               g.pool,
		TLS:                g.tls,
		HTTPProxy:          g.proxy,
		HTTPSProxy:         g.proxy,
		Timeout:            g.timeout,
		DisableCompression: !g.compressed,
		NoRedirects:        !g.follow || g.maxRedirects == 0,
		MaxRedirects:       g.maxRedirects,
		DownloadFile:       out,
		Trace:              tr,
	}
	failed := false // --fail stopped the transfer at the head
	req.OnProgress = func(p fetch.Progress) {
		bar.update(p.Downloaded, p.Total)
		// The first report after a head with an error status comes right
		// after the head, before any body byte is taken: stopping here
		// leaves no file behind and sends nothing to stdout.
		if g.fail && !failed && req.Response().Status >= 400 {
			failed = true
			req.Cancel()
		}
	}
	if out == "" {
		// The body streams to stdout as it arrives, after the heads.
		req.Output = &headsFirst{w: g.stdout, heads: &heads}
	}
	resp := req.Do(context.Background(), g.method, rawURL, g.headers, g.data)
	bar.stop()
	if g.timing {
		printTiming(g.stderr, rawURL, tr, resp)
	}
	if failed {
		fmt.Fprintf(g.stderr, "h1 get: %s: status %d (--fail)\n", resp.URL, resp.Status)
		return exitHTTP
	}
	code := exitFor(resp)
	if code == exitOK && g.follow && g.maxRedirects == 0 && isRedirect(resp) {
		fmt.Fprintf(g.stderr, "h1 get: %s: redirect after --max-redirects 0\n", resp.URL)
		return exitRedirects
	}
	// What arrived is written even when the transfer failed, as curl
	// does: the head and the body so far.
	if _, err := g.stdout.Write(heads.Bytes()); err != nil {
		return g.writeFailed(err)
	}
	if resp.Result == fetch.ResultDownloadFileWriteError && out == "" {
		return g.writeFailed(resp.Err)
	}
	if code != exitOK {
		fmt.Fprintf(g.stderr, "h1 get: %s: %v\n", resp.URL, resp.Err)
	}
	return code
}

// headsFirst writes the heads gathered so far (for -i), then body bytes,
// so that a streamed body follows its head on stdout.
type headsFirst struct {
	w     io.Writer
	heads *bytes.Buffer
}

func (h *headsFirst) Write(p []byte) (int, error) {
	if h.heads.Len() > 0 {
		if _, err := h.w.Write(h.heads.Bytes()); err != nil {
			return 0, err
		}
		h.heads.Reset()
	}
	return h.w.Write(p)
}

func (g *getter) writeFailed(err error) int {
	fmt.Fprintf(g.stderr, "h1 get: writing the output: %v\n", err)
	return exitWrite
}

func isRedirect(resp *fetch.Response) bool {
	_, ok := resp.Header("Location")
	return ok && resp.Status >= 300 && resp.Status < 400
}

// exitFor maps a fetch's outcome to curl's exit status.
func exitFor(resp *fetch.Response) int {
	err := resp.Err
	if resp.Result == fetch.ResultSuccess {
		return exitOK
	}
	if errors.Is(err, h1.ErrTimeout) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, tlsx.ErrHandshakeTimeout) {
		return exitTimeout
	}
	switch resp.Result {
	case fetch.ResultCantResolve:
		return exitResolve
	case fetch.ResultCantConnect:
		var pe *h1.ProxyError
		if errors.As(err, &pe) {
			return exitRecv // the proxy answered CONNECT with an error, as curl counts it
		}
		return exitConnect
	case fetch.ResultTLSHandshakeError:
		return exitTLS
	case fetch.ResultTimeout:
		return exitTimeout
	case fetch.ResultRedirectLimitReached:
		return exitRedirects
	case fetch.ResultDownloadFileCantOpen, fetch.ResultDownloadFileWriteError:
		return exitWrite
	case fetch.ResultRequestFailed:
		return exitUsage
	}
	return exitRecv
}

// writePrefixed writes head line by line, each line after prefix and with
// its own line end, so that stripping the prefixes gives the bytes back.
func writePrefixed(w io.Writer, prefix string, head []byte) {
	var b bytes.Buffer
	for len(head) > 0 {
		i := bytes.IndexByte(head, '\n') + 1
		if i == 0 {
			i = len(head)
		}
		b.WriteString(prefix)
		b.Write(head[:i])
		head = head[i:]
	}
	_, _ = w.Write(b.Bytes())
}

func describeTLS(st *tlsx.State) string {
	s := st.VersionName() + ", " + st.CipherSuiteName()
	if st.DidResume {
		s += ", resumed session"
	} else {
		s += ", new session"
	}
	if st.NegotiatedProtocol != "" {
		s += ", ALPN " + st.NegotiatedProtocol
	}
	return s
}

// printTiming writes where the time of a fetch went: one line per phase
// of its last exchange, with the phase's duration and the time since the
// fetch began when it ended, then the TLS session.
func printTiming(w io.Writer, rawURL string, tr *h1.Trace, resp *fetch.Response) {
	var b strings.Builder
	conn := "new connection"
	if tr.Reused {
		conn = "reused connection"
	}
	fmt.Fprintf(&b, "timing %s (%s%s)\n", rawURL, conn, addrNote(tr.Addr))
	fmt.Fprintf(&b, "  %-12s %12s %12s\n", "phase", "took", "at")
	ms := func(d time.Duration) string { return strconv.FormatFloat(d.Seconds()*1e3, 'f', 3, 64) + " ms" }
	line := func(name string, from, to time.Time, why string) {
		if to.IsZero() || from.IsZero() {
			fmt.Fprintf(&b, "  %-12s %12s %12s  %s\n", name, "-", "-", why)
			return
		}
		fmt.Fprintf(&b, "  %-12s %12s %12s\n", name, ms(to.Sub(from)), ms(to.Sub(tr.Start)))
	}
	// latest returns the last of the times that are set.
	latest := func(ts ...time.Time) time.Time {
		var l time.Time
		for _, t := range ts {
			if t.After(l) {
				l = t
			}
		}
		return l
	}
	if resp.Redirects > 0 {
		// The phases below are those of the last request.
		line("redirects", tr.Start, tr.Exchange, "")
	}
	why := "reused connection"
	if !tr.Reused {
		why = "no lookup: an address"
	}
	line("dns", tr.Exchange, tr.DNSDone, why)
	if !tr.Reused {
		why = "not connected"
	}
	line("connect", latest(tr.Exchange, tr.DNSDone), tr.Connected, why)
	why = "plain http"
	switch {
	case tr.Reused && tr.TLS != nil:
		why = "reused connection"
	case tr.TLS == nil && strings.HasPrefix(resp.URL, "https:"):
		why = "no session"
	}
	line("tls", tr.Connected, tr.TLSDone, why)
	line("send", latest(tr.Exchange, tr.Connected, tr.TLSDone), tr.WroteRequest, "not sent")
	line("first byte", tr.WroteRequest, tr.FirstByte, "no response")
	if resp.Result == fetch.ResultSuccess {
		line("transfer", tr.FirstByte, tr.Done, "")
	} else {
		line("transfer", tr.FirstByte, time.Time{}, "failed: "+resp.Result.String())
	}
	fmt.Fprintf(&b, "  %-12s %12s %12s\n", "total", "", ms(tr.Done.Sub(tr.Start)))
	if st := tr.TLS; st != nil {
		resumed := "no"
		if st.DidResume {
			resumed = "yes"
		}
		fmt.Fprintf(&b, "  %-12s %s\n  %-12s %s\n  %-12s %s\n", "tls version", st.VersionName(),
			"tls cipher", st.CipherSuiteName(), "tls resumed", resumed)
	}
	_, _ = io.WriteString(w, b.String())
}

func addrNote(addr string) string {
	if addr == "" {
		return ""
	}
	return " to " + addr
}
