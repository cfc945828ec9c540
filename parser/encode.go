package parser

import (
	"strconv"
	"strings"
)

// DefaultUserAgent is the User-Agent that AppendRequestHead writes when the
// caller sends none.
const DefaultUserAgent = "h1/0.1"

// Request describes a request head for AppendRequestHead.
type Request struct {
	// Method is the request method, a token such as "GET".
	Method string
	// Target is the request-target: "/path?query" (origin-form), an
	// absolute URL (absolute-form, for proxies), "host:port" for CONNECT
	// (authority-form) or "*" for OPTIONS (asterisk-form).
	Target string
	// Host and Port make the Host field when Headers carry none: the port
	// is written only when it is not the scheme's default (80, or 443
	// with TLS set) and not zero. An IPv6 address is bracketed.
	Host string
	Port int
	TLS  bool
	// Headers are written in order, as given.
	Headers []Header
	// ContentLength is the length of the body that follows the head, or
	// -1 for none (or a body framed by the caller's Transfer-Encoding).
	ContentLength int64
	// UserAgent replaces DefaultUserAgent when Headers carry no
	// User-Agent. It is checked as a field value is.
	UserAgent string
	// NoDefaults writes no User-Agent and no Accept field of its own.
	NoDefaults bool
}

func refuse(field, reason string) error { return &EncodeError{Field: field, Reason: reason} }

// AppendRequestHead appends the request head of r to dst (RFC 9112 §3,
// §5) and returns the extended slice. Before writing a byte it checks r
// and refuses, with an *EncodeError, a method that is not a token; a
// target with a CTL, SP, '#' or a non-ASCII byte, or in a form its method
// does not allow; an empty or non-token field name; a field value with a
// CTL other than HTAB (CR, LF and NUL among them), DEL, or leading or
// trailing whitespace; more than one Host; and framing fields that
// contradict the body: Content-Length that is malformed or differs from
// ContentLength, Transfer-Encoding beside Content-Length or a body
// length, or a Transfer-Encoding that does not end in a single chunked.
//
// Unless the caller sent them it adds Host (first), User-Agent, Accept:
// */* (unless NoDefaults), and Content-Length when there is a body or the
// method defines one (POST, PUT, PATCH; RFC 9110 §8.6).
func AppendRequestHead(dst []byte, r *Request) ([]byte, error) {
	if r.Method == "" {
		return dst, refuse("method", "empty")
	}
	if !tokenString(r.Method) {
		return dst, refuse("method", "not a token")
	}
	if r.Target == "" {
		return dst, refuse("target", "empty")
	}
	if !checkBytes(r.Target, targetBadMask, &targetBad) {
		return dst, refuse("target", "control, space, '#' or non-ASCII byte")
	}
	if checkTarget(r.Method, r.Target) >= 0 {
		return dst, refuse("target", "form not allowed for the method")
	}
	var hasHost, hasUA, hasAccept, hasTE bool
	clHeader := int64(-1)
	for k := range r.Headers {
		h := &r.Headers[k]
		if len(h.Name) == 0 {
			return dst, refuse("header-name", "empty")
		}
		if scanName(h.Name, 0) != len(h.Name) {
			return dst, refuse("header-name", "not a token")
		}
		v := h.Value
		if !checkBytes(v, valueBadMask, &valueBad) {
			return dst, refuse("header-value", "control byte (CR, LF, NUL or other CTL)")
		}
		if len(v) > 0 && (isOWS(v[0]) || isOWS(v[len(v)-1])) {
			return dst, refuse("header-value", "leading or trailing whitespace")
		}
		// One comparison at most: the length picks the candidate.
		switch n := h.Name; {
		case len(n) == 4 && equalFold(n, "host"):
			if hasHost {
				return dst, refuse("host", "more than one Host field")
			}
			hasHost = true
		case len(n) == 10 && equalFold(n, "user-agent"):
			hasUA = true
		case len(n) == 6 && equalFold(n, "accept"):
			hasAccept = true
		case len(n) == 14 && equalFold(n, "content-length"):
			n, err := parseContentLength(v, v)
			if err != nil {
				return dst, refuse("content-length", "not 1*DIGIT or too large")
			}
			if clHeader >= 0 && clHeader != n {
				return dst, refuse("content-length", "conflicting values")
			}
			clHeader = n
		case len(n) == 17 && equalFold(n, "transfer-encoding"):
			var f fieldFacts
			if err := transferCodings(v, v, &f); err != nil || !f.chunked || hasTE {
				return dst, refuse("transfer-encoding", "must be a single coding list ending in chunked")
			}
			hasTE = true
		}
	}
	body := r.ContentLength
	switch {
	case hasTE && clHeader >= 0:
		return dst, refuse("transfer-encoding", "sent with Content-Length")
	case hasTE && body >= 0:
		return dst, refuse("transfer-encoding", "sent with a body length; frame the body in chunks")
	case clHeader >= 0 && clHeader != max(body, 0):
		return dst, refuse("content-length", "differs from the body length")
	}
	if ua := r.UserAgent; ua != "" && !hasUA && !r.NoDefaults {
		if !checkBytes(ua, valueBadMask, &valueBad) || isOWS(ua[0]) || isOWS(ua[len(ua)-1]) {
			return dst, refuse("user-agent", "control byte, or leading or trailing whitespace")
		}
	}
	host := r.Host
	if !hasHost && host == "" {
		host = targetAuthority(r.Method, r.Target)
		if host == "" {
			return dst, refuse("host", "no Host field and no host to derive it from")
		}
	}
	if !checkBytes(host, vcharBadMask, &hostBad) {
		return dst, refuse("host", "control, space or non-ASCII byte")
	}

	dst = append(dst, r.Method...)
	dst = append(dst, ' ')
	dst = append(dst, r.Target...)
	dst = append(dst, " HTTP/1.1\r\n"...)
	if !hasHost {
		dst = append(dst, "Host: "...)
		bracket := strings.IndexByte(host, ':') >= 0 && host[0] != '['
		if bracket && r.Host != "" {
			dst = append(dst, '[')
		}
		dst = append(dst, host...)
		if bracket && r.Host != "" {
			dst = append(dst, ']')
		}
		if r.Host != "" && r.Port != 0 && !(r.Port == 80 && !r.TLS || r.Port == 443 && r.TLS) {
			dst = append(dst, ':')
			dst = strconv.AppendInt(dst, int64(r.Port), 10)
		}
		dst = append(dst, "\r\n"...)
	}
	for k := range r.Headers {
		dst = append(dst, r.Headers[k].Name...)
		dst = append(dst, ": "...)
		dst = append(dst, r.Headers[k].Value...)
		dst = append(dst, "\r\n"...)
	}
	if !r.NoDefaults {
		if !hasUA {
			ua := r.UserAgent
			if ua == "" {
				ua = DefaultUserAgent
			}
			dst = append(dst, "User-Agent: "...)
			dst = append(dst, ua...)
			dst = append(dst, "\r\n"...)
		}
		if !hasAccept {
			dst = append(dst, "Accept: */*\r\n"...)
		}
	}
	if clHeader < 0 && !hasTE && (body >= 0 || methodWantsLength(r.Method)) {
		dst = append(dst, "Content-Length: "...)
		dst = strconv.AppendInt(dst, max(body, 0), 10)
		dst = append(dst, "\r\n"...)
	}
	dst = append(dst, "\r\n"...)
	return dst, nil
}

// Byte classes of the writer, as tables so that a check is one load and an
// OR per byte, with no branch until the end of the string: 1 marks a byte
// the element may not hold.
var (
	targetBad [256]uint8 // not VCHAR, or '#'
	hostBad   [256]uint8 // not VCHAR
	valueBad  [256]uint8 // a CTL other than HTAB, or DEL
)

func init() {
	for c := range 256 {
		if c <= ' ' || c >= 0x7f {
			targetBad[c], hostBad[c] = 1, 1
		}
		if !isFieldByte(byte(c)) {
			valueBad[c] = 1
		}
	}
	targetBad['#'] = 1
}

// tokenString reports whether s is a non-empty token.
func tokenString(s string) bool {
	ok := uint8(1)
	for i := 0; i < len(s); i++ {
		ok &= tokenBit[s[i]]
	}
	return ok != 0 && s != ""
}

// methodWantsLength reports methods that define a meaning for content, for
// which a request without a body still says Content-Length: 0.
func methodWantsLength(m string) bool {
	return m == "POST" || m == "PUT" || m == "PATCH"
}

// targetAuthority returns the authority of an absolute-form target without
// its userinfo, or the authority-form target of CONNECT, or "".
func targetAuthority(method, target string) string {
	if method == "CONNECT" {
		return target
	}
	i := strings.Index(target, "://")
	if i < 0 {
		return ""
	}
	a := target[i+3:]
	if j := strings.IndexAny(a, "/?"); j >= 0 {
		a = a[:j]
	}
	if j := strings.LastIndexByte(a, '@'); j >= 0 {
		a = a[j+1:]
	}
	return a
}

// AppendChunk appends p as one chunk of the chunked coding (RFC 9112
// §7.1). An empty p appends nothing: the last chunk is AppendLastChunk.
func AppendChunk(dst, p []byte) []byte {
	if len(p) == 0 {
		return dst
	}
	dst = strconv.AppendUint(dst, uint64(len(p)), 16)
	dst = append(dst, "\r\n"...)
	dst = append(dst, p...)
	return append(dst, "\r\n"...)
}

// AppendLastChunk appends the last chunk and an empty trailer section.
func AppendLastChunk(dst []byte) []byte {
	return append(dst, "0\r\n\r\n"...)
}
