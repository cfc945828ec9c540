package parser

import "math"

// Framing is how the body of a message is delimited (RFC 9112 §6.3).
type Framing uint8

const (
	// FramingNone: the message has no body (a HEAD response, 1xx other
	// than 101, 204, 304, or a request without Content-Length or
	// Transfer-Encoding).
	FramingNone Framing = iota
	// FramingLength: the body is ContentLength bytes.
	FramingLength
	// FramingChunked: the body uses the chunked transfer coding; decode it
	// with a ChunkedDecoder.
	FramingChunked
	// FramingClose: the body runs until the server closes the connection
	// (a response with neither Content-Length nor Transfer-Encoding).
	FramingClose
	// FramingTunnel: the connection stops speaking HTTP/1.1 after the head
	// (101 Switching Protocols, or a 2xx answer to CONNECT). Every byte
	// after the head belongs to the new protocol.
	FramingTunnel
)

var framingNames = [...]string{"none", "length", "chunked", "close", "tunnel"}

// String returns "none", "length", "chunked", "close" or "tunnel".
func (f Framing) String() string {
	if int(f) < len(framingNames) {
		return framingNames[f]
	}
	return "framing(?)"
}

// fieldFacts is what the framing rules need from a head's fields.
type fieldFacts struct {
	contentLength int64 // -1 when absent
	hasTE         bool
	chunked       bool // Transfer-Encoding ends in chunked
	close         bool // Connection: close
	keepAlive     bool // Connection: keep-alive
	hosts         int
	host          []byte
	teOff         int // offset of the first Transfer-Encoding value
}

// offsetIn returns the position of v inside b; v must be a subslice of b.
func offsetIn(b, v []byte) int { return cap(b) - cap(v) }

// scanFacts reads the framing fields of hs, which are views into b, and
// checks them (RFC 9112 §6.1–§6.3, RFC 9110 §8.6).
func scanFacts(b []byte, hs []Header) (f fieldFacts, err error) {
	f.contentLength = -1
	for k := range hs {
		h := &hs[k]
		n := h.Name
		switch len(n) {
		case 4:
			if equalFold(n, "host") {
				f.hosts++
				f.host = h.Value
			}
		case 10:
			if equalFold(n, "connection") {
				connectionTokens(h.Value, &f)
			}
		case 14:
			if equalFold(n, "content-length") {
				v, err := parseContentLength(b, h.Value)
				if err != nil {
					return f, err
				}
				if f.contentLength >= 0 && f.contentLength != v {
					return f, perr(KindContentLengthConflict, offsetIn(b, h.Value))
				}
				f.contentLength = v
			}
		case 17:
			if equalFold(n, "transfer-encoding") {
				if !f.hasTE {
					f.teOff = offsetIn(b, h.Value)
				}
				if err := transferCodings(b, h.Value, &f); err != nil {
					return f, err
				}
			}
		}
	}
	if f.hasTE && !f.chunked {
		// A coding list that does not end in chunked. The offending
		// element is the last one; point at the last TE field.
		for k := len(hs) - 1; k >= 0; k-- {
			if len(hs[k].Name) == 17 && equalFold(hs[k].Name, "transfer-encoding") {
				return f, perr(KindTransferEncoding, offsetIn(b, hs[k].Value))
			}
		}
	}
	return f, nil
}

// parseContentLength parses Content-Length = 1*DIGIT (RFC 9110 §8.6).
func parseContentLength(b, v []byte) (int64, error) {
	if len(v) == 0 {
		return 0, perr(KindContentLength, offsetIn(b, v))
	}
	var n int64
	for i, c := range v {
		if c < '0' || c > '9' {
			return 0, perr(KindContentLength, offsetIn(b, v)+i)
		}
		d := int64(c - '0')
		if n > (math.MaxInt64-d)/10 {
			return 0, perr(KindContentLengthOverflow, offsetIn(b, v)+i)
		}
		n = n*10 + d
	}
	return n, nil
}

// nextElement splits a comma-separated list (RFC 9110 §5.6.1) and returns
// the next element with OWS trimmed (possibly empty) and the rest.
func nextElement(v []byte) (elem, rest []byte) {
	i := 0
	for i < len(v) && v[i] != ',' {
		i++
	}
	elem = trimOWS(v[:i])
	if i < len(v) {
		return elem, v[i+1:]
	}
	return elem, nil
}

// connectionTokens records the close and keep-alive options of a
// Connection field, in any case and with any OWS (RFC 9110 §7.6.1).
func connectionTokens(v []byte, f *fieldFacts) {
	for len(v) > 0 {
		var e []byte
		e, v = nextElement(v)
		switch {
		case equalFold(e, "close"):
			f.close = true
		case equalFold(e, "keep-alive"):
			f.keepAlive = true
		}
	}
}

// transferCodings checks one Transfer-Encoding field (RFC 9112 §6.1,
// §7): a list of codings, each a token with optional parameters, where
// chunked may appear once and only last.
func transferCodings(b, v []byte, f *fieldFacts) error {
	off := offsetIn(b, v)
	seen := false
	for rest := v; ; {
		if len(rest) == 0 {
			break
		}
		var e []byte
		e, rest = nextElement(rest)
		if len(e) == 0 {
			continue // empty list elements are allowed and ignored
		}
		seen = true
		eoff := offsetIn(b, e)
		// coding name
		i := 0
		for i < len(e) && isToken[e[i]] {
			i++
		}
		if i == 0 {
			return perr(KindTransferEncoding, eoff)
		}
		name := e[:i]
		isChunked := equalFold(name, "chunked")
		if i < len(e) {
			// Parameters: *( OWS ";" OWS token "=" ( token / quoted-string ) ).
			if isChunked {
				return perr(KindTransferEncoding, eoff+i)
			}
			if j := skipParams(e, i); j >= 0 {
				return perr(KindTransferEncoding, eoff+j)
			}
		}
		if f.chunked {
			// Something follows chunked.
			if isChunked {
				return perr(KindChunkedTwice, eoff)
			}
			return perr(KindChunkedNotFinal, eoff)
		}
		f.chunked = isChunked
	}
	if !seen {
		return perr(KindTransferEncoding, off)
	}
	f.hasTE = true
	return nil
}

// skipParams checks the parameters of a transfer coding starting at e[i]
// and returns -1 when they are well formed, or the index of the bad byte.
func skipParams(e []byte, i int) int {
	for i < len(e) {
		for i < len(e) && isOWS(e[i]) {
			i++
		}
		if i >= len(e) || e[i] != ';' {
			return i
		}
		i++
		for i < len(e) && isOWS(e[i]) {
			i++
		}
		s := i
		for i < len(e) && isToken[e[i]] {
			i++
		}
		if i == s {
			return i
		}
		for i < len(e) && isOWS(e[i]) {
			i++
		}
		if i >= len(e) || e[i] != '=' {
			return i
		}
		i++
		for i < len(e) && isOWS(e[i]) {
			i++
		}
		if j, ok := skipTokenOrQuoted(e, i); ok {
			i = j
		} else {
			return j
		}
	}
	return -1
}

// skipTokenOrQuoted skips a token or a quoted-string (RFC 9110 §5.6.4) at
// e[i]. It returns the index after it and true, or the bad index and false.
func skipTokenOrQuoted(e []byte, i int) (int, bool) {
	if i < len(e) && e[i] == '"' {
		i++
		for i < len(e) {
			c := e[i]
			switch {
			case c == '"':
				return i + 1, true
			case c == '\\':
				if i+1 >= len(e) || !isFieldByte(e[i+1]) {
					return i, false
				}
				i += 2
			case c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c != 0x7f):
				i++
			default:
				return i, false
			}
		}
		return i, false
	}
	s := i
	for i < len(e) && isToken[e[i]] {
		i++
	}
	return i, i > s
}
