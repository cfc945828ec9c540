package h1

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/h1dev/h1/internal/testpeer"
)

// TestRequestStream drives a streamed body through Poll, in both modes,
// with a length and chunked, over one kept-alive connection.
func TestRequestStream(t *testing.T) {
	testpeer.CheckLeaks(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%s te=%v len=%d n=%d err=%v", r.Method, r.TransferEncoding, r.ContentLength, len(b), err)
	}))
	defer srv.Close()
	port := testpeer.HTTPTestPort(t, srv)
	body := strings.Repeat("abcdefgh", 10000) // 80000 bytes: several reads
	for _, blocking := range []bool{false, true} {
		t.Run(fmt.Sprint("blocking=", blocking), func(t *testing.T) {
			var c Client
			defer c.Close()
			c.SetBlockingMode(blocking)
			connect(t, &c, port)
			for _, tc := range []struct {
				length int64
				want   string
			}{
				{int64(len(body)), "POST te=[] len=80000 n=80000 err=<nil>"},
				{-1, "POST te=[chunked] len=-1 n=80000 err=<nil>"},
				{0, "POST te=[] len=0 n=0 err=<nil>"},
			} {
				if err := c.RequestStream(MethodPost, "/", nil, tc.length, strings.NewReader(body)); err != nil {
					t.Fatal(err)
				}
				run(t, &c, StatusRequesting)
				var out []byte
				for c.Status() == StatusBody {
					var err error
					if out, err = c.ReadResponseBodyChunkInto(out); err != nil {
						t.Fatal(err)
					}
				}
				if string(out) != tc.want {
					t.Errorf("length %d: server said %q; want %q", tc.length, out, tc.want)
				}
			}
			// The next plain request on the same connection is unaffected.
			b, err := fetch(t, &c, MethodGet, "/", nil, nil)
			if err != nil || string(b) != "GET te=[] len=0 n=0 err=<nil>" {
				t.Errorf("GET after streams = %q, %v", b, err)
			}
		})
	}
}

// TestRequestStreamErrors: a reader shorter than its length, a reader
// that fails, and header lines the stream refuses.
func TestRequestStreamErrors(t *testing.T) {
	testpeer.CheckLeaks(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
	}))
	defer srv.Close()
	port := testpeer.HTTPTestPort(t, srv)
	boom := errors.New("boom")
	for _, tc := range []struct {
		name   string
		length int64
		r      io.Reader
		want   error
	}{
		{"short", 100, strings.NewReader("ten bytes."), errBodyShort},
		{"reader fails", -1, io.MultiReader(strings.NewReader("some"), testpeer.ReaderFunc(func([]byte) (int, error) { return 0, boom })), boom},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c Client
			defer c.Close()
			c.SetBlockingMode(true)
			connect(t, &c, port)
			if err := c.RequestStream(MethodPut, "/", nil, tc.length, tc.r); err != nil {
				t.Fatal(err)
			}
			run(t, &c, StatusRequesting)
			if c.Status() != StatusConnectionError || !errors.Is(c.Err(), ErrConnection) || !errors.Is(c.Err(), tc.want) {
				t.Errorf("status %v, err %v; want connection-error and %v", c.Status(), c.Err(), tc.want)
			}
		})
	}
	var c Client
	defer c.Close()
	connect(t, &c, port)
	if err := c.RequestStream(MethodPost, "/", []string{"Transfer-Encoding: chunked"}, -1, strings.NewReader("x")); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("a second Transfer-Encoding: %v; want ErrInvalidParameter", err)
	}
	if err := c.RequestStream(MethodPost, "/", []string{"Content-Length: 3"}, 5, strings.NewReader("xxxxx")); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("a conflicting Content-Length: %v; want ErrInvalidParameter", err)
	}
	if c.Status() != StatusConnected {
		t.Errorf("status %v after refused requests; want connected", c.Status())
	}
}
