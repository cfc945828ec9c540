package probe

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// fuzzHandler reads the whole body and answers 200, or 400 when the body
// is malformed, so that net/http says so whenever it refuses a request.
func fuzzHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
		_, _ = io.WriteString(w, "ok")
	})
}

func startNetHTTP(tb testing.TB) Target {
	srv := httptest.NewServer(fuzzHandler())
	tb.Cleanup(srv.Close)
	tg, err := ParseTarget(srv.URL)
	if err != nil {
		tb.Fatal(err)
	}
	return tg
}

// fuzzOpts keep each input quick on loopback.
var fuzzOpts = Options{ReadTimeout: 2 * time.Second, Linger: 20 * time.Millisecond, ConnectTimeout: 2 * time.Second}

// FuzzNetHTTPServer fuzzes Go's own server through FuzzServer: its
// answers must parse strictly and match the requests the strict parser
// sees, by the rules of CheckExchange.
func FuzzNetHTTPServer(f *testing.F) {
	FuzzServer(f, startNetHTTP(f), fuzzOpts)
}

// CheckExchange accepts what net/http does with the catalogue and
// refuses servers that break its rules, each with its reason.
func TestCheckExchange(t *testing.T) {
	tg := startNetHTTP(t)
	for _, c := range DefaultCases() {
		if err := CheckExchange(context.Background(), tg, c.Bytes(tg.HostHeader(), "/"), fuzzOpts); err != nil {
			t.Errorf("case %s: %v", c.ID, err)
		}
	}
	req := []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")
	for _, tc := range []struct {
		name   string
		answer string
		reason string
	}{
		{"malformed", "HTTP/1.1 2000 OK\r\n\r\n", "malformed response: bad-status-code"},
		{"too many", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n" +
			"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "more responses than requests"},
		{"too few", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "fewer responses than requests without an error or a close"},
		{"dropped", "", "connection ended without an answer"},
		{"half body", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", "fewer responses than requests without an error or a close"},
	} {
		srv := rawListener(t, func(c net.Conn) {
			_, _ = io.WriteString(c, tc.answer)
			_ = c.Close()
		})
		err := CheckExchange(context.Background(), srv, req, fuzzOpts)
		var ee *ExchangeError
		if !errors.As(err, &ee) || !errors.Is(err, ErrExchange) || ee.Reason != tc.reason {
			t.Errorf("%s: CheckExchange = %v; want an *ExchangeError %q", tc.name, err, tc.reason)
		}
	}
	// Fewer answers are fine when the last one is an error and the server
	// closed.
	srv := rawListener(t, func(c net.Conn) {
		_, _ = io.WriteString(c, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
		_ = c.Close()
	})
	if err := CheckExchange(context.Background(), srv, req, fuzzOpts); err != nil {
		t.Errorf("400 then close: CheckExchange = %v; want nil", err)
	}
}

// A server that never answers is a timeout, reported in time.
func TestCheckExchangeSilent(t *testing.T) {
	hold := make(chan net.Conn, 1)
	srv := rawListener(t, func(c net.Conn) { hold <- c })
	t.Cleanup(func() { (<-hold).Close() })
	o := fuzzOpts
	o.ReadTimeout = 200 * time.Millisecond
	err := CheckExchange(context.Background(), srv, []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), o)
	var ee *ExchangeError
	if !errors.As(err, &ee) || ee.Outcome.End != EndTimeout {
		t.Errorf("CheckExchange on a silent server = %v; want a timeout", err)
	}
}
