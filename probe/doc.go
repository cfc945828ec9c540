// Package probe turns the engine into a harness for testing other HTTP/1.1
// implementations: it puts exact bytes on the wire, reads the answers
// with the strict parser and says what happened.
//
// # Raw sending
//
// The engine's writer (parser.AppendRequestHead) refuses to encode a
// request that breaks RFC 9110/9112, and stays that way. SendRaw is the
// deliberate way around it: it connects (conn.TCP, or tlsx over it for
// https), writes the caller's bytes unchanged, and reads while it writes,
// so a server that answers early and closes is seen doing so:
//
//	t, _ := probe.ParseTarget("http://127.0.0.1:8080/")
//	out, err := probe.SendRaw(ctx, t, []byte("GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n"), probe.Options{})
//	// err: only when nothing could be sent (ErrConnect, ErrTLS).
//	// out.Responses: each response parsed (status, headers, body length,
//	//   the offset where its framing cut the body).
//	// out.End: EndClosed, EndReset, EndTimeout, EndOpen, EndParseError...
//	fmt.Println(out.Signature()) // "400 closed"
//
// The answers are read with parser.ResponseReader, the strict reader
// h1.Client, h1 load and h1 parse share (heads, interim answers, the body
// framing: Content-Length, chunked, or until the close); the method of each request (a HEAD answer has no body) comes from
// reading the bytes sent with parser.ParseRequestHead (CountRequests).
// Every wait is bounded by Options.ReadTimeout while an answer is
// awaited and by Options.Linger after it, so a silent server costs one
// timeout and never hangs the caller. ParseResponses does the reading
// alone, on bytes captured elsewhere.
//
// # Cases
//
// A Case is a request with its rule (RFC section and MUST, SHOULD or
// MAY) and the outcomes that rule accepts, such as "400 closed |
// responses=1 closed". The catalogue is data: cases.txt, embedded, read
// by ParseCases (which documents the format: escapes for \r \n \0 \xHH,
// {host} and {path} substitution, {repeat N TEXT}); DefaultCases returns
// it. Run sends one case and judges it: Pass, Fail (a MUST case), Warn (a
// SHOULD or MAY case), or Error (the target could not be reached). The
// h1 probe command runs the catalogue against a URL.
//
// # Differential runs
//
// The same bytes sent to several servers (or to a proxy and the server
// behind it) are compared by Result.Signature: the statuses, how many
// responses, how the exchange ended. Differ reports a divergence, the
// sign that two implementations frame the same bytes differently, which
// is what request smuggling feeds on. Mutate derives deterministic
// variants of a case from a seed for longer runs.
//
// # Fuzzing a server
//
// CheckExchange sends fuzzer bytes to a server and checks its answers
// against the requests the strict parser sees in them (its doc comment
// lists the rules), and FuzzServer wraps it as a go test -fuzz target:
//
//	func FuzzMyServer(f *testing.F) {
//		srv := httptest.NewServer(myHandler)
//		f.Cleanup(srv.Close)
//		t, _ := probe.ParseTarget(srv.URL)
//		probe.FuzzServer(f, t, probe.Options{ReadTimeout: 2 * time.Second})
//	}
//
// Nothing in the package starts a goroutine that outlives a call; a
// context's cancel wakes a wait in progress through the connection's
// Interrupt.
package probe
