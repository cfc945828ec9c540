// Package fetch is Godot Engine's HTTPRequest over h1.Client: fetch a URL
// in one call and get the status, the fields and the body, with redirects
// followed, the body decoded and connections kept alive in a Pool.
//
// # One call: Do
//
// Do fetches a URL and returns a Response with Godot's Result code, the
// status, the fields and the body (or writes it to a file through a
// ".part" name that is renamed only when the body is complete):
//
//	r := fetch.NewRequest() // Godot's defaults: up to 8 redirects, compression on
//	r.Timeout = 10 * time.Second
//	resp := r.Do(ctx, h1.MethodGet, "https://example.com/data.json", nil, nil)
//	if resp.Result != fetch.ResultSuccess {
//		return resp.Err // errors.Is(resp.Err, h1.ErrCantResolve), ...
//	}
//	fmt.Println(resp.Status, len(resp.Body))
//
// It follows redirects as RFC 9110 says (301, 302 and 303 turn POST into
// GET, credentials stay behind across origins), decodes gzip, deflate, br
// and zstd as the body streams (a body that does not decode is a
// *DecodeError), stops a compression bomb at BodySizeLimit, bounds the
// whole transaction (Timeout) and each stall (IdleTimeout), and reports
// progress (OnProgress) and the end (OnCompleted).
//
// # A frame loop: Start and Poll
//
// For a game's frame loop, Start and Poll do the same without ever
// waiting:
//
//	r := fetch.Request{Timeout: 10 * time.Second}
//	r.Start(h1.MethodGet, "https://example.com/data.json", nil, nil)
//	for !r.Poll() {
//		// draw a frame; r.Progress() has the counters
//	}
//	resp := r.Response() // resp.Result, resp.Status, resp.Body
//
// # Results and errors
//
// Result names the outcome as Godot does (ResultCantResolve,
// ResultTimeout, ResultBodySizeLimitExceeded, ...); Response.Err is the
// error behind it. Errors of the connection and of the response are
// h1's (*h1.Error, matching h1.ErrCantConnect, h1.ErrTimeout, ...); this
// package adds the sentinels only a fetch produces: ErrNoResponse,
// ErrTruncated, ErrRedirectLimit, ErrDecompress and ErrDownloadFile.
//
// # Connections: Pool
//
// A Pool keeps connected Clients between fetches, keyed by Key (scheme,
// host, port, proxy and TLS options), with net/http's rules for reuse:
// at most MaxIdlePerHost idle per key, closed after IdleTimeout, and a
// connection that comes back while a request of its key is still
// opening one goes to that request (Wait, Waiter.Handed, Waiter.Done,
// Adopt). Requests share DefaultPool unless they name one; package
// nethttp's Transport uses the same Pool API.
//
// A Request runs on the caller's goroutine. Do watches its context with
// context.AfterFunc, a Pool's idle timer is a time.AfterFunc armed only
// while it holds idle connections, and a compressed body is decoded by a
// coroutine (iter.Pull) that runs in step with Poll, not beside it.
package fetch
