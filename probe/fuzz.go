package probe

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

// ErrExchange is wrapped by every failure CheckExchange reports.
var ErrExchange = errors.New("h1: probe: bad exchange")

// ExchangeError is a server's answer that breaks a rule of CheckExchange.
type ExchangeError struct {
	// Reason says which rule, in a few words.
	Reason string
	// Requests is what the strict parser saw in the input.
	Requests RequestCount
	// Outcome is what the server did.
	Outcome Outcome
}

// Error returns "h1: probe: bad exchange: REASON (N requests, stop S;
// SIGNATURE)".
func (e *ExchangeError) Error() string {
	return fmt.Sprintf("%v: %s (%d requests, stop %v; got %s)", ErrExchange, e.Reason,
		len(e.Requests.Methods), e.Requests.Stop, e.Outcome.Signature())
}

// Unwrap returns ErrExchange.
func (e *ExchangeError) Unwrap() error { return ErrExchange }

// CheckExchange sends data to the server at t on one connection, as
// SendRaw does, half-closes the connection after the last byte (so the
// server reads the end of the stream and need not wait for more), and
// checks the answers against what the strict request parser sees in data
// (CountRequests): N complete requests, counted up to the end of data, a
// request that asks to close, or the first request the parser rejects or
// that data holds only part of.
//
// The rules, in order; the first one broken is returned as an
// *ExchangeError:
//
//  1. Every response the server sends parses strictly (a malformed
//     response fails), and the exchange ends: the server answers, then
//     closes or stays quiet, within opts.ReadTimeout of each byte.
//  2. Not more than N final responses when the count stopped at the end
//     of data. After a request that asks to close, more only when each
//     extra one is an error (status 400 or more): the server may not see
//     the close (net/http finds "keep-alive" in "Connection: keep-alive
//     0", which is no valid list) but must then refuse what follows as
//     it does. N+1 when data ends inside a request (the server may refuse
//     the rest at the end of the stream); any number when the parser
//     rejected a request, since the server may read bytes that the strict
//     parser refuses.
//  3. Not fewer than N final responses, unless the last one is an error
//     (status 400 or more) or announces the close (Connection: close,
//     or HTTP/1.0 without keep-alive), and the server then closed: a
//     server may refuse a request that the strict parser accepts, but it
//     must say so. A connection dropped without that answer (a crash, in
//     a handler or the server) fails.
//  4. A response that switches protocols (101, or 2xx to CONNECT) ends
//     the check: what follows is not HTTP/1.1.
//
// opts.CloseWrite is forced on and opts.Await set to N, so t must be a
// plain TCP target. The error is not an *ExchangeError when the server
// could not be reached at all (ErrConnect).
func CheckExchange(ctx context.Context, t Target, data []byte, opts Options) error {
	count := CountRequests(data)
	n := len(count.Methods)
	opts.CloseWrite = true
	opts.Await = n
	if n == 0 {
		opts.Await = -1
	}
	out, err := SendRaw(ctx, t, data, opts)
	if err != nil {
		return err
	}
	bad := func(reason string) error {
		return &ExchangeError{Reason: reason, Requests: count, Outcome: out}
	}
	switch out.End {
	case EndParseError:
		return bad("malformed response: " + out.ErrKind)
	case EndTimeout:
		return bad("no complete answer in time")
	case EndLimit:
		return bad("answer over the read limit")
	case EndCanceled:
		return out.Err
	}
	fs := out.Finals()
	switch count.Stop {
	case StopEnd:
		if len(fs) > n {
			return bad("more responses than requests")
		}
	case StopClose:
		for _, r := range fs[min(n, len(fs)):] {
			if r.Status < 400 {
				return bad("a request after the close answered")
			}
		}
	case StopIncomplete:
		if len(fs) > n+1 {
			return bad("more responses than requests and a partial one")
		}
	}
	if len(fs) < n && out.End != EndTunnel {
		if len(fs) == 0 {
			return bad("connection ended without an answer")
		}
		last := fs[len(fs)-1]
		if (last.Status < 400 && last.KeepAlive) || !out.End.Closed() {
			return bad("fewer responses than requests without an error or a close")
		}
	}
	return nil
}

// FuzzServer fuzzes the HTTP/1.1 server at t (a plain TCP target, such
// as the address of an httptest.Server): it seeds f with the requests of
// the built-in catalogue (DefaultCases, with t's host) and runs
// CheckExchange on every input, failing the input on any error. The
// caller starts the server before and stops it after, for instance with
// f.Cleanup; FuzzServer starts no goroutine of its own.
func FuzzServer(f *testing.F, t Target, opts Options) {
	for _, c := range DefaultCases() {
		if b := c.Bytes(t.HostHeader(), "/"); len(b) <= 4<<10 {
			f.Add(b)
		}
	}
	f.Fuzz(func(tt *testing.T, data []byte) {
		if err := CheckExchange(context.Background(), t, data, opts); err != nil {
			tt.Fatalf("%v\ninput: %q", err, data)
		}
	})
}
