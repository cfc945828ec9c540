// Package h1 is an HTTP/1.1 client after Godot Engine's HTTPClient: one
// connection, one request at a time, the connection kept alive between
// requests, and everything advanced by Poll from the caller's own loop
// (a game's frame loop, say), or waited for in blocking mode. It writes
// requests with package parser's encoder, reads responses with its
// parsers, and runs over a conn.TCP peer, a tlsx.Peer above it, or any
// streampeer.StreamPeer. The Client starts no goroutine of its own; the
// layers above (package fetch and package nethttp) say where they use one.
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
// # The rooms above
//
// Package h1 is the Client and what it needs, nothing more: it imports
// neither net/http nor net/url, compress/* or os. Two packages are built
// on the Client's exported methods:
//
//   - github.com/h1dev/h1/h1/fetch is Godot's HTTPRequest: fetch a URL in
//     one call (Do) or from a frame loop (Start and Poll), with redirects,
//     content decoding, downloads to a file, Godot's Result codes, and a
//     Pool of kept-alive Clients.
//   - github.com/h1dev/h1/h1/nethttp is an http.RoundTripper over the
//     Client, so that a program written for net/http runs on this engine
//     by changing one line.
//
// The methods they use are there for any such layer: Abort and Interrupt
// (from any goroutine), Reusable, BytesSent, BytesReceived, ResponseHead,
// ResponseKeepAlive, TLSState, SetResolver and SetTrace.
package h1
