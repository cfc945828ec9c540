package parser

// RequestHead is a parsed request line and header section. Set Headers
// (capacity = the most fields accepted) and Options before parsing; the
// parse fills in the rest.
//
// Method, Target, Host and the fields in Headers are views into the buffer
// that was parsed: valid until the caller changes or reuses that buffer;
// copy to retain.
type RequestHead struct {
	// Headers receives the fields in order, duplicates kept, up to its
	// capacity.
	Headers []Header
	// Options are the leniency switches and limits.
	Options Options

	// Method is the request method, a token.
	Method []byte
	// Target is the request-target in one of its four forms (RFC 9112
	// §3.2).
	Target []byte
	// Minor is the minor version: 0 for HTTP/1.0, 1 for HTTP/1.1.
	Minor int
	// Host is the value of the Host field, or nil without one.
	Host []byte
	// Framing is FramingNone, FramingLength or FramingChunked (RFC 9112
	// §6.3: a request without either field has no body).
	Framing Framing
	// ContentLength is the value of Content-Length, or -1 without one.
	ContentLength int64
	// KeepAlive reports whether the connection persists after this
	// exchange (RFC 9112 §9.3).
	KeepAlive bool

	scan headScan
}

// Reset clears the results and the resume state, keeping Headers' storage
// and Options.
func (h *RequestHead) Reset() {
	*h = RequestHead{Headers: h.Headers[:0], Options: h.Options}
}

// ParseRequestHead parses the request head at the start of b (RFC 9112
// §3, §5, §6.3) and returns the number of bytes it used, including any
// empty lines before it. ErrNeedMore and errors behave as in
// ParseResponseHead.
//
// Beyond the grammar it enforces RFC 9112 §3.2: an HTTP/1.1 request
// carries exactly one Host field, and at most one in HTTP/1.0.
func ParseRequestHead(b []byte, h *RequestHead) (n int, err error) {
	return parseHead(b, h)
}

// startLine parses request-line = method SP request-target SP
// HTTP-version (RFC 9112 §3). It returns the line start with any error.
func (h *RequestHead) startLine(b []byte, i int) (int, error) {
	j := i
	for j < len(b) && isToken[b[j]] {
		j++
	}
	if j >= len(b) {
		return i, ErrNeedMore
	}
	if b[j] != ' ' || j == i {
		return i, perr(KindMethod, j)
	}
	method := b[i:j]
	j++
	ts := j
	for j < len(b) && isVchar[b[j]] && b[j] != '#' {
		j++
	}
	if j >= len(b) {
		return i, ErrNeedMore
	}
	if b[j] != ' ' || j == ts {
		return i, perr(KindTarget, j)
	}
	target := b[ts:j]
	if k := checkTarget(method, target); k >= 0 {
		return i, perr(KindTarget, ts+k)
	}
	j++
	minor, err := parseVersion(b, j)
	if err != nil {
		if err != ErrNeedMore {
			if pe, ok := err.(*ProtocolError); ok && pe.Kind == KindStartLine {
				pe.Kind = KindVersion
			}
		}
		return i, err
	}
	next, err := lineEnd(b, j+8, &h.Options, KindVersion)
	if err != nil {
		return i, err
	}
	h.Method, h.Target, h.Minor = method, target, minor
	return next, nil
}

// checkTarget checks the form of a request-target against its method (RFC
// 9112 §3.2): origin-form "/…"; absolute-form "scheme:…"; authority-form
// "host:port" for CONNECT only; asterisk-form "*" for OPTIONS only. It
// returns -1 when the target is acceptable, or the offset of the problem.
func checkTarget[T string | []byte](method, target T) int {
	connect := string(method) == "CONNECT"
	if connect {
		return checkAuthority(target)
	}
	switch target[0] {
	case '/':
		return -1
	case '*':
		if len(target) == 1 && string(method) == "OPTIONS" {
			return -1
		}
		return 0
	}
	// absolute-form: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
	for k := 0; k < len(target); k++ {
		switch c := target[k]; {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case k > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		case k > 0 && c == ':':
			return -1
		default:
			return k
		}
	}
	return len(target) - 1
}

// checkAuthority checks authority-form = uri-host ":" port, where the port
// is one or more digits. It returns -1 or the offset of the problem.
func checkAuthority[T string | []byte](t T) int {
	colon := -1
	for k := len(t) - 1; k >= 0; k-- {
		if t[k] == ':' {
			colon = k
			break
		}
		if t[k] < '0' || t[k] > '9' {
			return k
		}
	}
	if colon <= 0 || colon == len(t)-1 {
		return len(t) - 1
	}
	for k := 0; k < colon; k++ {
		if c := t[k]; c == '/' || c == '?' || c == '@' {
			return k
		}
	}
	return -1
}

// frame derives the framing and keep-alive of a request (RFC 9112 §6.3,
// §9.3) and checks the Host rules of §3.2.
func (h *RequestHead) frame(b []byte, end int) error {
	f, err := scanFacts(b, h.Headers)
	if err != nil {
		return err
	}
	switch {
	case f.hosts > 1:
		return perr(KindDuplicateHost, offsetIn(b, f.host))
	case f.hosts == 0 && h.Minor >= 1:
		return perr(KindMissingHost, end)
	}
	h.Host = f.host
	h.ContentLength = f.contentLength
	if f.hasTE {
		if f.contentLength >= 0 {
			return perr(KindTransferEncodingWithLength, f.teOff)
		}
		if h.Minor == 0 {
			return perr(KindTransferEncodingHTTP10, f.teOff)
		}
	}
	h.KeepAlive = keepAlive(h.Minor, &f)
	switch {
	case f.chunked:
		h.Framing = FramingChunked
	case f.contentLength > 0:
		h.Framing = FramingLength
	default:
		h.Framing = FramingNone
	}
	return nil
}
