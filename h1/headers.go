package h1

import (
	"net/textproto"
	"slices"

	"github.com/h1dev/h1/parser"
)

// HasResponse reports whether the head of a response has arrived. It stays
// true, with the response's code and headers, until the next Request.
func (c *Client) HasResponse() bool { return c.hasResponse }

// ResponseCode returns the status code of the response (interim 1xx
// responses are skipped), or 0 without one.
func (c *Client) ResponseCode() int {
	if !c.hasResponse {
		return 0
	}
	return c.rr.Head.Status
}

// IsResponseChunked reports whether the body uses the chunked coding.
func (c *Client) IsResponseChunked() bool {
	return c.hasResponse && c.framing == parser.FramingChunked
}

// ResponseBodyLength returns the length of the body: the Content-Length, 0
// for a response without a body (HEAD, 204, 304), and -1 when the length
// is not known (chunked, or until the server closes).
func (c *Client) ResponseBodyLength() int64 {
	if !c.hasResponse {
		return -1
	}
	switch c.framing {
	case parser.FramingNone:
		return 0
	case parser.FramingLength:
		return c.rr.Head.ContentLength
	}
	return -1
}

// ResponseHeaders returns the header lines of the response as "Name:
// value" strings, in order and with duplicates, as Godot's
// get_response_headers does, but readable any number of times until the
// next Request. The strings are built on the first call and shared by
// later ones; the returned slice is the caller's.
func (c *Client) ResponseHeaders() []string {
	if !c.hasResponse {
		return nil
	}
	c.buildHeaders()
	return slices.Clone(c.headerList)
}

func (c *Client) buildHeaders() {
	if c.headersDone {
		return
	}
	n := 0
	for _, h := range c.rr.Head.Headers {
		n += len(h.Name) + 2 + len(h.Value)
	}
	b := make([]byte, 0, n)
	for _, h := range c.rr.Head.Headers {
		b = append(b, h.Name...)
		b = append(b, ": "...)
		b = append(b, h.Value...)
	}
	all := string(b)
	c.headerList = c.headerList[:0]
	pos := 0
	for _, h := range c.rr.Head.Headers {
		l := len(h.Name) + 2 + len(h.Value)
		c.headerList = append(c.headerList, all[pos:pos+l])
		pos += l
	}
	c.headersDone = true
}

// ResponseHeadersMap returns the header fields of the response keyed by
// their canonical names ("Content-Type"), each with all its values in
// order: duplicates are kept, unlike Godot's dictionary. It is an
// http.Header in all but name. The map is built once per response and
// shared by later calls until the next Request: do not modify it.
func (c *Client) ResponseHeadersMap() map[string][]string {
	if !c.hasResponse {
		return nil
	}
	if c.headerMap == nil {
		m := make(map[string][]string, len(c.rr.Head.Headers))
		for _, h := range c.rr.Head.Headers {
			k := textproto.CanonicalMIMEHeaderKey(string(h.Name))
			m[k] = append(m[k], string(h.Value))
		}
		c.headerMap = m
	}
	return c.headerMap
}

// ResponseFields returns the header fields of the response as views into
// the client's read buffer, without allocating: valid until the next call
// to Request, ConnectToHost or Close; copy to retain.
func (c *Client) ResponseFields() []parser.Header {
	if !c.hasResponse {
		return nil
	}
	return c.rr.Head.Headers
}

// ResponseHeader returns the value of the first field named name (in any
// case) and whether there was one, without allocating. The value is a
// view: valid until the next call to Request, ConnectToHost or Close;
// copy to retain.
func (c *Client) ResponseHeader(name string) ([]byte, bool) {
	if !c.hasResponse {
		return nil, false
	}
	for _, h := range c.rr.Head.Headers {
		if parser.EqualFold(h.Name, name) {
			return h.Value, true
		}
	}
	return nil, false
}

// ResponseTrailers returns the trailer fields of a chunked response once
// its body has been read, as views valid until the next call to Request,
// ConnectToHost or Close; copy to retain.
func (c *Client) ResponseTrailers() []parser.Header {
	if !c.hasResponse || c.framing != parser.FramingChunked || !c.rr.Chunked.Done() {
		return nil
	}
	return c.rr.Chunked.Trailers
}
