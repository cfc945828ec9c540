// Package h1 is an HTTP/1.1 client after Godot Engine's HTTPClient: one
// connection, one request at a time, the connection kept alive between
// requests, and everything advanced by Poll from the caller's own loop
// (a game's frame loop, say), or waited for in blocking mode. It writes
// requests with package parser's encoder, reads responses with its
// parsers, and runs over a conn.TCP peer, a tlsx.Peer above it, or any
// streampeer.StreamPeer. The Client starts no goroutine of its own; the
// layers above say where they use one (a Pool's idle timer, a Request's
// context watcher in Do, and the coroutine that decodes a compressed body
// in step with Poll).
//
// # The loop
//
// The loop of Godot's HTTPClient tutorial reads the same in Go:
//
//	var c h1.Client
//	defer c.Close()
//	if err := c.ConnectToHost("https://example.com", -1, nil); err != nil {
//		return err
//	}
//	for c.Status() == h1.StatusConnecting || c.Status() == h1.StatusResolving {
//		c.Poll()
//		time.Sleep(time.Millisecond) // or: wait for the next frame
//	}
//	if c.Status() != h1.StatusConnected {
//		return c.Err() // StatusCantResolve, StatusCantConnect, ...
//	}
//	if err := c.Request(h1.MethodGet, "/", []string{"Accept: text/html"}, nil); err != nil {
//		return err
//	}
//	for c.Status() == h1.StatusRequesting {
//		c.Poll()
//		time.Sleep(time.Millisecond)
//	}
//	var body []byte
//	for c.Status() == h1.StatusBody {
//		body, _ = c.ReadResponseBodyChunkInto(body) // nothing yet: body unchanged
//	}
//	if err := c.Err(); err != nil {
//		return err // StatusConnectionError
//	}
//	fmt.Println(c.ResponseCode(), c.ResponseHeaders(), len(body))
//
// The status is StatusConnected again afterwards: send the next request on
// the same connection. When the server closes it after a response
// (Connection: close, HTTP/1.0, a body that runs until close) the next
// Request opens a new one on its own.
//
// # Blocking mode
//
// SetBlockingMode(true) makes Poll and the body reads wait on the socket
// when there is nothing to do yet, at most once per call and never past
// the step's time limit, so the loops above need no sleep. The waits park
// in the network poller; they do not spin.
//
// # Buffers and allocations
//
// A request is written into a buffer the client keeps; the response head
// is parsed in place in another, and its fields (ResponseFields,
// ResponseHeader) are views into it: valid until the next call to
// Request, ConnectToHost or Close; copy to retain. ReadResponseBodyChunkInto
// appends to the caller's slice, reading a body with a length straight
// from the socket into it. ReadResponseBodyView copies nothing at all: it
// hands out the body as views into the client's read buffer (one chunk of
// a chunked body at a time), valid until the next call on the client, for
// callers that hash, inspect or forward the bytes. Once the buffers have
// grown, a request and its response allocate nothing. ResponseHeaders and ResponseHeadersMap build
// strings (once per response) for callers that want them;
// ReadResponseBodyChunk returns a new slice, as Godot's does.
//
// # One call: Request
//
// Request is Godot's HTTPRequest: Do fetches a URL and returns a Response
// with Godot's Result code, the status, the fields and the body (or writes
// it to a file through a ".part" name that is renamed only when the body
// is complete). It follows redirects as RFC 9110 says (301, 302 and 303
// turn POST into GET, credentials stay behind across origins), decodes
// gzip, deflate, br and zstd as the body streams, stops a compression bomb
// at BodySizeLimit, bounds the whole transaction (Timeout) and each stall
// (IdleTimeout), reports progress, and keeps connections in a Pool. For a
// frame loop, Start and Poll do the same without ever waiting:
//
//	r := h1.Request{Timeout: 10 * time.Second}
//	r.Start(h1.MethodGet, "https://example.com/data.json", nil, nil)
//	for !r.Poll() {
//		// draw a frame; r.Progress() has the counters
//	}
//	resp := r.Response() // resp.Result, resp.Status, resp.Body
//
// # Errors and limits
//
// Errors match the package's sentinels with errors.Is, after Godot's
// error codes: ErrCantResolve, ErrCantConnect, ErrTLSHandshake and
// ErrConnection with the statuses of the same names, ErrTimeout when a
// time limit ran out, ErrBadResponse when the server broke the protocol
// (errors.As reaches the *parser.ProtocolError), and ErrInvalidParameter,
// ErrBusy and ErrUnconfigured for calls the client cannot take. An error
// status is terminal until Close or ConnectToHost.
//
// Limits bound the head (100 KiB, as curl; the fields only by that size
// unless MaxHeaders is set; past a limit a *LimitError names it), the body (no limit by
// default: bodies are streamed) and the time of each step (30 s by
// default), so a server that drips bytes cannot hold a blocking call for
// ever.
//
// # What differs from Godot
//
// Header lists stay readable after the first read, duplicate fields are
// kept in ResponseHeadersMap, interim 1xx responses (100, 103) are skipped,
// Connection: close is honoured in any spelling and HTTP/1.0 closes by
// default, a body cut short before its Content-Length is an error, the
// end of a body that runs until close is a clean end, chunk extensions
// are accepted, chunks of any size stream, and the proxy's CONNECT
// carries a Host field and the credentials of a proxy URL.
//
// # Using net/http programs
//
// Transport is an http.RoundTripper over the Client, so that a program
// written for net/http runs on this engine by changing one line:
//
//	hc := &http.Client{Transport: &h1.Transport{TLS: tlsx.Client(roots, "")}}
//	resp, err := hc.Get("https://example.com/")
//
// http.Client keeps what it does (redirects, cookies, its Timeout); the
// Transport takes a kept-alive Client from its Pool, sends the request and
// returns at the response head. resp.Body reads through
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
// ContinueTimeout) and is not sent when a final answer comes first. gzip
// is asked for and decoded unless DisableCompression is set or the caller
// chose an Accept-Encoding. The request's context cancels the connect,
// the wait for the head and the body's reads. Methods are Godot's nine but
// CONNECT; other methods, URLs that are not absolute http or https, and
// header fields with forbidden bytes are refused before anything is sent.
package h1
