package fuzz

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	"github.com/h1dev/h1/parser"
)

// exchange is one response as a parser saw it.
type exchange struct {
	status int
	fields map[string][]string // canonical name → values in order
	body   []byte
	length int64 // Content-Length as the framing used it, or -1
	close  bool
}

// maxBody bounds what either side reads of a body, so a huge announced
// length cannot make the target slow.
const maxBody = 1 << 16

// framingFields are moved or rewritten by net/http: compare them through
// the framing, not as fields.
var framingFields = map[string]bool{"Content-Length": true, "Transfer-Encoding": true, "Trailer": true}

// ours reads one response with h1's parser: the head, then the body by its
// framing, treating the end of data as the server's close.
func ours(data []byte, method string) (*exchange, *parser.ProtocolError, bool) {
	var store [64]parser.Header
	h := parser.ResponseHead{Headers: store[:0], Method: method}
	n, err := parser.ParseResponseHead(data, &h)
	if err != nil {
		pe, _ := err.(*parser.ProtocolError)
		return nil, pe, err == parser.ErrNeedMore
	}
	x := &exchange{status: h.Status, fields: map[string][]string{}, length: -1, close: !h.KeepAlive}
	for _, f := range h.Headers {
		k := textproto.CanonicalMIMEHeaderKey(string(f.Name))
		if !framingFields[k] {
			x.fields[k] = append(x.fields[k], string(f.Value))
		}
	}
	rest := data[n:]
	switch h.Framing {
	case parser.FramingLength:
		if h.ContentLength > maxBody {
			return nil, nil, true
		}
		if int64(len(rest)) < h.ContentLength {
			return nil, nil, true // truncated: both sides fail
		}
		x.body, x.length = rest[:h.ContentLength], h.ContentLength
	case parser.FramingChunked:
		d := parser.ChunkedDecoder{Trailers: make([]parser.Header, 0, 64)}
		out := make([]byte, len(rest))
		nd, _, err := d.Decode(out, rest)
		if err != nil || !d.Done() {
			pe, _ := err.(*parser.ProtocolError)
			return nil, pe, pe == nil
		}
		x.body = out[:nd]
	case parser.FramingClose:
		x.body = rest
	}
	return x, nil, false
}

// theirs reads the same bytes with net/http.
func theirs(data []byte, method string) (*exchange, error) {
	req := &http.Request{Method: method}
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(data)), req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, err
	}
	x := &exchange{status: resp.StatusCode, fields: map[string][]string{}, body: body, length: -1, close: resp.Close}
	if resp.ContentLength >= 0 && len(resp.TransferEncoding) == 0 {
		x.length = resp.ContentLength
	}
	for k, vs := range resp.Header {
		if !framingFields[k] {
			x.fields[k] = vs
		}
	}
	return x, nil
}

// stricter lists the rules h1 enforces where net/http accepts, each with
// the RFC text that makes the strict reading right (see doc.go).
var stricter = map[parser.Kind]bool{
	parser.KindStatusCode:                 true, // RFC 9110 §15: valid codes are 100–599
	parser.KindVersion:                    true, // RFC 9112 §2.3: HTTP/1.x only on this wire
	parser.KindStartLine:                  true, // RFC 9112 §4: exactly one SP between version and code
	parser.KindReason:                     true, // RFC 9112 §4: reason-phrase has no CTL
	parser.KindObsFold:                    true, // RFC 9112 §5.2: reject unless configured
	parser.KindLeadingWhitespace:          true, // RFC 9112 §2.2: whitespace before the first field
	parser.KindBareCR:                     true, // RFC 9112 §2.2: bare CR is invalid
	parser.KindBareLF:                     true, // RFC 9112 §7.1: chunk framing ends in CRLF
	parser.KindHeaderValue:                true, // RFC 9110 §5.5: no CTL in field values
	parser.KindHeaderName:                 true, // RFC 9110 §5.1: field names are tokens
	parser.KindSpaceBeforeColon:           true, // RFC 9112 §5.1: no whitespace between name and colon
	parser.KindContentLength:              true, // RFC 9110 §8.6: Content-Length = 1*DIGIT
	parser.KindContentLengthConflict:      true, // RFC 9110 §8.6
	parser.KindTransferEncodingWithLength: true, // RFC 9112 §6.3 ¶3: ought to be handled as an error
	parser.KindTransferEncoding:           true, // RFC 9112 §6.3 ¶4: final coding must be chunked
	parser.KindChunkedNotFinal:            true, // RFC 9112 §6.1
	parser.KindChunkedTwice:               true, // RFC 9112 §6.1: MUST NOT apply chunked more than once
	parser.KindTransferEncodingHTTP10:     true, // RFC 9112 §6.1: HTTP/1.0 with TE has faulty framing
	parser.KindChunkSize:                  true, // RFC 9112 §7.1: chunk-size = 1*HEXDIG, no whitespace
	parser.KindChunkExtension:             true, // RFC 9112 §7.1.1: chunk-ext grammar
	parser.KindChunkDataEnd:               true, // RFC 9112 §7.1: CRLF after chunk-data
	parser.KindTrailer:                    true, // RFC 9112 §7.1.2: trailer fields are field lines
	parser.KindTooManyHeaders:             true, // a limit
	parser.KindHeadTooLarge:               true, // a limit
	parser.KindChunkOverhead:              true, // a limit (net/http has the same one)
	parser.KindLineTooLong:                true, // a limit
	parser.KindContentLengthOverflow:      true, // RFC 9110 §8.6: a length that does not fit
	parser.KindChunkSizeOverflow:          true,
	parser.KindUnsolicitedUpgrade:         true, // RFC 9110 §15.2.2: 101 only answers an Upgrade
}

// FuzzDifferentialNetHTTP: where both parsers accept a response, they agree
// on status, fields, body and whether the connection closes; where only h1
// refuses, the rule is one of the stricter ones above; h1 never accepts
// what net/http refuses, except where listed in doc.go.
func FuzzDifferentialNetHTTP(f *testing.F) {
	for _, s := range seedResponses {
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, data []byte, head bool) {
		method := "GET"
		if head {
			method = "HEAD"
		}
		a, pe, incomplete := ours(data, method)
		b, err := theirs(data, method)
		switch {
		case a == nil && b == nil:
			return
		case a == nil:
			if incomplete {
				return // net/http reads an incomplete head at EOF leniently
			}
			if pe == nil || !stricter[pe.Kind] {
				t.Fatalf("h1 refuses (%v) what net/http accepts: %q", pe, data)
			}
			return
		case b == nil:
			if goStricter(data, err) {
				return
			}
			t.Fatalf("h1 accepts what net/http refuses (%v): %q", err, data)
		}
		if a.status < 200 {
			return // net/http returns interim responses; h1 reports them apart
		}
		if a.status != b.status || !bytes.Equal(a.body, b.body) || a.close != b.close {
			t.Fatalf("status %d/%d, close %v/%v, body %q / %q for %q", a.status, b.status, a.close, b.close, a.body, b.body, data)
		}
		for k, va := range a.fields {
			vb := b.fields[k]
			if strings.Join(va, "\x00") != strings.Join(vb, "\x00") {
				t.Fatalf("field %s: %q / %q for %q", k, va, vb, data)
			}
		}
		for k := range b.fields {
			if _, ok := a.fields[k]; !ok {
				t.Fatalf("field %s only in net/http for %q", k, data)
			}
		}
	})
}

// goStricter reports the cases, listed in doc.go, where net/http refuses a
// response that h1 accepts.
func goStricter(data []byte, err error) bool {
	msg := err.Error()
	switch {
	case len(data) > 0 && (data[0] == '\r' || data[0] == '\n'):
		return true // h1 skips empty lines before the status line, as llhttp and httparse do
	case strings.Contains(msg, "too many transfer encodings"):
		return true // net/http accepts only "chunked" alone; h1 allows "gzip, chunked" (RFC 9112 §6.1)
	case strings.Contains(msg, "unsupported transfer encoding"):
		return true
	}
	return false
}
