// Package nethttp runs net/http programs on h1.Client: Transport is an
// http.RoundTripper, so that a program written for net/http moves to this
// engine by changing one line:
//
//	hc := &http.Client{Transport: &nethttp.Transport{TLS: tlsx.Client(roots, "")}}
//	resp, err := hc.Get("https://example.com/")
//
// http.Client keeps what it does (redirects, cookies, its Timeout); the
// Transport takes a kept-alive Client from its fetch.Pool, sends the
// request and returns at the response head. resp.Body reads through
// ReadResponseBodyChunkInto in blocking mode, straight into the caller's
// slice, and hands the connection back to the pool at its end; closing it
// before the end closes the connection. The response carries Status,
// Proto, Header (canonical keys, duplicates kept), ContentLength (-1 when
// unknown), TransferEncoding, Close, Trailer (filled at the end of the
// body) and, over https, TLS.
//
// Request bodies are streamed with RequestStream: with Content-Length
// when req.ContentLength is known, in the chunked coding otherwise; with
// Expect: 100-continue the body waits for the server's 100 (at most
// h1.ContinueTimeout) and is not sent when a final answer comes first.
// gzip is asked for and decoded unless DisableCompression is set or the
// caller chose an Accept-Encoding; a gzip body that does not decode fails
// its Read with a *fetch.DecodeError. The request's context cancels the
// connect, the wait for the head and the body's reads. Methods are
// Godot's nine but CONNECT; other methods, URLs that are not absolute
// http or https, and header fields with forbidden bytes are refused
// before anything is sent, with an *h1.Error of kind
// h1.ErrInvalidParameter.
//
// The Transport uses only h1.Client's exported methods and fetch.Pool's
// exported API; a Pool may be shared with fetch.Requests, so that both
// reuse the same connections.
package nethttp
