package parser

// skipEmptyLines skips CRLF or LF lines before a start line (RFC 9112
// §2.2: a recipient SHOULD ignore at least one empty line there).
func skipEmptyLines(b []byte) int {
	i := 0
	for {
		if i < len(b) && b[i] == '\n' {
			i++
		} else if i+1 < len(b) && b[i] == '\r' && b[i+1] == '\n' {
			i += 2
		} else {
			return i
		}
	}
}

// headScan carries what an incomplete parse learned, so that feeding a
// growing buffer costs time linear in its length and gives the verdict the
// whole buffer would have given at once.
//
// Once the start line is whole, each complete field line is checked once,
// when it arrives (a dry run that stores nothing); the partial line at the
// end is checked again on each call. When the section's empty line
// arrives, one full parse produces the fields.
type headScan struct {
	resume int // start of the first field line not yet checked; 0: none checked
	fields int // fields checked before resume
}

// check runs the dry run over the lines that arrived since the last call.
// It returns nil when the section is now complete (a full parse follows),
// ErrNeedMore, or the first violation. b is already cut at the limit;
// over reports that the input went beyond it.
func (s *headScan) check(b []byte, over bool, hs []Header, o *Options, limit int) error {
	if s.resume == 0 {
		return nil
	}
	if s.resume > len(b) {
		// A different, shorter buffer: start over.
		s.resume = 0
		return nil
	}
	_, i, n, err := parseFields(b, s.resume, hs[:0], s.fields, true, o)
	if err == ErrNeedMore {
		s.resume, s.fields = i, n
		return s.needMore(over, limit)
	}
	s.resume = 0
	return err
}

// needMore returns ErrNeedMore, or the limit error when the input already
// holds more than the limit.
func (s *headScan) needMore(over bool, limit int) error {
	if over {
		s.resume = 0
		return perr(KindHeadTooLarge, limit)
	}
	return ErrNeedMore
}

// cut returns b cut at the limit and whether b went beyond it.
func cut(b []byte, limit int) ([]byte, bool) {
	if len(b) > limit {
		return b[:limit], true
	}
	return b, false
}

// ResponseHead is a parsed status line and header section. Set Headers
// (capacity = the most fields accepted), Method and Options before
// parsing; the parse fills in the rest.
//
// Reason and the fields in Headers are views into the buffer that was
// parsed: valid until the caller changes or reuses that buffer; copy to
// retain.
type ResponseHead struct {
	// Headers receives the fields in order, duplicates kept. The parse
	// resets its length to zero and appends up to its capacity; one field
	// more is a KindTooManyHeaders error.
	Headers []Header
	// Method is the method of the request this response answers. "HEAD"
	// means no body; "CONNECT" with a 2xx status means a tunnel.
	Method string
	// Upgrade says the request carried an Upgrade field (RFC 9110 §7.8).
	// Only then may the answer be 101 Switching Protocols; without it a
	// 101 is a KindUnsolicitedUpgrade error (RFC 9110 §15.2.2).
	Upgrade bool
	// Options are the leniency switches and limits.
	Options Options

	// Minor is the minor version: 0 for HTTP/1.0, 1 for HTTP/1.1 (a higher
	// minor version is reported as is and treated as 1.1).
	Minor int
	// Status is the three-digit status code, 100–599.
	Status int
	// Reason is the reason phrase, possibly empty.
	Reason []byte
	// Framing says how the body is delimited (RFC 9112 §6.3).
	Framing Framing
	// ContentLength is the value of Content-Length, or -1 without one.
	// It is reported even when the framing ignores it (HEAD, 204, 304).
	ContentLength int64
	// KeepAlive reports whether the connection can carry another request
	// after this response (RFC 9112 §9.3).
	KeepAlive bool

	scan headScan
}

// Interim reports a 1xx response other than 101: an interim answer that a
// final response follows on the same connection.
func (h *ResponseHead) Interim() bool { return h.Status >= 100 && h.Status < 200 && h.Status != 101 }

// Reset clears the results and the resume state, keeping Headers'
// storage, Method, Upgrade and Options.
func (h *ResponseHead) Reset() {
	*h = ResponseHead{Headers: h.Headers[:0], Method: h.Method, Upgrade: h.Upgrade, Options: h.Options}
}

// ParseResponseHead parses the response head at the start of b (RFC 9112
// §4, §5, §6.3). It returns the number of bytes the head used, including
// any empty lines before it.
//
// It returns ErrNeedMore when b holds only part of a head: call again with
// the same h and more bytes appended to b; the scan resumes where it
// stopped. A head that breaks a rule returns a *ProtocolError.
func ParseResponseHead(b []byte, h *ResponseHead) (n int, err error) {
	return parseHead(b, h)
}

// message is what a response head and a request head share: a start line,
// then the fields, then the framing derived from them.
type message interface {
	*ResponseHead | *RequestHead
	parts() (*[]Header, *headScan, *Options)
	startLine(b []byte, i int) (int, error)
	frame(b []byte, end int) error
}

func (h *ResponseHead) parts() (*[]Header, *headScan, *Options) {
	return &h.Headers, &h.scan, &h.Options
}

func (h *RequestHead) parts() (*[]Header, *headScan, *Options) {
	return &h.Headers, &h.scan, &h.Options
}

// parseHead runs the steps both heads take: the limit, the incremental
// check of a growing buffer, the start line, the fields and the framing.
func parseHead[M message](b []byte, m M) (n int, err error) {
	hs, scan, opts := m.parts()
	limit := opts.maxHead()
	b, over := cut(b, limit)
	if err := scan.check(b, over, *hs, opts, limit); err != nil {
		return 0, err
	}
	i := skipEmptyLines(b)
	if i == len(b)-1 && b[i] == '\r' {
		return 0, scan.needMore(over, limit)
	}
	if i, err = m.startLine(b, i); err != nil {
		if err == ErrNeedMore {
			return 0, scan.needMore(over, limit)
		}
		return 0, err
	}
	var nf int
	*hs, i, nf, err = parseFields(b, i, (*hs)[:0], 0, false, opts)
	if err == ErrNeedMore {
		scan.resume, scan.fields = i, nf
		return 0, scan.needMore(over, limit)
	}
	scan.resume = 0
	if err != nil {
		return 0, err
	}
	if err := m.frame(b, i); err != nil {
		return 0, err
	}
	return i, nil
}

// startLine parses status-line = HTTP-version SP status-code SP
// [ reason-phrase ] (RFC 9112 §4). A status line that ends right after
// the status code, without the second SP, is accepted.
func (h *ResponseHead) startLine(b []byte, i int) (int, error) {
	minor, err := parseVersion(b, i)
	if err != nil {
		return i, err
	}
	h.Minor = minor
	j := i + 8
	if j+5 > len(b) {
		// Not enough for SP, three digits and a line end: make sure what
		// is there is still a valid prefix.
		for k := j; k < len(b); k++ {
			if c := b[k]; k == j && c != ' ' || k > j && (c < '0' || c > '9') {
				if k == j {
					return i, perr(KindStartLine, k)
				}
				return i, perr(KindStatusCode, j+1)
			}
		}
		return i, ErrNeedMore
	}
	if b[j] != ' ' {
		return i, perr(KindStartLine, j)
	}
	d0, d1, d2 := b[j+1]-'0', b[j+2]-'0', b[j+3]-'0'
	if d0 > 9 || d1 > 9 || d2 > 9 {
		return i, perr(KindStatusCode, j+1)
	}
	st := int(d0)*100 + int(d1)*10 + int(d2)
	if st < 100 || st > 599 {
		return i, perr(KindStatusCode, j+1)
	}
	if st == 101 && !h.Upgrade {
		// RFC 9110 §15.2.2: a server sends 101 only to a request that
		// asked to upgrade.
		return i, perr(KindUnsolicitedUpgrade, j+1)
	}
	h.Status = st
	j += 4
	rs := j
	if b[j] == ' ' {
		rs = j + 1
		j = scanValue(b, rs)
	} else if b[j] != '\r' && b[j] != '\n' {
		return i, perr(KindStatusCode, j)
	}
	next, err := lineEnd(b, j, &h.Options, KindReason)
	if err != nil {
		return i, err
	}
	h.Reason = b[rs:j]
	return next, nil
}

// parseVersion parses HTTP-version = "HTTP/" DIGIT "." DIGIT at b[i]
// (RFC 9112 §2.3), case-sensitively, and returns the minor version. Only
// major version 1 is accepted.
func parseVersion(b []byte, i int) (int, error) {
	const prefix = "HTTP/1."
	n := len(b) - i
	if n > 8 {
		n = 8
	}
	for k := 0; k < n && k < len(prefix); k++ {
		if b[i+k] != prefix[k] {
			if k < 5 {
				return 0, perr(KindStartLine, i+k)
			}
			return 0, perr(KindVersion, i+k)
		}
	}
	if n < 8 {
		return 0, ErrNeedMore
	}
	m := b[i+7] - '0'
	if m > 9 {
		return 0, perr(KindVersion, i+7)
	}
	return int(m), nil
}

// frame derives the framing and keep-alive of a response (RFC 9112 §6.3,
// §9.3).
func (h *ResponseHead) frame(b []byte, _ int) error {
	f, err := scanFacts(b, h.Headers)
	if err != nil {
		return err
	}
	h.ContentLength = f.contentLength
	if f.hasTE {
		if f.contentLength >= 0 {
			return perr(KindTransferEncodingWithLength, f.teOff)
		}
		if h.Minor == 0 {
			// RFC 9112 §6.1: an HTTP/1.0 message with Transfer-Encoding
			// has faulty framing.
			return perr(KindTransferEncodingHTTP10, f.teOff)
		}
	}
	h.KeepAlive = keepAlive(h.Minor, &f)
	switch {
	case h.Status == 101 || h.Status >= 200 && h.Status < 300 && h.Method == "CONNECT":
		h.Framing = FramingTunnel
		h.KeepAlive = false
	case h.Status < 200 || h.Status == 204 || h.Status == 304 || h.Method == "HEAD":
		h.Framing = FramingNone
	case f.chunked:
		h.Framing = FramingChunked
	case f.contentLength >= 0:
		h.Framing = FramingLength
	default:
		h.Framing = FramingClose
		h.KeepAlive = false
	}
	return nil
}

// keepAlive applies RFC 9112 §9.3: HTTP/1.1 persists unless "close" is
// sent; HTTP/1.0 persists only with "keep-alive" and without "close".
func keepAlive(minor int, f *fieldFacts) bool {
	if f.close {
		return false
	}
	return minor >= 1 || f.keepAlive
}
