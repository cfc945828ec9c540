package h1

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/h1dev/h1/internal/testpeer"
)

func TestGetAgainstHTTPTest(t *testing.T) {
	testpeer.CheckLeaks(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Method", r.Method)
		w.Header().Add("X-Dup", "a")
		w.Header().Add("X-Dup", "b")
		fmt.Fprintf(w, "%s %s %s len=%d", r.Method, r.URL.RequestURI(), r.Host, len(b))
	}))
	defer srv.Close()
	port := testpeer.HTTPTestPort(t, srv)
	for _, blocking := range []bool{false, true} {
		t.Run(fmt.Sprint("blocking=", blocking), func(t *testing.T) {
			var c Client
			defer c.Close()
			c.SetBlockingMode(blocking)
			connect(t, &c, port)
			for i := 0; i < 3; i++ {
				body, err := fetch(t, &c, MethodGet, "/x?i="+strconv.Itoa(i), nil, nil)
				if err != nil {
					t.Fatal(err)
				}
				want := fmt.Sprintf("GET /x?i=%d 127.0.0.1:%d len=0", i, port)
				if string(body) != want {
					t.Errorf("body = %q; want %q", body, want)
				}
				if c.ResponseCode() != 200 || c.Status() != StatusConnected {
					t.Errorf("code %d status %v", c.ResponseCode(), c.Status())
				}
			}
			body, err := fetch(t, &c, MethodPost, "/p", []string{"Content-Type: text/plain"}, []byte("hello"))
			if err != nil || string(body) != fmt.Sprintf("POST /p 127.0.0.1:%d len=5", port) {
				t.Errorf("POST = %q, %v", body, err)
			}
			if got := c.ResponseHeadersMap()["X-Dup"]; len(got) != 2 || got[0] != "a" || got[1] != "b" {
				t.Errorf("X-Dup = %q; want [a b]", got)
			}
		})
	}
}
